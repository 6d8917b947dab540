/**
 * Where the CLI writes: stdout for results, stderr for errors and warnings. Node writes synchronously to files,
 * pipes and terminals on Linux, so lines appear in order and are complete when the process exits.
 */

let stdoutClosed = false;
let guarded = false;

/**
 * Keeps a closed pipe (`deltaflow train | head -3`) from crashing the command with an EPIPE stack trace: once
 * the reader has gone, stdout lines are dropped and the work (training, saving) goes on. Called by `main`.
 */
export function guardOutput(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', () => {
    stdoutClosed = true;
  });
  process.stderr.on('error', () => undefined);
}

/** Writes one line (a newline is added) to stdout. */
export function out(line = ''): void {
  if (!stdoutClosed) process.stdout.write(`${line}\n`);
}

/** Writes one line (a newline is added) to stderr. */
export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Whether stdout is a terminal (progress bars and charts) rather than a file or a pipe (plain lines). */
export function stdoutIsTerminal(): boolean {
  return process.stdout.isTTY === true;
}
