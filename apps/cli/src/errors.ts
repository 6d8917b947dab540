import { DeltaflowError } from '@deltaflow/tensor';

/**
 * The exit codes of `deltaflow`: 0 success, 1 a failure (bad file, model or data, a gradient check above its
 * tolerance, a diverged run), 2 a usage error (unknown flag, bad flag value), 130 interrupted by Ctrl-C.
 *
 * @example
 * ```ts
 * process.exitCode = EXIT.ok;
 * EXIT.usage; // → 2
 * ```
 * @category CLI
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

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
 * const { text, exitCode } = describeError(new Error('Cannot read xor.json.'), false);
 * process.stderr.write(text); // deltaflow: Cannot read xor.json.
 * exitCode; // → 1
 * ```
 * @category CLI
 */
export function describeError(error: unknown, verbose: boolean): { text: string; exitCode: number } {
  const exitCode = error instanceof UsageError ? EXIT.usage : EXIT.failure;
  const known = error instanceof UsageError || error instanceof CliError || error instanceof DeltaflowError;
  const message =
    error instanceof Error
      ? known
        ? error.message
        : `unexpected error: ${error.message || error.name}`
      : `unexpected error: ${String(error)}`;
  let text = `deltaflow: ${oneLine(message)}\n`;
  if (verbose && error instanceof Error && error.stack) text += `${error.stack}\n`;
  return { text, exitCode };
}
