/**
 * The `deltaflow` command line: train, predict, evaluate, gradcheck and plugins, built on yargs.
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import { suggest } from '@deltaflow/core';
import yargs from 'yargs';
import { dashboardCommand } from './commands/dashboard.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { gradcheckCommand } from './commands/gradcheck.js';
import { importCommand } from './commands/import.js';
import { predictCommand } from './commands/predict.js';
import { pluginsCommand } from './commands/plugins.js';
import { trainCommand } from './commands/train.js';
import type { CommandContext } from './commands/context.js';
import { UsageError, describeError, oneLine } from './errors.js';
import { checkFlags } from './options/check-flags.js';
import type { FlagTable } from './options/check-flags.js';
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

/**
 * yargs names an unknown `--kebab-flag` twice (also as kebabFlag) and without its dashes: keep the spelling the
 * user typed (`-x`, `--flag`, or a stray word in quotes).
 */
function tidyUnknownArguments(text: string, tokens: readonly string[]): string {
  const match = /^Unknown arguments?: (.*)$/.exec(text);
  if (!match) return text;
  const names = match[1]!.split(', ');
  const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const kept = names.filter((name) => !names.some((other) => other !== name && camel(other) === name));
  const typed = (name: string): string => {
    const flag = [`--${name}`, `-${name}`].find((f) => tokens.some((t) => t === f || t.startsWith(`${f}=`)));
    return flag ?? `'${name}'`;
  };
  return `Unknown argument${kept.length > 1 ? 's' : ''} ${kept.map(typed).join(', ')}`;
}

/** yargs' "Missing required argument: model" in flags: "Missing required flag --model". */
function tidyMissingArguments(text: string): string {
  const match = /^Missing required arguments?: (.*)$/.exec(text);
  if (!match) return text;
  const flags = match[1]!.split(', ').map((name) => `--${name}`);
  return `Missing required flag${flags.length > 1 ? 's' : ''} ${flags.join(', ')}`;
}

/**
 * Refuses a mistyped command with the closest command (core's `suggest`, the project's one suggestion
 * function), then checks the flags of the command that runs ({@link checkFlags}).
 */
function checkCommandLine(
  tokens: readonly string[],
  args: { _: readonly (string | number)[] },
  table: FlagTable,
  commands: readonly string[],
): void {
  const first = args._[0];
  if (first !== undefined && !commands.includes(String(first))) {
    const close = suggest(String(first), commands);
    throw new UsageError(
      `Unknown command '${first}'; ${close ? `did you mean ${close}?` : 'see deltaflow --help for the commands.'}`,
    );
  }
  if (tokens.includes('--help') || tokens.includes('--version')) return;
  checkFlags(tokens, table, {
    ...(first !== undefined ? { command: String(first) } : {}),
    optionalValue: first === 'train' ? ['dashboard'] : [],
  });
}

/**
 * Runs the `deltaflow` command line with `argv` (without the node and script paths) and returns the exit code:
 * 0 success, 1 failure, 2 usage error, 130 interrupted by Ctrl-C, 143 terminated by SIGTERM. Errors are printed as one line on stderr
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
  const tokens = joinNegativeValues(argv);
  const parser = yargs(tokens);
  const commands = [
    trainCommand(context),
    predictCommand(context),
    evaluateCommand(context),
    gradcheckCommand(context),
    pluginsCommand(context),
    dashboardCommand(context),
    exportCommand(context),
    importCommand(context),
  ];
  const names = commands.map((command) => String(command.command));
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
      .command(commands)
      // before yargs' own validation, which would word these in its terms or let them pass
      .middleware(
        (args) =>
          checkCommandLine(
            tokens,
            args,
            (parser as unknown as { getOptions(): FlagTable }).getOptions(),
            names,
          ),
        true,
      )
      .demandCommand(
        1,
        'Choose a command: train, predict, evaluate, gradcheck, plugins, dashboard, export or import.',
      )
      .strict()
      .help()
      .version(version)
      .epilogue(
        'Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).',
      )
      .wrap(Math.min(110, parser.terminalWidth()))
      .exitProcess(false)
      .fail((message: string | null, error: Error | undefined) => {
        if (error) throw error;
        const text = tidyMissingArguments(
          tidyUnknownArguments(oneLine(message ?? 'invalid command line').replace(/\.$/, ''), tokens),
        );
        const command = names.includes(String(argv[0])) ? ` ${argv[0]}` : '';
        throw new UsageError(`${text} (see deltaflow${command} --help).`);
      })
      .parseAsync();
  } catch (error) {
    const { text, exitCode } = describeError(error, argv.includes('--verbose'));
    process.stderr.write(paintError(text, colorsFor(process.stderr)));
    return exitCode;
  }
  return context.exitCode;
}
