// The one CSV parser of the package: text or bytes pushed in chunks of any size, rows stored as they complete.
// parseCsv pushes one string, the streamed readers push chunks as they arrive. A record cut by a chunk's end is
// read again once the next chunk has come (and a window is grown geometrically before trying again, so a record
// longer than a chunk costs linear time). Internal: the public doors are parseCsv, parseCsvStream and
// `@deltaflow/data/node`'s readCsv / readCsvStream.
import { DeltaflowError, Tensor, allocate } from '@deltaflow/tensor';
import type { DType, TypedArray } from '@deltaflow/tensor';
import { SKIP, columnRoles, csvError } from './csv-columns.js';
import type { Roles } from './csv-columns.js';
import { CSV_ENCODINGS, CsvDecoder, InvalidBytes } from './csv-decode.js';
import type { CsvEncoding } from './csv-decode.js';
import { CsvScanner, CsvSyntaxError, MORE, parseDecimal } from './csv-scanner.js';
import { RowStore } from './csv-store.js';
import type { RowSink } from './csv-store.js';
import type { CsvOptions } from './csv.js';
import { checkDType } from './dataset.js';
import type { Dataset } from './dataset.js';

/** The most distinct labels a class column may hold: more look like identifiers or free text. */
export const MAX_CSV_CLASSES = 1000;

/** The smallest magnitude that `Math.fround` turns into Infinity: 2^128 (1 - 2^-25). */
const FLOAT32_OVERFLOW = 3.4028235677973366e38;

const HEADER = 0;
const FIRST_ROW = 1;
const ROWS = 2;
const DONE = 3;

const EMPTY = new Uint8Array(0);

/** Characters of rows read before the rows of an input of known size are counted to reserve room for the rest. */
const RESERVE_AFTER = 1 << 18;

/**
 * What a streaming reader (see `CsvReader.streamRows`) learned once its input ended: the columns, the rows, and
 * the class labels, if the target column holds labels.
 */
export interface CsvRowsSummary {
  rows: number;
  featureNames: string[];
  /** The target columns' names (numeric targets), or the label column's name alone. */
  targetNames: string[];
  /**
   * With a column of class labels: the labels, sorted as a Dataset's `classNames`, and for each label id the
   * sink received (ids in order of first appearance) its index in `labels`.
   */
  classes?: { labels: string[]; sortedIndex: Int32Array };
}

/** Reads one CSV input pushed in chunks: `text` or `bytes` for each chunk, then `end` for the dataset. */
export class CsvReader {
  /** The header's column names, once read. */
  header: string[] | null = null;
  private readonly file: string;
  private readonly dtype: DType;
  private readonly encoding: CsvEncoding;
  private readonly scanner: CsvScanner;
  private decoder: CsvDecoder | null = null;
  private pending: string[] = [];
  private pendingLength = 0;
  /** The window length to wait for before reading again a record the last window cut short. */
  private need = 0;
  private state = HEADER;
  private started = false;
  private roles: Roles | null = null;
  private labelColumn = -1;
  private targetCount = 0;
  private store: RowStore | null = null;
  /** Rows in the store's current blocks. */
  private row = 0;
  private readonly classes = new Map<string, number>();
  /** The input's size in bytes, when known (see `expectBytes`). */
  private expectedBytes = 0;
  /** Text pushed so far, in characters, and how much of it preceded the first data row. */
  private pushed = 0;
  private beforeRows = -1;
  /** Magnitudes from this on cannot be stored in the dtype. */
  private readonly limit: number;
  /** Set by `streamRows`: where the rows go instead of a dataset. */
  private sink: RowSink | undefined;

  /**
   * @param options - as for parseCsv
   * @param headerOnly - stop after the header row (see `endHeader`)
   */
  constructor(
    private readonly options: CsvOptions = {},
    private readonly headerOnly = false,
  ) {
    this.file = options.file ?? 'CSV input';
    this.dtype = checkDType(options.dtype ?? 'float32', 'parseCsv');
    this.encoding = checkEncoding(options.encoding ?? 'utf-8');
    this.limit = this.dtype === 'float32' ? FLOAT32_OVERFLOW : Infinity;
    this.scanner = new CsvScanner('', checkDelimiter(options.delimiter ?? ','), false);
  }

  /**
   * Tells the reader how many bytes the whole input has (a file's size): once the first rows are read, the store
   * reserves room for the rows the rest should hold, so that they are not copied at the end.
   */
  expectBytes(total: number): void {
    this.expectedBytes = total;
  }

  /**
   * Streams the rows out instead of keeping them (call before the first chunk): every block of rows goes to
   * `sink` as three arrays, the features `[rows, F]` and numeric targets `[rows, K]` in the dtype, and the
   * class label ids (Int32, one per row, with a label column); end the input with `endRows`. Memory stays at
   * one block of about a mebibyte.
   */
  streamRows(sink: RowSink): void {
    this.sink = sink;
  }

  /**
   * Ends the input of a streaming reader: the last rows go to the sink; returns the columns and labels.
   * @throws DeltaflowError `E_CSV` as described for parseCsv
   */
  endRows(): CsvRowsSummary {
    if (this.decoder !== null) this.pushLast(this.decode(EMPTY, true));
    this.advance(true);
    const store = this.store!;
    store.flush(this.row);
    const header = this.header!;
    const roles = this.roles!;
    const summary: CsvRowsSummary = {
      rows: store.rowsBefore,
      featureNames: roles.features.map((c) => header[c]!),
      targetNames: roles.targets.map((c) => header[c]!),
    };
    if (this.labelColumn >= 0) {
      const labels = [...this.classes.keys()].sort(compareLabels);
      const sorted = new Map(labels.map((name, k) => [name, k]));
      const sortedIndex = new Int32Array(labels.length);
      this.classes.forEach((id, name) => (sortedIndex[id] = sorted.get(name)!));
      summary.classes = { labels, sortedIndex };
    }
    return summary;
  }

  /** Feature columns per row (once the first row is read). */
  get featureCount(): number {
    return this.roles!.featureCount;
  }

  /** Numeric target columns per row: 0 with a column of class labels (once the first row is read). */
  get numericTargetCount(): number {
    return this.targetCount;
  }

  /** Whether the header row has been read (see `header`). */
  get hasHeader(): boolean {
    return this.header !== null;
  }

  /** Adds the next chunk of text. */
  text(chunk: string): void {
    if (chunk.length === 0) return;
    this.pushed += chunk.length;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.scanner.text.length - this.scanner.pos + this.pendingLength >= this.need) this.advance(false);
  }

  /** Adds the next chunk of bytes, decoded with the `encoding` option. */
  bytes(chunk: Uint8Array): void {
    this.text(this.decode(chunk, false));
  }

  /**
   * Ends the input (after a last chunk of text, if given) and returns the dataset.
   * @throws DeltaflowError `E_CSV` as described for parseCsv
   */
  end(last = ''): Dataset {
    if (this.decoder !== null) this.pushLast(this.decode(EMPTY, true));
    this.pushLast(last);
    this.advance(true);
    return this.finish();
  }

  /**
   * Ends the input of a header-only reader and returns the header's column names.
   * @throws DeltaflowError `E_CSV` when the input is empty or the header row malformed
   */
  endHeader(): string[] {
    if (this.header === null) {
      if (this.decoder !== null) this.pushLast(this.decode(EMPTY, true));
      this.advance(true);
    }
    return this.header!;
  }

  private pushLast(text: string): void {
    if (text.length === 0) return;
    this.pushed += text.length;
    this.pending.push(text);
    this.pendingLength += text.length;
  }

  private decode(chunk: Uint8Array, final: boolean): string {
    this.decoder ??= new CsvDecoder(this.encoding, this.file);
    try {
      return this.decoder.decode(chunk, final);
    } catch (error) {
      if (!(error instanceof InvalidBytes)) throw error;
      this.text(error.text); // rows before the bad bytes first: an earlier error is reported first
      throw csvError(
        `${this.file}, line ${this.lineAtEnd()}: the byte ${error.byte} at byte offset ${error.offset} is not valid UTF-8 here; save the file as UTF-8, or read it as Latin-1 (encoding 'latin1', --encoding latin1 in the CLI)`,
      );
    }
  }

  /** The line on which the text pushed so far ends (for an error: it joins the text it has not read yet). */
  private lineAtEnd(): number {
    const text = this.scanner.text.slice(this.scanner.pos) + this.pending.join('');
    let line = this.scanner.line;
    for (let p = 0; p < text.length; p++) {
      const c = text.charCodeAt(p);
      if (c === 10 || (c === 13 && text.charCodeAt(p + 1) !== 10)) line++;
    }
    return line;
  }

  /** Reads what the window and the pending chunks hold, up to a record they cut short. */
  private advance(final: boolean): void {
    const s = this.scanner;
    const rest = s.pos === 0 ? s.text : s.text.slice(s.pos);
    const more = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    s.rebase(more.length === 0 ? rest : rest + more, final);
    if (!this.started && s.text.length > 0) {
      this.started = true;
      if (s.text.charCodeAt(0) === 0xfeff) s.pos = 1; // byte order mark
    }
    try {
      if (this.state === HEADER) this.readHeader();
      if (this.state === FIRST_ROW && !this.headerOnly) this.readFirstRow();
      if (this.state === ROWS) this.readRows();
      this.need = 0;
    } catch (error) {
      if (error !== MORE) throw error;
      this.need = 2 * (s.text.length - s.pos);
    }
  }

  private at(line: number, column?: string): string {
    return `${this.file}, line ${line}${column === undefined ? '' : `, column '${column}'`}`;
  }

  /** Reads a cell of any kind; a syntax error becomes one sentence naming the place. */
  private read(column: string): void {
    try {
      this.scanner.readCell();
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw csvError(`${this.at(error.line, column)}: ${error.problem}`);
      throw error;
    }
  }

  private readHeader(): void {
    const s = this.scanner;
    if (!s.nextRecord()) {
      throw csvError(
        `${this.file} is empty; a CSV file needs a header row of column names and rows of numbers below it`,
      );
    }
    const [mark, line] = [s.pos, s.line];
    const header: string[] = [];
    try {
      do {
        this.read(`${header.length + 1}`);
        header.push(detach(s.content()));
      } while (!s.rowEnd);
    } catch (error) {
      if (error === MORE) [s.pos, s.line] = [mark, line];
      throw error;
    }
    this.roles = columnRoles(header, this.options, `${this.at(line)} (the header)`);
    this.header = header;
    this.state = FIRST_ROW;
  }

  /** Reads the first data row ahead (it decides whether a single target column holds text labels). */
  private readFirstRow(): void {
    const s = this.scanner;
    const header = this.header!;
    const roles = this.roles!;
    if (!s.nextRecord()) {
      throw csvError(`${this.file} has a header row but no data rows; add rows of numbers below the header`);
    }
    const [mark, line] = [s.pos, s.line];
    const cells: string[] = [];
    try {
      do {
        this.read(header[cells.length] ?? `${cells.length + 1}`);
        cells.push(s.content());
      } while (!s.rowEnd);
    } finally {
      [s.pos, s.line] = [mark, line]; // the rows are read from this one on
    }
    const targets = roles.targets;
    const labelled = targets.filter((c) => this.options.categorical || isText(cells[c] ?? '0'));
    if (labelled.length > 0 && targets.length > 1) {
      throw csvError(
        `${this.at(line, header[labelled[0]!])}: class labels need a single target column, but ${targets.length} were chosen; choose the label column alone as target`,
      );
    }
    this.labelColumn = labelled.length > 0 ? labelled[0]! : -1;
    this.targetCount = this.labelColumn >= 0 ? 0 : targets.length;
    this.beforeRows = this.consumed();
    this.store = new RowStore(
      [
        { dtype: this.dtype, width: roles.featureCount },
        { dtype: this.dtype, width: this.targetCount },
        { dtype: 'int32', width: this.labelColumn >= 0 ? 1 : 0 },
      ],
      this.sink,
    );
    this.state = ROWS;
  }

  /** The rows: numbers go straight from the text into the store's blocks. */
  private readRows(): void {
    const s = this.scanner;
    const header = this.header!;
    const { of, targetIndex, featureCount } = this.roles!;
    const { labelColumn, targetCount, limit } = this;
    const store = this.store!;
    const columns = header.length;
    let [inputs, targets, labels] = store.blocks as [TypedArray, TypedArray, Int32Array];
    let capacity = store.capacity;
    let row = this.row;
    let mark = -1;
    let line = 0;
    try {
      for (;;) {
        mark = -1;
        if (!s.nextRecord()) break;
        mark = s.pos;
        line = s.line;
        if (row === capacity) {
          if (this.expectedBytes > 0 && this.consumed() - this.beforeRows >= RESERVE_AFTER)
            row = this.reserve(row);
          if (row === store.capacity) {
            store.next();
            row = 0;
          }
          [inputs, targets, labels] = store.blocks as [TypedArray, TypedArray, Int32Array];
          capacity = store.capacity;
        }
        for (let c = 0; c < columns; c++) {
          if (c > 0 && s.rowEnd) {
            throw csvError(
              `${this.at(line)}: the row has ${count(c, 'cell')} but the header has ${count(columns, 'column')}, so column '${header[c]}' is missing; give every row one cell per column`,
            );
          }
          const role = of[c]!;
          if (role === SKIP || c === labelColumn) {
            this.read(header[c]!);
            if (c === labelColumn) labels[row] = this.classId(s.content(), header[c]!);
            continue;
          }
          let value = s.readNumber();
          if (value !== value) {
            this.read(header[c]!);
            value = parseDecimal(s.content(), s.delimiter);
            if (value !== value)
              throw csvError(`${this.at(s.cellLine, header[c])}: ${notANumber(s.content())}`);
          }
          if (value >= limit || value <= -limit) {
            const cell = show(s.text.slice(s.start, s.end));
            throw csvError(`${this.at(s.cellLine, header[c])}: ${outOfRange(cell, value, this.dtype)}`);
          }
          if (role >= 0) inputs[row * featureCount + role] = value;
          else targets[row * targetCount + targetIndex[c]!] = value;
        }
        if (!s.rowEnd) {
          let cells = columns;
          while (!s.rowEnd) this.read(`${++cells}`);
          throw csvError(
            `${this.at(line)}: the row has ${count(cells, 'cell')} but the header has ${count(columns, 'column')}; give every row one cell per column and quote cells that contain '${String.fromCharCode(s.delimiter)}'`,
          );
        }
        row++;
      }
    } catch (error) {
      if (error === MORE && mark >= 0) {
        s.pos = mark;
        s.line = line;
      }
      throw error;
    } finally {
      this.row = row;
    }
    this.state = DONE;
  }

  /** Characters of the input read up to the scanner's position. */
  private consumed(): number {
    return this.pushed - this.pendingLength - (this.scanner.text.length - this.scanner.pos);
  }

  /**
   * Reserves, once the first RESERVE_AFTER characters of rows are read (`rows` in the current block), room for
   * the rows the rest of the input should hold at their length so far, with 8 % to spare (characters stand for
   * bytes: exact for ASCII). Returns the rows the store's current blocks now hold.
   */
  private reserve(rows: number): number {
    const store = this.store!;
    const done = store.rowsBefore + rows;
    const perRow = Math.max(1, (this.consumed() - this.beforeRows) / done);
    const rest = Math.max(0, this.expectedBytes - this.consumed());
    this.expectedBytes = 0; // once
    return store.reserve(rows, Math.ceil(done + (rest / perRow) * 1.08) + 64);
  }

  /** The id of a class label (a new label gets the next one). */
  private classId(label: string, column: string): number {
    let id = this.classes.get(label);
    if (id !== undefined) return id;
    if (label === '') {
      throw csvError(
        `${this.at(this.scanner.cellLine, column)}: the class label is empty; give every row a label or remove it`,
      );
    }
    id = this.classes.size;
    if (id >= MAX_CSV_CLASSES) {
      throw csvError(
        `${this.at(this.scanner.cellLine, column)}: the column holds more than ${MAX_CSV_CLASSES} different class labels, so it looks like an identifier or free text; choose a column of classes as target`,
      );
    }
    this.classes.set(detach(label), id);
    return id;
  }

  private finish(): Dataset {
    const header = this.header!;
    const roles = this.roles!;
    const store = this.store!;
    const rows = store.rowsBefore + this.row;
    const [inputData, targetData, labels] = store.join(this.row) as [TypedArray, TypedArray, Int32Array];
    const { dtype, options } = this;
    const featureCount = roles.featureCount;
    const base = {
      name: options.name ?? baseName(options.file),
      inputs: new Tensor<2>(inputData, [rows, featureCount]),
      featureNames: roles.features.map((c) => header[c]!),
    };
    if (this.labelColumn >= 0) {
      const names = [...this.classes.keys()].sort(compareLabels);
      const sorted = new Map(names.map((name, k) => [name, k]));
      const column = new Int32Array(names.length);
      this.classes.forEach((id, name) => (column[id] = sorted.get(name)!));
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
    const targetCount = this.targetCount;
    const targetNames = roles.targets.map((c) => header[c]!);
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
}

/**
 * A copy of a string that shares no memory with the chunk it was cut from (V8 keeps a slice's whole parent
 * alive), for the strings kept after their chunk is gone: column names and class labels.
 */
function detach(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
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

/** Why a number (written as `cell`) cannot be stored: past the float64 range, or past float32's. */
function outOfRange(cell: string, value: number, dtype: DType): string {
  if (value === Infinity || value === -Infinity) {
    return `the cell ${cell} is out of range: past the largest float64 number, about 1.8e308; use a smaller number (rescale the column) or remove the row`;
  }
  return `the cell ${cell} is out of range for ${dtype} data, whose largest number is about 3.4e38; read the data as float64 (dtype 'float64', --dtype float64 in the CLI) or rescale the column`;
}

function bareWord(cell: string): string {
  const lower = cell.toLowerCase();
  return lower.startsWith('-') || lower.startsWith('+') ? lower.slice(1) : lower;
}

function show(cell: string): string {
  return `'${cell.length > 40 ? `${cell.slice(0, 37)}...` : cell}'`;
}

/** Orders class labels: numbers first, numerically, then text. */
export function compareLabels(a: string, b: string): number {
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

function checkEncoding(encoding: string): CsvEncoding {
  const name = encoding.toLowerCase();
  if (name === 'utf8' || name === 'utf-8') return 'utf-8';
  if (name === 'latin1' || name === 'latin-1' || name === 'iso-8859-1') return 'latin1';
  throw new DeltaflowError(
    'E_OPTION',
    `parseCsv: the encoding must be ${CSV_ENCODINGS.join(' or ')}, but it is ${JSON.stringify(encoding)}.`,
  );
}

function baseName(file: string | undefined): string {
  if (file === undefined) return 'csv';
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name) || 'csv';
}

/** `1 cell`, `3 cells`: a count with its noun in the right number. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
