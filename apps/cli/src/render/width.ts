/**
 * The width to lay a terminal's output out in: its `columns`, or 80 when it does not say (a pseudo-terminal
 * without a size). Lines are kept one column short of it, so that writing the last column never wraps.
 *
 * @example
 * ```ts
 * terminalColumns({ columns: 120 }); // → 120
 * ```
 */
export function terminalColumns(stream: { columns?: number } = process.stdout): number {
  const columns = stream.columns;
  return columns !== undefined && Number.isFinite(columns) && columns > 0 ? columns : 80;
}

// eslint-disable-next-line no-control-regex -- ANSI colour and cursor sequences are what this strips
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * The number of columns a line takes on screen: its length without ANSI escape sequences.
 *
 * @example
 * ```ts
 * visibleLength('\x1b[32mok\x1b[39m'); // → 2
 * ```
 */
export function visibleLength(line: string): number {
  return [...line.replace(ANSI, '')].length;
}

/**
 * The widest line of a block of text, in columns.
 *
 * @example
 * ```ts
 * widestLine('ab\nabcd'); // → 4
 * ```
 */
export function widestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleLength));
}

/**
 * Joins `parts` with spaces into as few lines as fit in `width` columns, breaking only between parts and
 * indenting the following lines by `indent` spaces (a part wider than a line gets a line of its own).
 *
 * @example
 * ```ts
 * wrapParts(['model 2-4-1,', 'loss mse,', 'sgd lr 0.5'], 24, 2);
 * // → 'model 2-4-1, loss mse,\n  sgd lr 0.5'
 * ```
 */
export function wrapParts(parts: readonly string[], width: number, indent = 0): string {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line !== '' && visibleLength(`${line} ${part}`) > width) {
      lines.push(line);
      line = `${' '.repeat(indent)}${part}`;
    } else {
      line = line === '' ? part : `${line} ${part}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/**
 * A string cut to `width` columns, with an ellipsis in the middle when it is longer (for file paths: both the
 * start and the file name stay readable).
 *
 * @example
 * ```ts
 * middleEllipsis('/home/user/models/iris.json', 16); // → '/home/us…is.json'
 * ```
 */
export function middleEllipsis(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  const tail = Math.floor((width - 1) / 2);
  return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
}
