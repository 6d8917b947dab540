import type { DType } from '@deltaflow/tensor';
import type { CsvEncoding } from './csv-decode.js';
import { CsvReader } from './csv-reader.js';
import type { Dataset, Task } from './dataset.js';

/**
 * Options of {@link parseCsv} and `readCsv`.
 *
 * @example
 * ```ts
 * const options: CsvOptions = { target: 'species', file: 'iris.csv', dtype: 'float64' };
 * ```
 * @category CSV
 */
export interface CsvOptions {
  /** Target column name(s); default: the last column. `[]` reads features only (for predictions). */
  target?: string | readonly string[];
  /** Feature columns, in the order wanted; default: every column that is not a target, in file order. */
  features?: readonly string[];
  /** File name used in error messages and as the default dataset name; default `'CSV input'`. */
  file?: string;
  /** Dataset name; default: the file's base name without extension, or `'csv'`. */
  name?: string;
  /** Cell separator, one character; default `','`. */
  delimiter?: string;
  /** Element type of inputs and targets; default `'float32'`. */
  dtype?: DType;
  /** Overrides the task inferred from the targets (text or all 0/1: classification, else regression). */
  task?: Task;
  /** One-hot encode the (single) target column even when its labels are numbers, such as digits 0-9. */
  categorical?: boolean;
  /**
   * How bytes are read as text (streamed readers only; a string is text already): `'utf-8'` (default, strict:
   * invalid bytes are an error naming the line and byte offset) or `'latin1'` (ISO-8859-1).
   */
  encoding?: CsvEncoding;
}

/**
 * Parses CSV text into a {@link Dataset}: a header row of column names, then one row per sample. Browser-safe
 * (no file access). The same parser reads streams in chunks of any size: {@link parseCsvStream} (a `File`,
 * `Blob` or `ReadableStream`), and Node's `readCsv` / `readCsvStream` in `@deltaflow/data/node` (a path or a
 * `Readable`), so files of any size are read without a string of the whole file.
 *
 * Rules: cells are separated by `delimiter`; a cell may be quoted with `"` (a quote inside is written `""`,
 * and quoted cells may hold delimiters and newlines); blank lines are skipped; `\n`, `\r\n` and lone `\r` line
 * ends and a byte-order mark are accepted. Feature cells and numeric target cells must be finite decimal numbers
 * that the dtype can hold (float32: magnitudes below about 3.4e38). A target column whose first cell is text (or
 * any target with `categorical`) holds class labels (at most 1000 different ones): it becomes one-hot columns,
 * one per label, sorted (numerically when the labels are numbers), kept in `classNames`. Numbers go straight
 * from the text into typed arrays sized by the rows read, in one pass.
 *
 * @example
 * ```ts
 * const ds = parseCsv('x,y,label\n0.5,1,cat\n2,0.25,dog\n', { file: 'pets.csv' });
 * ds.inputs.shape; // → [2, 2]
 * ds.classNames;   // targets one-hot [2, 2] → ['cat', 'dog']
 * ```
 * @param text - the whole CSV text
 * @param options - target and feature columns, file name for messages, delimiter, dtype, task
 * @throws DeltaflowError `E_CSV` for malformed input (empty, header only, ragged row, a cell that is not a finite
 * number or is out of the dtype's range, unknown column), naming the file, the line and the column; `E_OPTION`
 * for bad options
 * @category CSV
 */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  return new CsvReader(options).end(text);
}
