/**
 * The `deltaflow` command line: train, predict, evaluate, gradcheck and plugins, built on yargs.
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { dashboardCommand } from './commands/dashboard.js';
import { evaluateCommand } from './commands/evaluate.js';
import { gradcheckCommand } from './commands/gradcheck.js';
import { predictCommand } from './commands/predict.js';
import { pluginsCommand } from './commands/plugins.js';
import { trainCommand } from './commands/train.js';
import type { CommandContext } from './commands/context.js';
import { UsageError, describeError, oneLine } from './errors.js';
import { guardOutput } from './output.js';
import { colorsFor, paintError } from './render/colors.js';

export { EXIT } from './errors.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * Lets a value that starts with a minus sign follow its flag (`--input -1,2`, `--lr -0.5`): yargs would read
 * `-1,2` as short flags, so such a token is joined to the flag before it (`--input=-1,2`).
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (const token of argv) {
    const previous = result.at(-1);
    if (/^-\.?\d/.test(token) && previous?.startsWith('--') && !previous.includes('=') && previous !== '--') {
      result[result.length - 1] = `${previous}=${token}`;
    } else {
      result.push(token);
    }
  }
  return result;
}

/** yargs names an unknown `--kebab-flag` twice (also as kebabFlag): keep the spelling the user typed. */
function tidyUnknownArguments(text: string): string {
  const match = /^Unknown arguments?: (.*)$/.exec(text);
  if (!match) return text;
  const names = match[1]!.split(', ');
  const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const kept = names.filter((name) => !names.some((other) => other !== name && camel(other) === name));
  return `Unknown argument${kept.length > 1 ? 's' : ''}: ${kept.join(', ')}`;
}

/**
 * Runs the `deltaflow` command line with `argv` (without the node and script paths) and returns the exit code:
 * 0 success, 1 failure, 2 usage error, 130 interrupted by Ctrl-C. Errors are printed as one line on stderr
 * (`deltaflow: <message>`, with the stack trace under `--verbose`); nothing is thrown.
 *
 * @example
 * ```ts
 * import { main } from '@deltaflow/cli';
 * process.exitCode = await main(['train', '--epochs', '500']);
 * ```
 * @category CLI
 */
export async function main(argv: string[]): Promise<number> {
  guardOutput();
  const context: CommandContext = { exitCode: 0 };
  const parser = yargs(joinNegativeValues(argv));
  try {
    await parser
      .scriptName('deltaflow')
      .usage('$0 <command> [options]\n\nMultilayer perceptrons trained by backpropagation.')
      .options({
        plugin: {
          type: 'string',
          array: true,
          global: true,
          describe: 'Load a plugin module (path or package name) first; repeatable',
        },
        verbose: { type: 'boolean', global: true, describe: 'Print the stack trace of an error' },
      })
      .command(trainCommand(context))
      .command(predictCommand(context))
      .command(evaluateCommand(context))
      .command(gradcheckCommand(context))
      .command(pluginsCommand(context))
      .command(dashboardCommand(context))
      .demandCommand(1, 'Choose a command: train, predict, evaluate, gradcheck, plugins or dashboard.')
      .recommendCommands()
      .strict()
      .help()
      .version(version)
      .epilogue('Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted (Ctrl-C).')
      .wrap(Math.min(110, parser.terminalWidth()))
      .exitProcess(false)
      .fail((message: string | null, error: Error | undefined) => {
        if (error) throw error;
        let text = tidyUnknownArguments(oneLine(message ?? 'invalid command line').replace(/\.$/, ''));
        if (text.startsWith('Did you mean')) text = `Unknown command '${argv[0]}'. ${text}`;
        throw new UsageError(`${text} (see deltaflow --help).`);
      })
      .parseAsync();
  } catch (error) {
    const { text, exitCode } = describeError(error, argv.includes('--verbose'));
    process.stderr.write(paintError(text, colorsFor(process.stderr)));
    return exitCode;
  }
  return context.exitCode;
}
