import Table from 'cli-table3';
import { widestLine, wrapParts } from './width.js';

/**
 * A plain table (no colours, so it reads the same in a terminal, a file or a CI log).
 *
 * @example
 * ```ts
 * console.log(table(['name', 'value'], [['loss', '0.01']]));
 * ```
 */
export function table(head: string[], rows: string[][], align: ('left' | 'right')[] = []): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true }, colAligns: align });
  t.push(...rows);
  return t.toString();
}

/** One column of a {@link fitTable}. */
export interface FitColumn {
  /** The heading on one line. */
  head: string;
  /** A narrower heading (on two lines, say), used when the table does not fit. */
  short?: string;
  align: 'left' | 'right';
  /** The cell of row `row`, numbers given with `digits` significant digits. */
  cell: (row: number, digits: number) => string;
  /** Dropped (in this order: 1 first) when the table is still too wide; 0 or absent never. */
  drop?: number;
}

/**
 * A {@link table} laid out to fit in `width` columns: two-line headings, then fewer digits (each of `digits` in
 * turn), then without the columns that may be dropped, followed by the note `leftOut(names)` naming those left
 * out, wrapped to the width. When nothing fits, the narrowest layout is returned.
 *
 * @example
 * ```ts
 * fitTable(
 *   [
 *     { head: 'layer', align: 'right', cell: (i) => String(i) },
 *     { head: 'worst error', short: 'worst\nerror', align: 'right', cell: (i, d) => (0.5 / (i + 1)).toPrecision(d) },
 *   ],
 *   2,
 *   60,
 *   { digits: [4, 3], leftOut: (names) => `(${names.join(', ')} left out to fit the terminal)` },
 * );
 * ```
 */
export function fitTable(
  columns: readonly FitColumn[],
  rows: number,
  width: number,
  options: { digits: readonly number[]; leftOut: (names: string[]) => string },
): string {
  const render = (dropped: number, short: boolean, digits: number): string => {
    const kept = columns.filter((c) => !c.drop || c.drop > dropped);
    const text = table(
      kept.map((c) => (short ? (c.short ?? c.head) : c.head)),
      Array.from({ length: rows }, (_, i) => kept.map((c) => c.cell(i, digits))),
      kept.map((c) => c.align),
    );
    const gone = columns.filter((c) => !kept.includes(c)).map((c) => c.head);
    if (gone.length === 0) return text;
    return `${text}\n${wrapParts(options.leftOut(gone).split(' '), width)}`;
  };
  const most = options.digits[0] ?? 3;
  const fewest = options.digits.at(-1) ?? most;
  const drops = Math.max(0, ...columns.map((c) => c.drop ?? 0));
  const tries: [number, boolean, number][] = [
    [0, false, most],
    ...options.digits.map((digits): [number, boolean, number] => [0, true, digits]),
    ...Array.from({ length: drops }, (_, i): [number, boolean, number] => [i + 1, true, fewest]),
  ];
  let text = '';
  for (const [dropped, short, digits] of tries) {
    text = render(dropped, short, digits);
    if (widestLine(text) <= width) return text;
  }
  return text;
}
