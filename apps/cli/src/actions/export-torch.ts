import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@deltaflow/core/node';
import { toTorch } from '@deltaflow/interop';
import { CliError, EXIT } from '../errors.js';
import { out } from '../output.js';
import { readModelFile } from '../options/model.js';
import { loadPlugins } from '../options/plugins.js';
import type { ExportArgs } from './export-args.js';

/** Makes the directory `dir` (and its parents) unless it exists; refuses a path that is a file. */
export function outputDirectory(flag: string, dir: string): void {
  try {
    if (!statSync(dir).isDirectory())
      throw new CliError(`Cannot write ${flag} ${dir}: it is a file, and this format writes a directory.`);
    return;
  } catch (error) {
    if (error instanceof CliError) throw error;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new CliError(
      `Cannot make the directory ${flag} ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
}

/**
 * Runs `deltaflow export --format torch`: writes `--out DIR/model.safetensors` and `DIR/model.py` (atomically),
 * after the whole export succeeded.
 *
 * @example
 * ```ts
 * // not-runnable: reads iris.json
 * const code = await exportTorch({ model: 'iris.json', format: 'torch', out: 'iris-torch' });
 * ```
 */
export async function exportTorch(args: ExportArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  const { model } = readModelFile(args.model, '--model');
  const { safetensors, python } = toTorch(model);
  outputDirectory('--out', args.out);
  const weights = join(args.out, 'model.safetensors');
  const source = join(args.out, 'model.py');
  writeFileAtomic(weights, safetensors);
  writeFileAtomic(source, python);
  out(`Wrote ${weights} and ${source}; in Python: import model; net = model.load()`);
  return EXIT.ok;
}
