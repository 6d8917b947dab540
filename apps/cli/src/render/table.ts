import Table from 'cli-table3';

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
