// The binary cache of a CSV file, for data larger than memory: the CSV is streamed once into a columnar file
// beside it, then read back in row groups as many times as training needs. Node only (from `@deltaflow/data/node`).
//
// Layout (little-endian): the magic `DFCACHE1` (8 bytes), the header's byte length (uint32), the header (JSON,
// UTF-8), zeros up to `dataOffset`; then the row groups, each of `groupRows` rows (the last may have fewer), each
// group column after column: the feature columns, then the numeric target columns (or the class label column,
// as the label's index in first-seen order), every value in the dtype.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { DeltaflowError, Random, Tensor, allocate } from '@deltaflow/tensor';
import type { DType, Tensor2D, TypedArray } from '@deltaflow/tensor';
import { CsvReader } from './csv-reader.js';
import type { Block } from './csv-store.js';
import type { CsvOptions } from './csv.js';
import { checkDType } from './dataset.js';
import type { Task } from './dataset.js';
import { readChunks, readError } from './read-csv.js';
import { Scaler } from './scaler.js';
import type { ScalerKind } from './scaler.js';

const MAGIC = 'DFCACHE1';
const VERSION = 1;
/** Room for the header: the data starts here. */
const DATA_OFFSET = 256 * 1024;
/**
 * Rows per row group of a cache: the unit read from disk and shuffled in windows.
 *
 * @example
 * ```ts
 * CACHE_GROUP_ROWS; // → 16384
 * ```
 * @category Out-of-core
 */
export const CACHE_GROUP_ROWS = 16384;

/**
 * Options of {@link openCsvCache}: how the CSV is read (as for `readCsv`; they are part of the cache, so other
 * options rebuild it) and where the cache goes.
 *
 * @example
 * ```ts
 * const options: CsvCacheOptions = { target: 'y', dtype: 'float32', cachePath: '/tmp/big.csv.dfcache' };
 * ```
 * @category Out-of-core
 */
export interface CsvCacheOptions extends Pick<
  CsvOptions,
  'target' | 'features' | 'delimiter' | 'encoding' | 'dtype' | 'categorical' | 'task'
> {
  /** The cache file; default the CSV's path plus `.dfcache`, beside it. */
  cachePath?: string;
}

/**
 * What the header of a binary cache holds: its layout (dtype, rows, row groups), the schema (feature and target
 * names, the class labels, the task) and the CSV it was made from (size and modification time, the reading
 * options), so that a changed CSV or other options rebuild it.
 *
 * @example
 * ```ts
 * // not-runnable: reads a large file
 * import { openCsvCache } from '@deltaflow/data/node';
 *
 * const cache = openCsvCache('big.csv', { target: 'y' });
 * cache.header.rows; // the CSV's data rows
 * cache.header.featureNames; // its feature columns, in order
 * ```
 * @category Out-of-core
 */
export interface CacheHeader {
  /** Always `'deltaflow-cache'`. */
  format: 'deltaflow-cache';
  /** The layout's version (a cache of another version is rebuilt). */
  version: number;
  /** The stored numbers: float32 or float64. */
  dtype: DType;
  /** The data rows of the CSV. */
  rows: number;
  /** Rows per row group, the unit read from disk and shuffled in windows. */
  groupRows: number;
  /** The byte offset at which the row groups start. */
  dataOffset: number;
  /** The feature columns, in order. */
  featureNames: string[];
  /** The target columns, in order. */
  targetNames: string[];
  /** Classification with a label column: the sorted labels, and per stored label id its index among them. */
  classes?: { labels: string[]; sortedIndex: number[] };
  /** Classification or regression, as the CSV's targets made it. */
  task: Task;
  /** The CSV it was made from: a different size or modification time rebuilds the cache. */
  source: { size: number; mtimeMs: number };
  /** The reading options it was made with (a different choice of columns or dtype rebuilds it). */
  options: string;
}

/**
 * A part of a cache's rows: the split of `CsvCache.split` assigns each row to one.
 *
 * @example
 * ```ts
 * const part: CachePart = 'validation';
 * ```
 * @category Out-of-core
 */
export type CachePart = 'train' | 'validation' | 'test';

const PART_ID: Record<CachePart, number> = { train: 0, validation: 1, test: 2 };

/**
 * The default cache path of a CSV file: beside it, with `.dfcache` appended.
 *
 * @example
 * ```ts
 * csvCachePath('data/big.csv'); // → 'data/big.csv.dfcache'
 * ```
 * @category Out-of-core
 */
export function csvCachePath(csvPath: string): string {
  return `${csvPath}.dfcache`;
}

function optionsKey(options: CsvCacheOptions, dtype: DType): string {
  const target = options.target === undefined ? null : [options.target].flat();
  return JSON.stringify({
    target,
    features: options.features ?? null,
    delimiter: options.delimiter ?? ',',
    encoding: options.encoding ?? 'utf-8',
    categorical: options.categorical ?? false,
    task: options.task ?? null,
    dtype,
  });
}

/**
 * Opens the binary cache of a CSV file for out-of-core training, building it first when it is missing or stale:
 * the CSV is streamed once (with every rule and error of `readCsv`) into a columnar file beside it, written to
 * a temporary file and renamed into place, so an interrupted build never leaves a broken cache. The cache's
 * header keeps the schema and the CSV's size and modification time: a changed CSV (or other reading options)
 * rebuilds it. `built` tells whether this call built it.
 *
 * @example
 * ```ts
 * // not-runnable: reads a large file
 * import { openCsvCache } from '@deltaflow/data/node';
 *
 * const cache = openCsvCache('big.csv', { target: 'y' });
 * const { train, validation } = cache.split({ validation: 0.1, seed: 42 });
 * const scaler = cache.fitScaler('standard', 'train');
 * const source = cache.source('train', { seed: 42, scaler }); // a DataSource for train() of @deltaflow/trainer
 * ```
 * @param csvPath - the CSV file
 * @param options - how to read it, and where the cache goes
 * @throws DeltaflowError `E_READ` when the CSV cannot be read, `E_CSV` for malformed content, `E_WRITE` when the
 *   cache cannot be written (its directory is not writable)
 * @category Out-of-core
 */
export function openCsvCache(csvPath: string, options: CsvCacheOptions = {}): CsvCache {
  const dtype = checkDType(options.dtype ?? 'float32', 'openCsvCache');
  const cachePath = options.cachePath ?? csvCachePath(csvPath);
  let stat;
  try {
    stat = statSync(csvPath);
  } catch (error) {
    throw readError(csvPath, error);
  }
  const key = optionsKey(options, dtype);
  const existing = tryOpen(cachePath);
  if (existing) {
    const { source, options: madeWith, dtype: madeAs } = existing.header;
    if (source.size === stat.size && source.mtimeMs === stat.mtimeMs && madeWith === key && madeAs === dtype)
      return existing;
    existing.close();
  }
  buildCache(csvPath, cachePath, options, dtype, key, { size: stat.size, mtimeMs: stat.mtimeMs });
  const cache = CsvCache.open(cachePath);
  cache.built = true;
  return cache;
}

function tryOpen(path: string): CsvCache | null {
  try {
    return CsvCache.open(path);
  } catch {
    return null; // missing, unreadable or of another version: built again
  }
}

/** Streams the CSV into a temporary file beside the cache, then renames it into place. */
function buildCache(
  csvPath: string,
  cachePath: string,
  options: CsvCacheOptions,
  dtype: DType,
  key: string,
  source: { size: number; mtimeMs: number },
): void {
  const temp = `${cachePath}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DeltaflowError(
      'E_WRITE',
      `Cannot write the out-of-core cache ${cachePath} (${code}); make its directory writable or give another cache path.`,
    );
  }
  let done = false;
  try {
    const bytes = dtype === 'float64' ? 8 : 4;
    const groupRows = CACHE_GROUP_ROWS;
    let columns: TypedArray[] = [];
    let filled = 0;
    let position = DATA_OFFSET;
    let binary = true;
    let featureCount = 0;
    let targetCount = 0;
    const flushGroup = (): void => {
      for (const column of columns) {
        const view = new Uint8Array(column.buffer, column.byteOffset, filled * bytes);
        position += writeAll(fd, view, position, cachePath);
      }
      filled = 0;
    };
    const reader = new CsvReader({ file: csvPath, ...options, dtype });
    reader.streamRows((blocks: readonly Block[], rows: number) => {
      const [inputs, targets, labels] = blocks as [TypedArray, TypedArray, Int32Array];
      if (columns.length === 0) {
        featureCount = reader.featureCount;
        targetCount = labels.length > 0 ? 1 : reader.numericTargetCount;
        columns = Array.from({ length: featureCount + targetCount }, () => allocate(dtype, groupRows));
      }
      const labelled = labels.length > 0;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < featureCount; j++) columns[j]![filled] = inputs[r * featureCount + j]!;
        if (labelled) columns[featureCount]![filled] = labels[r]!;
        else {
          for (let k = 0; k < targetCount; k++) {
            const v = targets[r * targetCount + k]!;
            if (v !== 0 && v !== 1) binary = false;
            columns[featureCount + k]![filled] = v;
          }
        }
        if (++filled === groupRows) flushGroup();
      }
    });
    readChunks(csvPath, (chunk) => {
      reader.bytes(chunk);
      return true;
    });
    const summary = reader.endRows();
    if (filled > 0) flushGroup();
    const task: Task =
      options.task ?? (summary.classes ? 'classification' : binary ? 'classification' : 'regression');
    const header: CacheHeader = {
      format: 'deltaflow-cache',
      version: VERSION,
      dtype,
      rows: summary.rows,
      groupRows,
      dataOffset: DATA_OFFSET,
      featureNames: summary.featureNames,
      targetNames: summary.targetNames,
      ...(summary.classes
        ? {
            classes: { labels: summary.classes.labels, sortedIndex: Array.from(summary.classes.sortedIndex) },
          }
        : {}),
      task,
      source,
      options: key,
    };
    const json = new TextEncoder().encode(JSON.stringify(header));
    if (json.length + 12 > DATA_OFFSET) {
      throw new DeltaflowError(
        'E_CSV',
        `${csvPath}: the column names and class labels take ${json.length} bytes, more than the cache's header holds (${DATA_OFFSET - 12}); use shorter labels.`,
      );
    }
    const head = new Uint8Array(12 + json.length);
    head.set(new TextEncoder().encode(MAGIC), 0);
    new DataView(head.buffer).setUint32(8, json.length, true);
    head.set(json, 12);
    writeAll(fd, head, 0, cachePath);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, cachePath);
    done = true;
  } finally {
    if (!done) {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
      try {
        unlinkSync(temp);
      } catch {
        // gone already
      }
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number, path: string): number {
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at, position + at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new DeltaflowError(
        'E_WRITE',
        `Cannot write the out-of-core cache ${path} (${code}); free some disk space or give another cache path.`,
      );
    }
  }
  return bytes.length;
}

/**
 * Options of {@link CsvCache.source}: the order of the rows and their scaling.
 *
 * @example
 * ```ts
 * const options: CacheSourceOptions = { shuffle: true, seed: 42, window: 16 };
 * ```
 * @category Out-of-core
 */
export interface CacheSourceOptions {
  /** Shuffle the rows every epoch (seeded: row groups in a random order, then rows inside a window); default true. */
  shuffle?: boolean;
  /** Seed of the shuffle; default 42. */
  seed?: number;
  /** Row groups (of {@link CACHE_GROUP_ROWS} rows) shuffled together; default 16. Memory: window x group bytes. */
  window?: number;
  /** Scales the inputs of every batch (in place, allocating nothing). */
  scaler?: Scaler;
}

/**
 * The binary cache of a CSV file (see {@link openCsvCache}): its schema, and its rows read back in row groups,
 * as a data source of batches for `train()` (`source`), split into parts (`split`), with statistics for
 * scaling computed in one streaming pass (`fitScaler`).
 *
 * @example
 * ```ts
 * // not-runnable: reads a large file
 * import { openCsvCache } from '@deltaflow/data/node';
 *
 * const cache = openCsvCache('big.csv');
 * console.log(cache.rows, cache.featureNames, cache.built);
 * cache.close();
 * ```
 * @category Out-of-core
 */
export class CsvCache {
  /** Whether {@link openCsvCache} built it (rather than finding it up to date). */
  built = false;
  private roles: Uint8Array | null = null;
  private readonly bytes: number;
  private readonly columns: number;
  private readonly scratch: Uint8Array;
  private scratchView: TypedArray;

  private constructor(
    private fd: number,
    /** The cache file's path. */
    readonly path: string,
    /** Its header: the layout, the schema and the CSV it was made from. */
    readonly header: CacheHeader,
  ) {
    this.bytes = header.dtype === 'float64' ? 8 : 4;
    this.columns = header.featureNames.length + (header.classes ? 1 : header.targetNames.length);
    this.scratch = new Uint8Array(header.groupRows * this.columns * this.bytes);
    this.scratchView =
      header.dtype === 'float64'
        ? new Float64Array(this.scratch.buffer)
        : new Float32Array(this.scratch.buffer);
  }

  /**
   * Opens a cache file written by {@link openCsvCache}.
   * @throws DeltaflowError `E_READ` when it cannot be read or is not a cache of this version
   */
  static open(path: string): CsvCache {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new DeltaflowError(
        'E_READ',
        `Cannot read the cache ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      );
    }
    try {
      const head = new Uint8Array(12);
      readSync(fd, head, 0, 12, 0);
      if (new TextDecoder().decode(head.subarray(0, 8)) !== MAGIC) throw new Error('magic');
      const length = new DataView(head.buffer).getUint32(8, true);
      const json = new Uint8Array(length);
      readSync(fd, json, 0, length, 12);
      const header = JSON.parse(new TextDecoder().decode(json)) as CacheHeader;
      if (header.format !== 'deltaflow-cache' || header.version !== VERSION) throw new Error('version');
      const columns = header.featureNames.length + (header.classes ? 1 : header.targetNames.length);
      const expected = header.dataOffset + header.rows * columns * (header.dtype === 'float64' ? 8 : 4);
      if (fstatSync(fd).size !== expected) throw new Error('size');
      return new CsvCache(fd, path, header);
    } catch {
      closeSync(fd);
      throw new DeltaflowError(
        'E_READ',
        `${path} is not a deltaflow cache of version ${VERSION} (or it is cut short); delete it to have it built again.`,
      );
    }
  }

  /** Rows of the whole cache. */
  get rows(): number {
    return this.header.rows;
  }
  /** The element type of the stored numbers. */
  get dtype(): DType {
    return this.header.dtype;
  }
  /** Input column names. */
  get featureNames(): readonly string[] {
    return this.header.featureNames;
  }
  /** Target column names: the numeric targets, or the class labels (one-hot outputs). */
  get targetNames(): readonly string[] {
    return this.header.classes ? this.header.classes.labels : this.header.targetNames;
  }
  /** Classification or regression, inferred from the whole file as `readCsv` infers it. */
  get task(): Task {
    return this.header.task;
  }
  /** The class names of a classification (as a Dataset's `classNames`). */
  get classNames(): readonly string[] | undefined {
    if (this.header.classes) return this.header.classes.labels;
    if (this.header.task !== 'classification') return undefined;
    return this.header.targetNames.length === 1 ? ['0', '1'] : this.header.targetNames;
  }
  /** Input columns F. */
  get features(): number {
    return this.header.featureNames.length;
  }
  /** Target columns K of a batch (one per class for labels). */
  get outputs(): number {
    return this.targetNames.length;
  }
  /** Row groups. */
  get groups(): number {
    return Math.ceil(this.header.rows / this.header.groupRows);
  }

  /**
   * Assigns every row to the training, validation or test part, seeded: each row independently, test with
   * probability `test`, else validation with probability `validation` (of the rest, as `prepareRun` holds out
   * the validation rows from what the test split left). The parts' sizes are therefore close to, not exactly,
   * the fractions. Returns the rows of each part. One byte per row is kept.
   *
   * @example
   * ```ts
   * // not-runnable: needs a cache
   * declare const cache: CsvCache;
   * const { train, validation, test } = cache.split({ validation: 0.2, test: 0.1, seed: 42 });
   * ```
   */
  split(fractions: { validation?: number; test?: number; seed?: number }): Record<CachePart, number> {
    const { validation = 0, test = 0, seed = 42 } = fractions;
    const roles = new Uint8Array(this.rows);
    const random = new Random((seed ^ 0x2545f491) >>> 0);
    const counts = { train: 0, validation: 0, test: 0 };
    for (let i = 0; i < roles.length; i++) {
      const u = random.uniform();
      const role = u < test ? 2 : (u - test) / (1 - test) < validation ? 1 : 0;
      roles[i] = role;
      if (role === 2) counts.test++;
      else if (role === 1) counts.validation++;
      else counts.train++;
    }
    this.roles = roles;
    return counts;
  }

  /** Rows of a part (all rows are `'train'` before {@link CsvCache.split}). */
  count(part: CachePart): number {
    if (!this.roles) return part === 'train' ? this.rows : 0;
    const id = PART_ID[part];
    let n = 0;
    for (let i = 0; i < this.roles.length; i++) if (this.roles[i] === id) n++;
    return n;
  }

  /**
   * Fits a scaler on the inputs of one part in a single streaming pass over the row groups (float64 sums,
   * merged group by group with Chan's formula for the variance): the statistics of `Scaler.fit`, up to rounding.
   *
   * @example
   * ```ts
   * // not-runnable: needs a cache
   * declare const cache: CsvCache;
   * const scaler = cache.fitScaler('standard', 'train');
   * ```
   */
  fitScaler(kind: ScalerKind, part: CachePart = 'train'): Scaler {
    const f = this.features;
    const n = new Float64Array(f);
    const mean = new Float64Array(f);
    const m2 = new Float64Array(f);
    const min = new Float64Array(f).fill(Infinity);
    const max = new Float64Array(f).fill(-Infinity);
    const id = PART_ID[part];
    const roles = this.roles;
    for (let g = 0; g < this.groups; g++) {
      const rows = this.readRaw(g);
      const first = g * this.header.groupRows;
      const data = this.scratchView;
      for (let j = 0; j < f; j++) {
        const base = j * rows;
        let count = 0;
        let sum = 0;
        for (let r = 0; r < rows; r++) {
          if (roles && roles[first + r] !== id) continue;
          const v = data[base + r]!;
          sum += v;
          count++;
          if (v < min[j]!) min[j] = v;
          if (v > max[j]!) max[j] = v;
        }
        if (count === 0) continue;
        const groupMean = sum / count;
        let groupM2 = 0;
        for (let r = 0; r < rows; r++) {
          if (roles && roles[first + r] !== id) continue;
          groupM2 += (data[base + r]! - groupMean) ** 2;
        }
        const total = n[j]! + count;
        const delta = groupMean - mean[j]!;
        mean[j] = mean[j]! + (delta * count) / total;
        m2[j] = m2[j]! + groupM2 + (delta * delta * n[j]! * count) / total;
        n[j] = total;
      }
    }
    if (n.every((c) => c === 0))
      throw new DeltaflowError('E_SHAPE', `fitScaler: the ${part} part of ${this.path} has no rows.`);
    if (kind === 'standard') {
      return Scaler.fromJSON({
        kind,
        offset: Array.from(mean),
        scale: Array.from(m2, (m, j) => Math.sqrt(m / n[j]!) || 1),
      });
    }
    if (kind === 'min-max')
      return Scaler.fromJSON({
        kind,
        offset: Array.from(min),
        scale: Array.from(max, (v, j) => v - min[j]! || 1),
      });
    throw new DeltaflowError(
      'E_OPTION',
      `fitScaler: unknown kind '${String(kind)}'; use 'standard' or 'min-max'.`,
    );
  }

  /**
   * The rows of one part as a data source for `train()` of `@deltaflow/trainer` (a `DataSource`): each epoch
   * the row groups in a seeded random order, read `window` groups at a time, the part's rows of a window
   * shuffled together (seeded by `seed` and the epoch), then cut into batches of the run's batch size (the
   * last batch of an epoch smaller). Two tensors are refilled for every batch: nothing is allocated per batch.
   * Without shuffling, the rows come in file order.
   *
   * @example
   * ```ts
   * // not-runnable: needs a cache
   * declare const cache: CsvCache;
   * const source = cache.source('train', { seed: 42, window: 16 });
   * train(model, source, { epochs: 1, batchSize: 256 }).subscribe();
   * ```
   */
  source(part: CachePart = 'train', options: CacheSourceOptions = {}): CacheSource {
    return new CacheSource(this, part, options);
  }

  /**
   * Reads row group `g` into row-major inputs `[rows, F]` and targets `[rows, K]` starting at row `at` of
   * them; returns its rows. @internal
   */
  readGroup(g: number, inputs: TypedArray, targets: TypedArray, at: number): number {
    const rows = this.readRaw(g);
    const f = this.features;
    const k = this.outputs;
    const data = this.scratchView;
    for (let j = 0; j < f; j++) {
      const base = j * rows;
      for (let r = 0; r < rows; r++) inputs[(at + r) * f + j] = data[base + r]!;
    }
    const classes = this.header.classes;
    if (classes) {
      const base = f * rows;
      targets.fill(0, at * k, (at + rows) * k);
      for (let r = 0; r < rows; r++) targets[(at + r) * k + classes.sortedIndex[data[base + r]!]!] = 1;
    } else {
      for (let j = 0; j < k; j++) {
        const base = (f + j) * rows;
        for (let r = 0; r < rows; r++) targets[(at + r) * k + j] = data[base + r]!;
      }
    }
    return rows;
  }

  /** The part of each row (after {@link CsvCache.split}), or null. @internal */
  get rowParts(): Uint8Array | null {
    return this.roles;
  }

  /** Reads group `g`'s columns into the scratch buffer; returns its rows. */
  private readRaw(g: number): number {
    const { groupRows, rows: total, dataOffset } = this.header;
    const rows = Math.min(groupRows, total - g * groupRows);
    const length = rows * this.columns * this.bytes;
    const position = dataOffset + g * groupRows * this.columns * this.bytes;
    let at = 0;
    while (at < length) {
      const n = readSync(this.fd, this.scratch, at, length - at, position + at);
      if (n === 0)
        throw new DeltaflowError(
          'E_READ',
          `The cache ${this.path} is cut short; delete it to have it built again.`,
        );
      at += n;
    }
    return rows;
  }

  /** Closes the file. */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * The rows of one part of a {@link CsvCache} as a data source of batches (`train()` of `@deltaflow/trainer` takes
 * it): see {@link CsvCache.source}.
 *
 * @example
 * ```ts
 * // not-runnable: needs a cache
 * declare const cache: CsvCache;
 * declare const scaler: Scaler;
 * const source: CacheSource = cache.source('validation', { shuffle: false, scaler });
 * source.samples; // the validation rows
 * ```
 * @category Out-of-core
 */
export class CacheSource {
  /** Input columns F. */
  readonly features: number;
  /** Target columns K. */
  readonly outputs: number;
  /** Samples per epoch: the part's rows. */
  readonly samples: number;
  /** The task of the data. */
  readonly task: Task;
  /** Classification: the class names. */
  readonly classNames?: readonly string[];
  private readonly window: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private readonly scaler: Scaler | undefined;
  private windowInputs: TypedArray | null = null;
  private windowTargets: TypedArray | null = null;
  private index: Uint32Array | null = null;
  private batch: { size: number; inputs: Tensor2D; targets: Tensor2D } | null = null;

  constructor(
    private readonly cache: CsvCache,
    private readonly part: CachePart,
    options: CacheSourceOptions,
  ) {
    this.features = cache.features;
    this.outputs = cache.outputs;
    this.samples = cache.count(part);
    this.task = cache.task;
    const classes = cache.classNames;
    if (classes) this.classNames = classes;
    this.window = Math.max(1, Math.floor(options.window ?? 16));
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 42;
    this.scaler = options.scaler;
  }

  /** The batches of one epoch (see {@link CsvCache.source}). */
  async *batches({ epoch, batchSize }: { epoch: number; batchSize: number }): AsyncGenerator<{
    inputs: Tensor2D;
    targets: Tensor2D;
  }> {
    const { cache, features: f, outputs: k } = this;
    const dtype = cache.dtype;
    const groupRows = CACHE_GROUP_ROWS;
    const windowRows = this.window * groupRows;
    this.windowInputs ??= allocate(dtype, windowRows * f);
    this.windowTargets ??= allocate(dtype, windowRows * k);
    this.index ??= new Uint32Array(windowRows);
    if (this.batch?.size !== batchSize) {
      this.batch = {
        size: batchSize,
        inputs: Tensor.zeros([batchSize, f], dtype),
        targets: Tensor.zeros([batchSize, k], dtype),
      };
    }
    const { inputs, targets } = this.batch;
    const full = { inputs, targets }; // the one object every full batch of the epoch is
    const [win, winT, index] = [this.windowInputs, this.windowTargets, this.index];
    const [x, t] = [inputs.data, targets.data];
    const random = new Random((this.seed + Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
    const order = Array.from({ length: cache.groups }, (_, g) => g);
    if (this.shuffle) random.shuffle(order);
    const parts = cache.rowParts;
    const id = PART_ID[this.part];
    let filled = 0;
    for (let w = 0; w < order.length; w += this.window) {
      let n = 0;
      let at = 0;
      for (let g = w; g < Math.min(order.length, w + this.window); g++) {
        const group = order[g]!;
        const rows = cache.readGroup(group, win, winT, at);
        const first = group * groupRows;
        for (let r = 0; r < rows; r++) if (parts === null || parts[first + r] === id) index[n++] = at + r;
        at += rows;
      }
      if (this.shuffle) random.shuffle(index.subarray(0, n));
      for (let i = 0; i < n; i++) {
        const row = index[i]!;
        for (let j = 0; j < f; j++) x[filled * f + j] = win[row * f + j]!;
        for (let j = 0; j < k; j++) t[filled * k + j] = winT[row * k + j]!;
        if (++filled === batchSize) {
          this.scaler?.transform(inputs, inputs);
          yield full;
          filled = 0;
        }
      }
    }
    if (filled > 0) {
      // the epoch's last, smaller batch: views of the first rows (two small objects per epoch)
      const lastInputs = new Tensor<2>(x.subarray(0, filled * f), [filled, f]);
      this.scaler?.transform(lastInputs, lastInputs);
      yield { inputs: lastInputs, targets: new Tensor<2>(t.subarray(0, filled * k), [filled, k]) };
    }
  }
}
