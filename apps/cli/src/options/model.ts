import { readFileSync } from 'node:fs';
import { parseModel } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { modelInfo } from '@deltaflow/trainer';
import type { ModelInfo } from '@deltaflow/trainer';
import { CliError } from '../errors.js';

/** What the CLI reads back from a model file's `meta` (see `modelInfo` of `@deltaflow/trainer`), and the raw meta. */
export interface ModelMeta extends ModelInfo {
  /** The whole meta object as stored. */
  raw: Record<string, unknown>;
}

/** A model file read and checked. */
export interface LoadedModel {
  model: Sequential;
  meta: ModelMeta;
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
  return { model, meta: { ...modelInfo(model, path), raw: model.meta ?? {} } };
}
