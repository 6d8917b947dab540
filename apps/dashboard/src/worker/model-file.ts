// The standalone worker's model files: continuing from one the person opened, and writing the one they download
// (the model file of `deltaflow train --save`, read by `deltaflow predict --model` and `train --init`).
import { Scaler } from '@deltaflow/data';
import { modelFromJSON, modelToJSON } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { DeltaflowError } from '@deltaflow/tensor';
import type { RunDescription } from '@deltaflow/trainer';
import type { UserModel } from '../shared/user-run.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The description of a run that continues training an opened model file: the file's architecture and weights
 * (checked field by field), its input scaler when it has one (and no new scaling: the weights were learnt on
 * inputs scaled that way), and everything else (data, loss, optimizer, split, seed) from `description`.
 *
 * @example
 * ```ts
 * // not-runnable: the text comes from a file the person opened
 * import { DEFAULT_CONFIG, describePlaygroundRun } from '../shared/playground-config.js';
 *
 * declare const text: string;
 * const next = continueFrom(describePlaygroundRun(DEFAULT_CONFIG), { text, file: 'circle.json' });
 * ```
 * @throws DeltaflowError `E_MODEL` naming the file and the field that is wrong
 * @category Worker
 */
export function continueFrom(description: RunDescription, model: UserModel): RunDescription {
  let json: unknown;
  try {
    json = JSON.parse(model.text);
  } catch {
    throw new DeltaflowError(
      'E_MODEL',
      `Model ${model.file} is not JSON; open a model file saved by the dashboard or by deltaflow train --save.`,
    );
  }
  const loaded = modelFromJSON(json, model.file);
  const meta = isObject(json) && isObject(json.meta) ? json.meta : {};
  let scaler: Scaler | undefined;
  if (meta.scaler !== undefined) {
    try {
      scaler = Scaler.fromJSON(meta.scaler);
    } catch (error) {
      throw new DeltaflowError(
        'E_MODEL',
        `Model ${model.file}: meta.scaler is unusable (${(error as Error).message.replace(/\.$/, '')}); remove it or save the model again.`,
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

/**
 * The model file of a model as the person downloads it: the format `deltaflow train --save` writes, with the
 * run's meta (loss, task, class, feature and target names, the input scaler, optimizer, epochs), so
 * `deltaflow predict --model FILE` and `evaluate` read it as one of their own.
 *
 * @example
 * ```ts
 * // not-runnable: in the worker, with its run's model
 * const text = modelFileText(model, { loss: 'mse', task: 'classification', epochs: 120 });
 * ```
 * @category Worker
 */
export function modelFileText(model: Sequential, meta: Record<string, unknown>): string {
  return `${JSON.stringify(modelToJSON(model, meta), null, 2)}\n`;
}
