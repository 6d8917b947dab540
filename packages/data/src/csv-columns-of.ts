import { csvError } from './csv-columns.js';
import { CsvScanner, CsvSyntaxError } from './csv-scanner.js';

/**
 * The column names of CSV text: its header row, read with the same rules as {@link parseCsv} (quotes, a
 * byte-order mark, blank lines before it, `\r\n`), without reading the rows. Lets a program offer the columns
 * (for a target and features) before parsing the whole file. Browser-safe.
 *
 * @example
 * ```ts
 * csvColumns('x,y,"class, name"\n1,2,cat\n'); // → ['x', 'y', 'class, name']
 * ```
 * @param text - the whole CSV text (only the header row is read)
 * @param options - file name for messages, cell separator (default `','`)
 * @returns the header's column names, in file order
 * @throws DeltaflowError `E_CSV` when the text is empty or the header row is malformed, naming the file and line
 * @category CSV
 */
export function csvColumns(text: string, options: { file?: string; delimiter?: string } = {}): string[] {
  const file = options.file ?? 'CSV input';
  const scanner = new CsvScanner(text, (options.delimiter ?? ',').charCodeAt(0));
  if (!scanner.nextRecord()) {
    throw csvError(
      `${file} is empty; a CSV file needs a header row of column names and rows of numbers below it`,
    );
  }
  const header: string[] = [];
  do {
    try {
      scanner.readCell();
    } catch (error) {
      if (error instanceof CsvSyntaxError) {
        throw csvError(`${file}, line ${error.line}, column '${header.length + 1}': ${error.problem}`);
      }
      throw error;
    }
    header.push(scanner.content());
  } while (!scanner.rowEnd);
  return header;
}
