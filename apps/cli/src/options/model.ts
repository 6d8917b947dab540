import { readFileSync } from 'node:fs';
import { Scaler } from '@deltaflow/data';
import type { Task } from '@deltaflow/data';
import { parseModel } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { DeltaflowError } from '@deltaflow/tensor';
import { CliError } from '../errors.js';

/** What the CLI reads back from a model file's `meta` (written by `deltaflow train --save`). */
export interface ModelMeta {
  /** The loss the model was trained with (the default of `evaluate` and of a continued `train`). */
  loss?: string;
  /** classification or regression. */
  task?: Task;
  /** Class labels, so predictions print as labels. */
  classNames?: string[];
  /** The input columns the model was trained on, in order. */
  featureNames?: string[];
  /** The CSV target column(s) given to `--target` when training. */
  targetColumns?: string[];
  /** The standard scaler fitted on the training data (`--normalize`), applied before every forward pass. */
  scaler?: Scaler;
  /** The whole meta object as stored. */
  raw: Record<string, unknown>;
}

/** A model file read and checked. */
export interface LoadedModel {
  model: Sequential;
  meta: ModelMeta;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;

function readMeta(raw: Record<string, unknown>, model: Sequential, path: string): ModelMeta {
  const loss = typeof raw.loss === 'string' ? raw.loss : undefined;
  const task = raw.task === 'classification' || raw.task === 'regression' ? raw.task : undefined;
  let scaler: Scaler | undefined;
  if (raw.scaler !== undefined) {
    try {
      scaler = Scaler.fromJSON(raw.scaler);
    } catch (error) {
      throw new DeltaflowError(
        'E_MODEL',
        `Model ${path}: meta.scaler is unusable (${(error as Error).message})`,
      );
    }
    if (scaler.features !== model.inputs) {
      throw new DeltaflowError(
        'E_MODEL',
        `Model ${path}: meta.scaler has ${scaler.features} features but the model takes ${model.inputs} inputs.`,
      );
    }
  }
  return {
    ...(loss ? { loss } : {}),
    ...(task ? { task } : {}),
    ...(strings(raw.classNames) ? { classNames: strings(raw.classNames) } : {}),
    ...(strings(raw.featureNames)?.length === model.inputs
      ? { featureNames: strings(raw.featureNames) }
      : {}),
    ...(strings(raw.targetColumns) ? { targetColumns: strings(raw.targetColumns) } : {}),
    ...(scaler ? { scaler } : {}),
    raw,
  };
}

/**
 * Reads a model file (`--model`, `--init`): every field checked by `@deltaflow/network`, so a truncated or
 * mis-shaped file, or one naming an activation nobody registered, is refused with a message naming the field.
 *
 * @example
 * ```ts
 * // not-runnable: reads xor.json
 * const { model, meta } = readModelFile('xor.json', '--model');
 * ```
 * @throws CliError when the file cannot be read; DeltaflowError `E_MODEL` for a bad file
 */
export function readModelFile(path: string, flag: string): LoadedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new CliError(
      `Cannot read the model file ${path} (${flag}): ${reason ?? (error as Error).message}.`,
    );
  }
  const model = parseModel(text, path);
  const json = JSON.parse(text) as { meta?: Record<string, unknown> };
  return { model, meta: readMeta(json.meta ?? {}, model, path) };
}
