import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@deltaflow/core/node';
import { fromSafetensors } from '@deltaflow/interop';
import { denseLayers } from '@deltaflow/network';
import { CliError, EXIT, registeredName } from '../errors.js';
import { out } from '../output.js';
import { parseLayers } from '../options/parse.js';
import { checkOutputPath } from '../options/paths.js';
import { loadPlugins } from '../options/plugins.js';
import type { ImportArgs } from './export-args.js';

/**
 * Runs `deltaflow import --from STATE.safetensors`: reads the state dict of an nn.Sequential of nn.Linear layers
 * with the layer spec of `--layers`, `--activation` and `--output-activation` (optional for a file deltaflow
 * exported) and writes the model file `--save` atomically.
 *
 * @example
 * ```ts
 * // not-runnable: reads state.safetensors
 * const code = await importSafetensors({ from: 'state.safetensors', save: 'm.json', activation: 'relu' });
 * ```
 */
export async function importSafetensors(args: ImportArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  const layers = args.layers !== undefined ? parseLayers(args.layers) : undefined;
  const activation =
    args.activation !== undefined ? registeredName('--activation', 'activation', args.activation) : undefined;
  const outputActivation =
    args.outputActivation !== undefined
      ? registeredName('--output-activation', 'activation', args.outputActivation)
      : undefined;
  checkOutputPath('--save', args.save);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(args.from);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new CliError(`Cannot read --from ${args.from}: ${reason ?? (error as Error).message}.`);
  }
  const json = fromSafetensors(bytes, {
    ...(layers ? { layers } : {}),
    ...(activation ? { activation } : {}),
    ...(outputActivation ? { outputActivation } : {}),
    source: args.from,
  });
  writeFileAtomic(args.save, `${JSON.stringify(json, null, 2)}\n`);
  const dense = denseLayers(json);
  const sizes = [dense[0]!.inputs, ...dense.map((l) => l.units)].join('-');
  const names = dense.map((l) => (typeof l.activation === 'string' ? l.activation : l.activation.name));
  out(`Wrote ${args.save}: ${sizes}, ${json.dtype}, ${names.join(', ')}`);
  return EXIT.ok;
}
