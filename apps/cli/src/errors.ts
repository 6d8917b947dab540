import { DeltaflowError, pluginRegistries } from '@deltaflow/core';
import type { PluginKind } from '@deltaflow/core';
import { trainKeys } from './options/train-flags.js';

/**
 * The exit codes of `deltaflow`: 0 success, 1 a failure (bad file, model or data, a file that cannot be written,
 * a gradient check above its tolerance, a diverged run), 2 a usage error (unknown flag, bad flag value), 70 an
 * internal error (a bug: any error that is not a deltaflow or CLI error), 130 interrupted by Ctrl-C (SIGINT), 143
 * terminated by SIGTERM (`kill`, `timeout`, a process manager): 128 + the signal's number, as shells report it.
 * After either signal, `train` stops after the current batch and still saves the model and the events file.
 *
 * @example
 * ```ts
 * process.exitCode = EXIT.ok;
 * EXIT.usage; // → 2
 * ```
 * @category CLI
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  internal: 70,
  interrupted: 130,
  terminated: 143,
} as const;

/**
 * A bad flag or flag value: printed as one line, exit code 2.
 *
 * @example
 * ```ts
 * const error = new UsageError("--lr must be a positive number, got '-1'.");
 * describeError(error, false).exitCode; // → 2
 * ```
 * @category CLI
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Any other failure the CLI detects itself (a file it cannot read or write, a run that diverged): printed as one
 * line, exit code 1.
 *
 * @example
 * ```ts
 * const error = new CliError('Cannot write --save out.json: the directory out does not exist.');
 * describeError(error, false).exitCode; // → 1
 * ```
 * @category CLI
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/**
 * The CLI's words for what a library message says in terms of options: quoted option names become flags
 * ({@link toFlags}), and a name a plugin may add is loaded here with `--plugin MODULE`, where the library says
 * `installPlugin`.
 *
 * @example
 * ```ts
 * flagWording("Unknown loss 'hinge'; registered: mse; a plugin may add it (installPlugin).");
 * // "Unknown loss 'hinge'; registered: mse; a plugin may add it (--plugin MODULE)."
 * ```
 * @category CLI
 */
export function flagWording(message: string): string {
  return (
    toFlags(message)
      .replace(/a plugin may add it \(installPlugin\)/g, 'a plugin may add it (--plugin MODULE)')
      // a clash: the command line has no way to replace registered names, so renaming is the fix
      .replace(/, or install the plugin with \{ replace: true \} to override (them|it)\)/g, ')')
      .replace(/load that plugin first \(installPlugin, or --plugin /g, 'load that plugin first (--plugin ')
  );
}

/**
 * The name `value` of `flag` when a built-in or an installed plugin provides it (from the library's own
 * tables), else a UsageError naming the flag, the registered names and `--plugin`.
 *
 * @example
 * ```ts
 * // not-runnable: the built-in activations register when @deltaflow/activations is imported
 * registeredName('--activation', 'activation', 'tanh'); // 'tanh'
 * ```
 * @category CLI
 */
export function registeredName(flag: string, kind: PluginKind, value: string): string {
  try {
    pluginRegistries[kind].assertKnown(value);
  } catch (error) {
    const message = flagWording((error as Error).message);
    throw new UsageError(`${flag}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, { cause: error });
  }
  return value;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Speaks of flags where the library speaks of options: the library's messages quote option names in backquotes
 * (`` `validationSplit` ``, `` `lr` ``), and the CLI prints those that are train flags as its flags
 * (`--validation-split`, `--lr`); other quoted names lose their backquotes.
 *
 * @example
 * ```ts
 * toFlags('try a smaller learning rate (`lr`)'); // 'try a smaller learning rate (--lr)'
 * ```
 * @category CLI
 */
export function toFlags(message: string): string {
  return message.replace(/`([a-z][A-Za-z0-9]*)`/g, (_, name: string) =>
    trainKeys.includes(name) ? `--${kebab(name)}` : name,
  );
}

/** Folds a message onto one line. */
export function oneLine(message: string): string {
  return message
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.\.$/, '.');
}

/** The stack of `error`, then of each `cause` under it. */
function stackOf(error: unknown): string {
  let text = '';
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    text += `${depth > 0 ? 'Caused by: ' : ''}${e.stack ?? `${e.name}: ${e.message}`}\n`;
  }
  return text;
}

/**
 * Turns any error into the one line printed on stderr (`deltaflow: <message>`), the exit code, and with
 * `verbose` the stack trace after it (with the stacks of its causes).
 *
 * A `DeltaflowError`, `UsageError` or `CliError` is the user's to fix: its message is the line (exit code 1, or
 * 2 for usage). Anything else (a `TypeError`, ...) is a bug in deltaflow or a plugin, never relabelled: the line
 * says so, names the error, and points to `--verbose` for its stack (exit code 70). A plugin function that threw
 * (`E_PLUGIN_THREW`) is a bug too (exit code 70), and its message names the plugin, the entry and the function.
 *
 * @example
 * ```ts
 * const { text, exitCode } = describeError(new CliError('Cannot read xor.json.'), false);
 * process.stderr.write(text); // deltaflow: Cannot read xor.json.
 * exitCode; // → 1
 * describeError(new TypeError('x is undefined'), false).exitCode; // → 70
 * ```
 * @category CLI
 */
export function describeError(error: unknown, verbose: boolean): { text: string; exitCode: number } {
  const known = error instanceof UsageError || error instanceof CliError || error instanceof DeltaflowError;
  // a plugin's function that threw is a bug in the plugin: exit 70 like any bug, but the message names the plugin
  const pluginBug = error instanceof DeltaflowError && error.code === 'E_PLUGIN_THREW';
  const exitCode =
    error instanceof UsageError ? EXIT.usage : known && !pluginBug ? EXIT.failure : EXIT.internal;
  const message = known
    ? flagWording(error.message)
    : `internal error (a bug in deltaflow or a plugin): ${
        error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      }${verbose ? '' : '; run again with --verbose for its stack trace, and please report it'}.`;
  let text = `deltaflow: ${oneLine(message)}\n`;
  if (verbose && error instanceof Error) text += stackOf(error);
  return { text, exitCode };
}
