import { readFileSync } from 'node:fs';
import { fromOnnx } from '@deltaflow/interop';
import { denseLayers } from '@deltaflow/network';
import { saveModel } from '@deltaflow/network/node';
import type { ImportArgs } from './export-args.js';
import { CliError } from '../errors.js';
import { loadPlugins } from '../options/plugins.js';
import { out } from '../output.js';

/**
 * Runs `deltaflow import --from FILE.onnx` (see {@link importCommand}): reads the ONNX model (plugins loaded first,
 * for a deltaflow export that names their activations) and saves it as a deltaflow model file, atomically.
 *
 * @example
 * ```ts
 * // not-runnable: reads model.onnx
 * const code = await importOnnx({ from: 'model.onnx', save: 'model.json' });
 * ```
 */
export async function importOnnx(args: ImportArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(args.from));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new CliError(
      `Cannot read the ONNX file ${args.from} (--from): ${reason ?? (error as Error).message}.`,
    );
  }
  const json = fromOnnx(bytes);
  saveModel(args.save, json);
  const layers = denseLayers(json);
  const shape = [layers[0]!.inputs, ...layers.map((l) => l.units)].join('-');
  out(`Wrote ${args.save}: a ${json.dtype ?? 'float32'} ${shape} network from ${args.from}.`);
  return 0;
}
