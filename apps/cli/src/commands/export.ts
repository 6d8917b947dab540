import { EXPORT_FORMATS } from '@deltaflow/interop';
import type { ExportFormat } from '@deltaflow/interop';
import type { CommandModule } from 'yargs';
import { CliError } from '../errors.js';
import type { CommandContext, GlobalArgs } from './context.js';
import { helpExample } from './help-example.js';

/** The parsed flags of `deltaflow export`; each format's action reads what it needs. */
export interface ExportArgs extends GlobalArgs {
  model: string;
  format: ExportFormat;
  out: string;
  dtype?: 'float32' | 'float64';
}

/** One action per format (apps/cli/src/actions/export-<format>.ts), loaded when that format is asked for. */
const EXPORTERS: Record<ExportFormat, (args: ExportArgs) => Promise<number>> = {
  onnx: async (args) => (await import('../actions/export-onnx.js')).exportOnnx(args),
  torch: () => Promise.reject(new CliError('export --format torch is not available in this build yet.')),
  js: () => Promise.reject(new CliError('export --format js is not available in this build yet.')),
};

/**
 * `deltaflow export`: writes a saved model in a format other engines run (`--format onnx|torch|js`).
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
    describe: 'Write a saved model for another engine (ONNX, PyTorch, standalone JavaScript)',
    builder: (yargs) =>
      yargs
        .options({
          model: { type: 'string', demandOption: true, describe: 'The model file' },
          format: {
            type: 'string',
            choices: EXPORT_FORMATS,
            demandOption: true,
            describe: 'onnx: one .onnx file; torch: DIR/model.safetensors + model.py; js: one ES module',
          },
          out: {
            type: 'string',
            demandOption: true,
            describe: 'Where to write (a file, or a directory for torch)',
          },
          dtype: {
            type: 'string',
            choices: ['float32', 'float64'],
            describe: 'The exported numbers',
            defaultDescription: "the model's",
          },
        })
        .group(['model', 'format', 'out', 'dtype'], 'Export:')
        .example(
          ...helpExample(
            yargs,
            '$0 export --model iris.json --format onnx --out iris.onnx',
            'for ONNX Runtime',
          ),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 export --model xor.json --format onnx --out xor.onnx --dtype float64',
            'float64 weights and inputs',
          ),
        ),
    handler: async (args) => {
      const exportArgs = args as unknown as ExportArgs;
      context.exitCode = await EXPORTERS[exportArgs.format](exportArgs);
    },
  };
}
