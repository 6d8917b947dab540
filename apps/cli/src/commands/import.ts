import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import type { ImportArgs } from '../actions/export-args.js';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';

/**
 * The files `deltaflow import --from` reads, by extension, each with the action that reads it (loaded when
 * used).
 */
const IMPORTERS: Record<string, () => Promise<(args: ImportArgs) => Promise<number>>> = {
  '.onnx': async () => (await import('../actions/import-onnx.js')).importOnnx,
  '.safetensors': async () => (await import('../actions/import-safetensors.js')).importSafetensors,
};

/**
 * `deltaflow import`: writes a deltaflow model file from an ONNX model or a PyTorch state dict (safetensors). A
 * thin dispatch table: each format's work is in its action file (`actions/import-<format>.ts`).
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(importCommand(context));
 * ```
 */
export function importCommand(context: CommandContext): CommandModule {
  return {
    command: 'import',
    describe: 'Make a deltaflow model file from an ONNX model or a safetensors state dict',
    builder: (yargs) =>
      yargs
        .options({
          from: {
            type: 'string',
            demandOption: true,
            describe: 'The file to read: MODEL.onnx or STATE.safetensors',
          },
          save: { type: 'string', demandOption: true, describe: 'The model file to write' },
          layers: {
            type: 'string',
            describe: 'safetensors: the hidden layer sizes the file must have, e.g. 8,4 (checked)',
          },
          activation: {
            type: 'string',
            describe: 'safetensors: activation of the hidden layers',
            defaultDescription: "the file's, when deltaflow wrote it",
          },
          'output-activation': {
            type: 'string',
            describe: 'safetensors: activation of the output layer',
            defaultDescription: '--activation',
          },
        })
        .group(['from', 'save', 'layers', 'activation', 'output-activation'], 'Import:')
        .example(
          ...helpExample(
            yargs,
            '$0 import --from model.onnx --save model.json',
            'from torch.onnx.export or tf2onnx (Gemm or MatMul + Add, each with an activation)',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 import --from iris-torch/model.safetensors --save iris.json',
            'a file deltaflow exported: its activations are stored in it',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 import --from state.safetensors --layers 16 --activation relu --output-activation softmax --save m.json',
            "a PyTorch nn.Sequential's state dict",
          ),
        ),
    handler: async (args) => {
      const from = String(args['from']);
      const extension = Object.keys(IMPORTERS).find((ext) => from.toLowerCase().endsWith(ext));
      if (extension === undefined) {
        throw new UsageError(
          `--from ${from}: deltaflow imports ${Object.keys(IMPORTERS).join(' and ')} files; name the file by its type.`,
        );
      }
      const load = IMPORTERS[extension];
      if (!load) throw new UsageError(`Importing ${extension} files is not available in this build yet.`);
      const action = await load();
      context.exitCode = await action(args as unknown as ImportArgs);
    },
  };
}
