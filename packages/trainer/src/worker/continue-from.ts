// Continuing a run from a model file inside the worker: the file's architecture, weights and scaler.
import { Scaler } from '@deltaflow/data';
import { modelFromJSON } from '@deltaflow/network';
import { DeltaflowError } from '@deltaflow/tensor';
import type { RunDescription } from '../recipe/description.js';
import type { InitModel } from './protocol.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The description of a run that continues training a model file: the file's architecture and weights (checked
 * field by field), its input scaler when it has one (and no new scaling: the weights were learnt on inputs
 * scaled that way), and everything else (data, loss, optimizer, split, seed) from `description`.
 * @internal
 */
export function continueFrom(description: RunDescription, init: InitModel): RunDescription {
  let json: unknown = init.model;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch {
      throw new DeltaflowError(
        'E_MODEL',
        `Model ${init.name} is not JSON; give a model file saved by deltaflow train --save or by the dashboard.`,
      );
    }
  }
  const loaded = modelFromJSON(json, init.name);
  const meta = isObject(json) && isObject(json.meta) ? json.meta : {};
  let scaler: Scaler | undefined;
  if (meta.scaler !== undefined) {
    try {
      scaler = Scaler.fromJSON(meta.scaler);
    } catch (error) {
      throw new DeltaflowError(
        'E_MODEL',
        `Model ${init.name}: meta.scaler is unusable (${(error as Error).message.replace(/\.$/, '')}); remove it or save the model again.`,
      );
    }
  }
  const {
    layers: _layers,
    activation: _activation,
    outputActivation: _output,
    dtype: _dtype,
    dropout: _dropout,
    normalize: _normalize,
    ...rest
  } = description;
  return { ...rest, model: loaded, ...(scaler ? { scaler } : {}) };
}
