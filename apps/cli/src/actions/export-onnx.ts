import { writeFileAtomic } from '@deltaflow/core/node';
import { toOnnx } from '@deltaflow/interop';
import type { ExportArgs } from './export-args.js';
import { readModelFile } from '../options/model.js';
import { loadPlugins } from '../options/plugins.js';
import { out } from '../output.js';

/**
 * Runs `deltaflow export --format onnx` (see {@link exportCommand}): the model file (its plugins loaded first)
 * as one .onnx file, written atomically.
 *
 * @example
 * ```ts
 * // not-runnable: reads iris.json
 * const code = await exportOnnx({ model: 'iris.json', format: 'onnx', out: 'iris.onnx' });
 * ```
 */
export async function exportOnnx(args: ExportArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  const { model } = readModelFile(args.model, '--model');
  const dtype = args.dtype ?? model.dtype;
  const bytes = toOnnx(model, { dtype });
  writeFileAtomic(args.out, bytes);
  const extras = [
    model.meta?.['scaler'] ? 'the input scaler' : '',
    model.meta?.['classNames'] ? 'class names' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  out(
    `Wrote ${args.out}: ONNX opset 17, ${dtype}, ${model.layers.length} dense layer${model.layers.length > 1 ? 's' : ''}` +
      `${extras ? `, with ${extras}` : ''} (${bytes.length} bytes).`,
  );
  return 0;
}
