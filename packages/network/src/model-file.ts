import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DeltaflowError } from '@deltaflow/tensor';
import { modelToJSON, parseModel } from './model-json.js';
import type { ModelJSON } from './model-json.js';
import { Sequential } from './sequential.js';

/**
 * Writes `contents` to `path` atomically: into a temporary file beside it, then renamed into place, so a crash
 * or a full disk never leaves a half-written file and an existing file is replaced only by a complete one.
 *
 * @example
 * ```ts
 * writeFileAtomic('model.json', JSON.stringify(json));
 * ```
 * @throws DeltaflowError `E_WRITE` naming the path when it cannot be written
 * @category Model file
 */
export function writeFileAtomic(path: string, contents: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, contents, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new DeltaflowError(
      'E_WRITE',
      `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
}

/**
 * Saves a model (or model-file data) to `path` atomically, as JSON.
 *
 * @example
 * ```ts
 * saveModel('xor.json', model, { loss: 'mse', epochs: 2000 });
 * ```
 * @category Model file
 */
export function saveModel(path: string, model: Sequential | ModelJSON, meta?: Record<string, unknown>): void {
  const json =
    model instanceof Sequential ? modelToJSON(model, meta) : { ...model, ...(meta ? { meta } : {}) };
  writeFileAtomic(path, `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Reads and validates a model file.
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
