import { DeltaflowError, pluginRegistries } from '@deltaflow/core';
import type { PluginKind } from '@deltaflow/core';

/**
 * The exit codes of `deltaflow`: 0 success, 1 a failure (bad file, model or data, a gradient check above its
 * tolerance, a diverged run), 2 a usage error (unknown flag, bad flag value), 130 interrupted by Ctrl-C.
 *
 * @example
 * ```ts
 * process.exitCode = ok ? EXIT.ok : EXIT.failure;
 * ```
 * @category CLI
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/**
 * A bad flag or flag value: printed as one line, exit code 2.
 *
 * @example
 * ```ts
 * throw new UsageError("--lr must be a positive number, got '-1'.");
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
 * throw new CliError('Cannot write --save out.json: the directory out does not exist.');
 * ```
 * @category CLI
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/**
 * The CLI's words for what a library message says in terms of options: a name a plugin may add is loaded here
 * with `--plugin MODULE`, where the library says `installPlugin`.
 *
 * @example
 * ```ts
 * flagWording("Unknown loss 'hinge'; registered: mse; a plugin may add it (installPlugin).");
 * // "Unknown loss 'hinge'; registered: mse; a plugin may add it (--plugin MODULE)."
 * ```
 * @category CLI
 */
export function flagWording(message: string): string {
  return message.replace(/a plugin may add it \(installPlugin\)/g, 'a plugin may add it (--plugin MODULE)');
}

/**
 * The name `value` of `flag` when a built-in or an installed plugin provides it (from the library's own
 * tables), else a UsageError naming the flag, the registered names and `--plugin`.
 *
 * @example
 * ```ts
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

/** Folds a message onto one line. */
export function oneLine(message: string): string {
  return message
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.\.$/, '.');
}

/**
 * Turns any error into the one line printed on stderr (`deltaflow: <message>`), the exit code, and with
 * `verbose` the stack trace after it.
 *
 * @example
 * ```ts
 * const { text, exitCode } = describeError(error, false);
 * process.stderr.write(text);
 * ```
 * @category CLI
 */
export function describeError(error: unknown, verbose: boolean): { text: string; exitCode: number } {
  const exitCode = error instanceof UsageError ? EXIT.usage : EXIT.failure;
  const known = error instanceof UsageError || error instanceof CliError || error instanceof DeltaflowError;
  const message =
    error instanceof Error
      ? known
        ? flagWording(error.message)
        : `unexpected error: ${error.message || error.name}`
      : `unexpected error: ${String(error)}`;
  let text = `deltaflow: ${oneLine(message)}\n`;
  if (verbose && error instanceof Error && error.stack) text += `${error.stack}\n`;
  return { text, exitCode };
}
