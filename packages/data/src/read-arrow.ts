import { readFileSync } from 'node:fs';
import { DeltaflowError, Tensor, allocate } from '@deltaflow/tensor';
import type { TypedArray } from '@deltaflow/tensor';
import type * as Arrow from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import { SKIP, columnRoles } from './csv-columns.js';
import { MAX_CSV_CLASSES, compareLabels } from './csv-reader.js';
import type { CsvOptions } from './csv.js';
import { checkDType } from './dataset.js';
import type { Dataset } from './dataset.js';

/**
 * Options of {@link readArrow}: those of CSV that apply to typed columns.
 *
 * @example
 * ```ts
 * const options: ArrowOptions = { target: 'species', dtype: 'float64' };
 * ```
 * @category Arrow
 */
export type ArrowOptions = Pick<
  CsvOptions,
  'target' | 'features' | 'file' | 'name' | 'dtype' | 'task' | 'categorical'
>;

/**
 * Reads an Arrow IPC file (Feather v2, as written by pandas' `to_feather`, polars' `write_ipc` and R's
 * `arrow::write_feather`) into a {@link Dataset}, with the column rules of {@link parseCsv}: numeric columns
 * (floats, integers, booleans) are features and numeric targets; a single target column of text (or any
 * target with `categorical`) holds class labels, one-hot encoded with sorted `classNames`. A numeric column
 * without nulls is read straight from the file's buffer. Node only: import it from `@deltaflow/data/node`;
 * loads the `apache-arrow` package on first use (with `lz4js` and `fzstd`, optional peer dependencies:
 * `npm install apache-arrow lz4js fzstd`; the CLI brings them).
 *
 * @example
 * ```ts
 * // not-runnable: reads a file that is not there
 * import { readArrow } from '@deltaflow/data/node';
 * const ds = await readArrow('iris.arrow', { target: 'species' });
 * ```
 * @param path - the `.arrow` / `.feather` file
 * @param options - target and feature columns, dtype, task, as for CSV
 * @throws DeltaflowError `E_READ` when the file cannot be read or apache-arrow is not installed; `E_PARSE` when
 * it is not an Arrow IPC file, or
 * a column is not numeric, holds a null, a non-finite number or one past the dtype's range, naming the column
 * and the row; `E_CSV` for unknown or duplicate column names (the rules of CSV headers)
 * @category Arrow
 */
export async function readArrow(path: string, options: ArrowOptions = {}): Promise<Dataset> {
  const file = options.file ?? path;
  const table = await readTable(path, file);
  return arrowDataset(table, { ...options, file });
}

/**
 * The column names of an Arrow IPC file, in file order. Node only.
 *
 * @example
 * ```ts
 * // not-runnable: reads a file that is not there
 * import { readArrowColumns } from '@deltaflow/data/node';
 * const columns = await readArrowColumns('iris.arrow');
 * ```
 * @throws DeltaflowError `E_READ` when the file cannot be read; `E_PARSE` when it is not an Arrow IPC file
 * @category Arrow
 */
export async function readArrowColumns(path: string): Promise<string[]> {
  return (await readTable(path, path)).schema.fields.map((f) => f.name);
}

async function readTable(path: string, file: string): Promise<Table> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new DeltaflowError('E_READ', `Cannot read Arrow file ${file}: ${reason}; check the path.`);
  }
  const arrow = await importArrowPackage(file, () => import('apache-arrow'));
  await importArrowPackage(file, () => registerCodecs(arrow));
  try {
    return arrow.tableFromIPC(bytes);
  } catch (error) {
    throw new DeltaflowError(
      'E_PARSE',
      `${file} is not an Arrow IPC (Feather v2) file (${(error as Error).message.split('\n')[0]}); write it with pyarrow.feather.write_feather, pandas' to_feather or polars' write_ipc.`,
    );
  }
}

/**
 * Imports what Arrow files need: `apache-arrow`, `lz4js` and `fzstd` are optional peer dependencies of
 * `@deltaflow/data` (apache-arrow is several megabytes; the CLI brings all three), so a missing one is named.
 */
async function importArrowPackage<T>(file: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new DeltaflowError(
      'E_READ',
      `Cannot read Arrow file ${file}: loading the packages that read Arrow failed (${(error as Error).message.split('\n')[0]}); they are optional dependencies of @deltaflow/data, so install them with npm install apache-arrow@21.2.0 lz4js@0.2.0 fzstd@0.1.1.`,
    );
  }
}

let codecs: Promise<void> | undefined;

/**
 * Teaches apache-arrow (which ships no codecs) the two compressions of Feather v2 files: LZ4 frames (the default
 * of pandas' `to_feather` and pyarrow) with `lz4js`, and Zstandard with `fzstd`, both pure JavaScript.
 */
function registerCodecs(arrow: typeof Arrow): Promise<void> {
  codecs ??= (async () => {
    const [lz4, zstd] = await Promise.all([import('lz4js'), import('fzstd')]);
    const lz4Decompress =
      (lz4 as { decompress?: unknown; default?: { decompress: unknown } }).decompress ??
      (lz4 as { default: { decompress: unknown } }).default.decompress;
    arrow.compressionRegistry.set(arrow.CompressionType.LZ4_FRAME, {
      decode: (data) => Uint8Array.from((lz4Decompress as (d: Uint8Array) => ArrayLike<number>)(data)),
    });
    // fzstd's result may start anywhere in a larger buffer: copied, so that Float64 views of it are aligned
    arrow.compressionRegistry.set(arrow.CompressionType.ZSTD, {
      decode: (data) => zstd.decompress(data).slice(),
    });
  })();
  return codecs;
}

const FLOAT32_OVERFLOW = 3.4028235677973366e38;

/** The dataset of an Arrow table, with the rules of CSV columns. */
function arrowDataset(table: Table, options: ArrowOptions & { file: string }): Dataset {
  const { file } = options;
  const dtype = checkDType(options.dtype ?? 'float32', 'readArrow');
  const header = table.schema.fields.map((f) => f.name);
  const roles = columnRoles(header, options, `${file} (the schema)`);
  const rows = table.numRows;
  if (rows === 0) {
    throw new DeltaflowError('E_PARSE', `${file} has columns but no rows; write the table with its rows.`);
  }
  const vector = (c: number): Vector => table.getChildAt(c)!;
  const isText = (c: number): boolean => {
    const type = String(vector(c).type);
    return type === 'Utf8' || type === 'LargeUtf8' || type.startsWith('Dictionary<');
  };
  const targets = roles.targets;
  const labelled = targets.filter((c) => options.categorical || isText(c));
  if (labelled.length > 0 && targets.length > 1) {
    throw new DeltaflowError(
      'E_PARSE',
      `${file}, column '${header[labelled[0]!]}': class labels need a single target column, but ${targets.length} were chosen; choose the label column alone as target.`,
    );
  }
  const labelColumn = labelled.length > 0 ? labelled[0]! : -1;
  const featureCount = roles.featureCount;
  const targetCount = labelColumn >= 0 ? 0 : targets.length;
  const inputs = allocate(dtype, rows * featureCount);
  const targetData = allocate(dtype, rows * targetCount);
  const limit = dtype === 'float32' ? FLOAT32_OVERFLOW : Infinity;
  header.forEach((name, c) => {
    const role = roles.of[c]!;
    if (role === SKIP || c === labelColumn) return;
    const [out, width, at] =
      role >= 0 ? [inputs, featureCount, role] : [targetData, targetCount, roles.targetIndex[c]!];
    copyColumn(vector(c), name, out, width, at, limit, file, dtype);
  });
  const base = {
    name: options.name ?? baseName(file),
    inputs: new Tensor<2>(inputs, [rows, featureCount]),
    featureNames: roles.features.map((c) => header[c]!),
  };
  if (labelColumn >= 0) {
    const labels = vector(labelColumn);
    const name = header[labelColumn]!;
    const text = Array.from({ length: rows }, (_, i) => {
      const value: unknown = labels.get(i);
      if (value === null || value === undefined || String(value).trim() === '') {
        throw new DeltaflowError(
          'E_PARSE',
          `${file}, row ${i + 1}, column '${name}': the class label is missing; give every row a label or remove it.`,
        );
      }
      return String(value).trim();
    });
    const names = [...new Set(text)].sort(compareLabels);
    if (names.length > MAX_CSV_CLASSES) {
      throw new DeltaflowError(
        'E_PARSE',
        `${file}, column '${name}': the column holds more than ${MAX_CSV_CLASSES} different class labels, so it looks like an identifier or free text; choose a column of classes as target.`,
      );
    }
    const index = new Map(names.map((n, k) => [n, k]));
    const oneHot = allocate(dtype, rows * names.length);
    text.forEach((label, i) => (oneHot[i * names.length + index.get(label)!] = 1));
    return {
      ...base,
      task: options.task ?? 'classification',
      targets: new Tensor<2>(oneHot, [rows, names.length]),
      targetNames: [...names],
      classNames: names,
    };
  }
  const targetNames = targets.map((c) => header[c]!);
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

/**
 * Copies one numeric column into every `width`-th element of `out` from `at`, checking each value. A column
 * without nulls is read from the file's buffer (`toArray` is a view of it when the column is one chunk).
 */
function copyColumn(
  vector: Vector,
  name: string,
  out: TypedArray,
  width: number,
  at: number,
  limit: number,
  file: string,
  dtype: string,
): void {
  const type = String(vector.type);
  const numeric = /^(Float|Int|Uint)\d*$/.test(type) || type === 'Bool';
  const place = (i: number): string => `${file}, row ${i + 1}, column '${name}'`;
  if (!numeric) {
    throw new DeltaflowError(
      'E_PARSE',
      `${file}, column '${name}' holds ${type}, not numbers; feature and numeric target columns must hold floats, integers or booleans (or choose the column as the label target).`,
    );
  }
  if (vector.nullCount > 0) {
    for (let i = 0; i < vector.length; i++) {
      if (vector.get(i) === null) {
        throw new DeltaflowError(
          'E_PARSE',
          `${place(i)}: the value is missing (null); fill in a number or remove the row.`,
        );
      }
    }
  }
  const values = (type === 'Bool' ? Array.from(vector, (v) => (v ? 1 : 0)) : vector.toArray()) as ArrayLike<
    number | bigint
  >;
  for (let i = 0; i < values.length; i++) {
    const value = Number(values[i]);
    if (!Number.isFinite(value) || value >= limit || value <= -limit) {
      throw new DeltaflowError(
        'E_PARSE',
        `${place(i)}: the value ${value} is ${Number.isFinite(value) ? `out of range for ${dtype} data, whose largest number is about 3.4e38; read the data as float64 (--dtype float64)` : 'not a finite number; fill in a finite number'} or remove the row.`,
      );
    }
    out[i * width + at] = value;
  }
}

function baseName(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name) || 'arrow';
}
