import { writeFileAtomic } from '@deltaflow/core/node';
import { toStandaloneModule } from '@deltaflow/interop';
import { EXIT, UsageError } from '../errors.js';
import { out } from '../output.js';
import { readModelFile } from '../options/model.js';
import { checkOutputPath } from '../options/paths.js';
import { loadPlugins } from '../options/plugins.js';
import type { ExportArgs } from './export-args.js';

/** The declarations file beside a module: x.js → x.d.ts, x.mjs → x.d.mts. */
export function declarationPath(path: string): string {
  return path.endsWith('.mjs') ? `${path.slice(0, -4)}.d.mts` : `${path.slice(0, -3)}.d.ts`;
}

/**
 * Runs `deltaflow export --format js`: writes the standalone ES module `--out FILE.js` and its `FILE.d.ts`
 * (atomically), after the whole export succeeded.
 *
 * @example
 * ```ts
 * // not-runnable: reads xor.json
 * const code = await exportJs({ model: 'xor.json', format: 'js', out: 'xor.js' });
 * ```
 */
export async function exportJs(args: ExportArgs): Promise<number> {
  if (!/\.m?js$/.test(args.out)) {
    throw new UsageError(
      `--out ${args.out} must name a .js or .mjs file for --format js (its .d.ts is written beside it).`,
    );
  }
  await loadPlugins(args.plugin ?? []);
  const { model } = readModelFile(args.model, '--model');
  const { js, dts } = toStandaloneModule(model);
  const types = declarationPath(args.out);
  checkOutputPath('--out', args.out);
  writeFileAtomic(args.out, js);
  writeFileAtomic(types, dts);
  out(`Wrote ${args.out} and ${types}; import { predict, predictBatch } from it (no dependencies)`);
  return EXIT.ok;
}
