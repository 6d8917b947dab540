import { DeltaflowError, Tensor, allocate } from '@deltaflow/tensor';
import type { DType, TypedArray } from '@deltaflow/tensor';
import { SKIP, columnRoles, csvError } from './csv-columns.js';
import { CsvScanner, CsvSyntaxError, parseDecimal } from './csv-scanner.js';
import { checkDType } from './dataset.js';
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
}

/**
 * Parses CSV text into a {@link Dataset}: a header row of column names, then one row per sample. Browser-safe
 * (no file access; Node's `readCsv` in `@deltaflow/data/node` reads a file and calls this).
 *
 * Rules: cells are separated by `delimiter`; a cell may be quoted with `"` (a quote inside is written `""`,
 * and quoted cells may hold delimiters and newlines); blank lines are skipped; `\r\n` line ends and a byte-order
 * mark are accepted. Feature cells and numeric target cells must be finite decimal numbers. A target column
 * whose first cell is text (or any target with `categorical`) holds class labels: it becomes one-hot columns,
 * one per label, sorted (numerically when the labels are numbers), kept in `classNames`. Numbers go straight
 * from the text into a typed array, in one pass.
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
 * number, unknown column), naming the file, the line and the column; `E_OPTION` for bad options
 * @category CSV
 */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  const file = options.file ?? 'CSV input';
  const delimiter = checkDelimiter(options.delimiter ?? ',');
  const dtype = checkDType(options.dtype ?? 'float32', 'parseCsv');
  const scanner = new CsvScanner(text, delimiter);
  const at = (line: number, column?: string): string =>
    `${file}, line ${line}${column === undefined ? '' : `, column '${column}'`}`;
  const read = (column: string): void => {
    try {
      scanner.readCell();
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw csvError(`${at(error.line, column)}: ${error.problem}`);
      throw error;
    }
  };

  if (!scanner.nextRecord()) {
    throw csvError(
      `${file} is empty; a CSV file needs a header row of column names and rows of numbers below it`,
    );
  }
  const headerLine = scanner.line;
  const header: string[] = [];
  do {
    read(`${header.length + 1}`);
    header.push(scanner.content());
  } while (!scanner.rowEnd);
  const roles = columnRoles(header, options, `${at(headerLine)} (the header)`);
  if (!scanner.nextRecord()) {
    throw csvError(`${file} has a header row but no data rows; add rows of numbers below the header`);
  }

  // The first data row decides whether a single target column holds text labels.
  const { targets: targetColumns, featureCount } = roles;
  const firstRow = scanner.pos;
  const firstLine = scanner.line;
  const firstCells: string[] = [];
  do {
    read(header[firstCells.length] ?? `${firstCells.length + 1}`);
    firstCells.push(scanner.content());
  } while (!scanner.rowEnd);
  [scanner.pos, scanner.line] = [firstRow, firstLine];
  const labelled = targetColumns.filter((c) => options.categorical || isText(firstCells[c] ?? '0'));
  if (labelled.length > 0 && targetColumns.length > 1) {
    throw csvError(
      `${at(firstLine, header[labelled[0]!])}: class labels need a single target column, but ${targetColumns.length} were chosen; choose the label column alone as target`,
    );
  }
  const labelColumn = labelled.length > 0 ? labelled[0]! : -1;
  const targetCount = labelColumn >= 0 ? 0 : targetColumns.length;

  // Size the arrays once: a row takes at least one line, so the line count (a native indexOf scan) bounds it.
  const columns = header.length;
  const capacity = countLines(text, firstRow);
  const inputs = allocate(dtype, capacity * featureCount);
  const targets = allocate(dtype, capacity * targetCount);
  const labels = new Int32Array(labelColumn >= 0 ? capacity : 0);
  const classes = new Map<string, number>();
  let rows = 0;
  while (scanner.nextRecord()) {
    const recordLine = scanner.line;
    for (let c = 0; c < columns; c++) {
      if (c > 0 && scanner.rowEnd) {
        throw csvError(
          `${at(recordLine)}: the row has ${count(c, 'cell')} but the header has ${count(columns, 'column')}, so column '${header[c]}' is missing; give every row one cell per column`,
        );
      }
      const role = roles.of[c]!;
      if (role === SKIP || c === labelColumn) {
        read(header[c]!);
        if (c === labelColumn) {
          const label = scanner.content();
          if (label === '') {
            throw csvError(
              `${at(scanner.cellLine, header[c])}: the class label is empty; give every row a label or remove it`,
            );
          }
          labels[rows] = classId(classes, label);
        }
        continue;
      }
      let value = scanner.readNumber();
      if (value !== value) {
        read(header[c]!);
        value = parseDecimal(scanner.content(), delimiter);
        if (value !== value)
          throw csvError(`${at(scanner.cellLine, header[c])}: ${notANumber(scanner.content())}`);
      }
      if (value === Infinity || value === -Infinity) {
        throw csvError(
          `${at(scanner.cellLine, header[c])}: the cell ${show(text.slice(scanner.start, scanner.end))} is infinite; use a finite number or remove the row`,
        );
      }
      if (role >= 0) inputs[rows * featureCount + role] = value;
      else targets[rows * targetCount + roles.targetIndex[c]!] = value;
    }
    if (!scanner.rowEnd) {
      let cells = columns;
      while (!scanner.rowEnd) {
        read(`${++cells}`);
      }
      throw csvError(
        `${at(recordLine)}: the row has ${count(cells, 'cell')} but the header has ${count(columns, 'column')}; give every row one cell per column and quote cells that contain '${String.fromCharCode(delimiter)}'`,
      );
    }
    rows++;
  }

  const featureNames = roles.features.map((c) => header[c]!);
  const base = {
    name: options.name ?? baseName(options.file),
    inputs: new Tensor<2>(trim(inputs, rows * featureCount), [rows, featureCount]),
    featureNames,
  };
  if (labelColumn >= 0) {
    const names = [...classes.keys()].sort(compareLabels);
    const sorted = new Map(names.map((name, k) => [name, k]));
    const column = new Int32Array(names.length);
    classes.forEach((id, name) => (column[id] = sorted.get(name)!));
    const oneHot = allocate(dtype, rows * names.length);
    for (let i = 0; i < rows; i++) oneHot[i * names.length + column[labels[i]!]!] = 1;
    return {
      ...base,
      task: options.task ?? 'classification',
      targets: new Tensor<2>(oneHot, [rows, names.length]),
      targetNames: [...names],
      classNames: names,
    };
  }
  const targetData = trim(targets, rows * targetCount);
  const targetNames = targetColumns.map((c) => header[c]!);
  const binary = targetCount > 0 && targetData.every((v) => v === 0 || v === 1);
  const task = options.task ?? (binary ? 'classification' : 'regression');
  return {
    ...base,
    task,
    targets: new Tensor<2>(targetData, [rows, targetCount]),
    targetNames,
    ...(task === 'classification' ? { classNames: targetCount === 1 ? ['0', '1'] : [...targetNames] } : {}),
  };
}

function classId(classes: Map<string, number>, label: string): number {
  let id = classes.get(label);
  if (id === undefined) {
    id = classes.size;
    classes.set(label, id);
  }
  return id;
}

function countLines(text: string, from: number): number {
  let lines = text.charCodeAt(text.length - 1) === 10 ? 0 : 1;
  for (let p = text.indexOf('\n', from); p !== -1; p = text.indexOf('\n', p + 1)) lines++;
  return lines;
}

function isText(cell: string): boolean {
  if (cell === '' || parseDecimal(cell, 44) === parseDecimal(cell, 44)) return false;
  const word = bareWord(cell);
  return word !== 'nan' && word !== 'inf' && word !== 'infinity';
}

function notANumber(cell: string): string {
  if (cell === '') return 'the cell is empty; fill in a number or remove the row';
  const word = bareWord(cell);
  if (word === 'nan')
    return `the cell ${show(cell)} is not a number (NaN); missing values are not allowed, so fill in a number or remove the row`;
  if (word === 'inf' || word === 'infinity')
    return `the cell ${show(cell)} is infinite; use a finite number or remove the row`;
  return `the cell ${show(cell)} is not a number; feature and numeric target cells must be decimal numbers such as 3, -0.5 or 1e-3`;
}

function bareWord(cell: string): string {
  const lower = cell.toLowerCase();
  return lower.startsWith('-') || lower.startsWith('+') ? lower.slice(1) : lower;
}

function show(cell: string): string {
  return `'${cell.length > 40 ? `${cell.slice(0, 37)}...` : cell}'`;
}

function compareLabels(a: string, b: string): number {
  const x = parseDecimal(a, 44);
  const y = parseDecimal(b, 44);
  const xNumber = x === x;
  const yNumber = y === y;
  if (xNumber && yNumber && x !== y) return x - y;
  if (xNumber !== yNumber) return xNumber ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkDelimiter(delimiter: string): number {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DeltaflowError(
      'E_OPTION',
      `parseCsv: the delimiter must be one character other than a quote or a line break, but it is ${JSON.stringify(delimiter)}.`,
    );
  }
  return delimiter.charCodeAt(0);
}

function baseName(file: string | undefined): string {
  if (file === undefined) return 'csv';
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name) || 'csv';
}

function trim(array: TypedArray, length: number): TypedArray {
  return array.length === length ? array : array.slice(0, length);
}

/** `1 cell`, `3 cells`: a count with its noun in the right number. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
