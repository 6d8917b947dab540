import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@deltaflow/core/node';
import { DeltaflowError } from '@deltaflow/tensor';
import { modelToJSON, parseModel } from './model-json.js';
import type { ModelJSON } from './model-json.js';
import { Sequential } from './sequential.js';

/**
 * Saves a model (or model-file data) to `path` atomically, as JSON, with `writeFileAtomic` of
 * `@deltaflow/core/node`: a temporary file, fsync, rename, so a crash or a full disk never leaves a broken model.
 * Node only (`@deltaflow/network/node`); in a browser, `JSON.stringify(modelToJSON(model, meta))` gives the
 * same text, to download or store.
 *
 * @example
 * ```ts
 * saveModel('xor.json', model, { loss: 'mse', epochs: 2000 });
 * ```
 * @throws DeltaflowError `E_WRITE` naming the path and the reason
 * @category Model file
 */
export function saveModel(path: string, model: Sequential | ModelJSON, meta?: Record<string, unknown>): void {
  const json =
    model instanceof Sequential ? modelToJSON(model, meta) : { ...model, ...(meta ? { meta } : {}) };
  writeFileAtomic(path, `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Reads and validates a model file. The file's `meta` is kept as `model.meta` (so `saveModel(path, model)`
 * writes it back); `modelInfo` and `predict` of `@deltaflow/trainer` read the stored scaler and class names
 * from it. Node only (`@deltaflow/network/node`); in a browser, `parseModel(text)` and `modelFromJSON` read a
 * model file's text.
 *
 * @example
 * ```ts
 * // not-runnable: reads xor.json
 * const model = loadModel('xor.json');
 * ```
 * @throws DeltaflowError `E_READ` when the file cannot be read, `E_MODEL` naming the bad field
 * @category Model file
 */
export function loadModel(path: string): Sequential {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DeltaflowError(
      'E_READ',
      `Cannot read model ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  return parseModel(text, path);
}
