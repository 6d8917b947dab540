import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import type { ExportArgs } from '../actions/export-args.js';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';

/**
 * The formats of `deltaflow export --format`, each with the action that writes it (loaded when used).
 */
const EXPORTERS: Record<string, () => Promise<(args: ExportArgs) => Promise<number>>> = {
  onnx: async () => (await import('../actions/export-onnx.js')).exportOnnx,
  torch: async () => (await import('../actions/export-torch.js')).exportTorch,
  js: async () => (await import('../actions/export-js.js')).exportJs,
};

/**
 * `deltaflow export`: writes a saved model in another format (ONNX, PyTorch, a standalone JavaScript module). A
 * thin dispatch table: each format's work is in its action file (`actions/export-<format>.ts`).
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(exportCommand(context));
 * ```
 */
export function exportCommand(context: CommandContext): CommandModule {
  return {
    command: 'export',
    describe: 'Write a saved model as ONNX, PyTorch or a standalone JavaScript module',
    builder: (yargs) =>
      yargs
        .options({
          model: { type: 'string', demandOption: true, describe: 'The model file' },
          format: {
            type: 'string',
            demandOption: true,
            choices: Object.keys(EXPORTERS),
            describe:
              'onnx: one .onnx file; torch: DIR/model.safetensors and DIR/model.py; js: FILE.js and FILE.d.ts',
          },
          out: {
            type: 'string',
            demandOption: true,
            describe: 'Where to write: a file (onnx, js) or a directory (torch, made if missing)',
          },
          dtype: {
            type: 'string',
            choices: ['float32', 'float64'],
            describe: 'onnx: the exported numbers',
            defaultDescription: "the model's",
          },
        })
        .group(['model', 'format', 'out', 'dtype'], 'Export:')
        .example(
          ...helpExample(
            yargs,
            '$0 export --model iris.json --format onnx --out iris.onnx',
            'one .onnx file for ONNX Runtime; it takes raw inputs (the scaler is in the graph)',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 export --model iris.json --format torch --out iris-torch',
            'iris-torch/model.safetensors and model.py (load() needs torch alone)',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 export --model xor.json --format js --out xor.js',
            'xor.js (predict, predictBatch; no dependencies) and xor.d.ts',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 export --model m.json --format js --out m.js --plugin ./softsign.mjs',
            "a plugin activation's function goes into the module",
          ),
        ),
    handler: async (args) => {
      const format = String(args['format']);
      const load = EXPORTERS[format];
      if (!load)
        throw new UsageError(`--format ${format} is not available in this build; use onnx, torch or js.`);
      const action = await load();
      context.exitCode = await action(args as unknown as ExportArgs);
    },
  };
}
