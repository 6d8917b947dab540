import type { CommandModule } from 'yargs';
import { CliError, UsageError } from '../errors.js';
import type { CommandContext, GlobalArgs } from './context.js';
import { helpExample } from './help-example.js';

/** The parsed flags of `deltaflow import`; each format's action reads what it needs. */
export interface ImportArgs extends GlobalArgs {
  from: string;
  save: string;
}

/** One action per file type, by the `--from` file's extension (apps/cli/src/actions/import-<format>.ts). */
const IMPORTERS: Record<string, (args: ImportArgs) => Promise<number>> = {
  '.onnx': async (args) => (await import('../actions/import-onnx.js')).importOnnx(args),
  '.safetensors': () =>
    Promise.reject(new CliError('import --from FILE.safetensors is not available in this build yet.')),
};

/**
 * `deltaflow import`: reads a model another tool wrote (`--from model.onnx`) into a deltaflow model file.
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
    describe: 'Read a model from ONNX (or safetensors) into a deltaflow model file',
    builder: (yargs) =>
      yargs
        .options({
          from: {
            type: 'string',
            demandOption: true,
            describe: `The file to read: ${Object.keys(IMPORTERS).join(' or ')}`,
          },
          save: { type: 'string', demandOption: true, describe: 'The model file to write' },
        })
        .group(['from', 'save'], 'Import:')
        .example(
          ...helpExample(
            yargs,
            '$0 import --from model.onnx --save model.json',
            'from torch.onnx.export or tf2onnx',
          ),
        )
        .example(
          ...helpExample(yargs, '$0 predict --model model.json --input 0.5,1.5', 'then use it as any model'),
        ),
    handler: async (args) => {
      const importArgs = args as unknown as ImportArgs;
      const extension = /\.[^./\\]+$/.exec(importArgs.from)?.[0]?.toLowerCase() ?? '';
      const importer = IMPORTERS[extension];
      if (!importer) {
        throw new UsageError(
          `--from ${importArgs.from}: deltaflow imports ${Object.keys(IMPORTERS).join(' and ')} files; name the file by its type.`,
        );
      }
      context.exitCode = await importer(importArgs);
    },
  };
}
