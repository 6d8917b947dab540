import { createColors } from 'picocolors';

/** The colour functions the CLI uses (picocolors'), as no-ops when colour is off. */
export type Colors = ReturnType<typeof createColors>;

/** The parts of the environment and of an output stream that decide whether to colour it. */
export interface ColorContext {
  /** The environment (`NO_COLOR`, `FORCE_COLOR`, `TERM`). */
  env: Record<string, string | undefined>;
  /** Whether the stream is a terminal. */
  isTTY: boolean | undefined;
}

/**
 * Whether to colour an output stream: never when `NO_COLOR` is set to anything but an empty string
 * (no-color.org), always when `FORCE_COLOR` is set (except to `0` or `false`), else only on a terminal whose
 * `TERM` is not `dumb`. Files, pipes and CI logs get plain text.
 *
 * @example
 * ```ts
 * colorEnabled({ env: { NO_COLOR: '1' }, isTTY: true }); // → false
 * ```
 */
export function colorEnabled(context: ColorContext): boolean {
  const { env } = context;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return context.isTTY === true && env.TERM !== 'dumb';
}

/**
 * The colours for a stream of this process (`process.stdout` or `process.stderr`), following
 * {@link colorEnabled}.
 *
 * @example
 * ```ts
 * const c = colorsFor(process.stderr);
 * process.stderr.write(c.red('deltaflow: no such file') + '\n');
 * ```
 */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  return createColors(colorEnabled({ env: process.env, isTTY: stream.isTTY }));
}

/**
 * How a run ended, coloured by how it went: completed green, diverged red, stopped (Ctrl-C) and early-stopped
 * yellow.
 *
 * @example
 * ```ts
 * outcomeColor('diverged', colorsFor(process.stdout))('diverged'); // red on a terminal
 * ```
 */
export function outcomeColor(reason: string, c: Colors): (text: string) => string {
  if (reason === 'completed') return c.green;
  if (reason === 'diverged') return c.red;
  return c.yellow;
}

/**
 * An error's text for stderr with its first line (`deltaflow: <message>`) in red; a stack trace under it
 * stays plain.
 *
 * @example
 * ```ts
 * process.stderr.write(paintError('deltaflow: Cannot read x.csv.\n', colorsFor(process.stderr)));
 * ```
 */
export function paintError(text: string, c: Colors): string {
  const end = text.indexOf('\n');
  const first = end === -1 ? text : text.slice(0, end);
  return c.red(first) + (end === -1 ? '' : text.slice(end));
}
