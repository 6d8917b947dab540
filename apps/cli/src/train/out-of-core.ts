// `train --memory-budget MB`: a CSV file whose parsed numbers would not fit the budget trains out-of-core, from
// the binary cache of `@deltaflow/data/node` beside it, read in row groups (see docs/guides/data-at-any-size.md).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { freemem } from 'node:os';
import type { Dataset, Scaler } from '@deltaflow/data';
import { openCsvCache } from '@deltaflow/data/node';
import type { CacheSource, CsvCache } from '@deltaflow/data/node';
import { DeltaflowError, Tensor, allocate } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import { CliError, UsageError } from '../errors.js';
import type { TrainRequest } from '../options/train-request.js';

/** The fraction of the available memory that is the default budget. */
export const DEFAULT_BUDGET_FRACTION = 0.5;

/**
 * How many times the parsed numbers an in-memory run holds at its peak (reading, then split and scaled copies,
 * the batcher): 3, as measured (a 2 GB CSV of 1.12 GB of float32 numbers peaked at 3.2 GB of RSS).
 */
const IN_MEMORY_FACTOR = 3;

/** Rows of the sample the recipe builds the model from (the first rows of the cache). */
const SAMPLE_ROWS = 4096;

/**
 * The default of `--memory-budget`, in MB: half of the memory available when the run starts
 * (`process.availableMemory()`, else `os.freemem()`), and no more than half of a container's limit
 * (`process.constrainedMemory()`).
 *
 * @example
 * ```ts
 * defaultMemoryBudget(); // e.g. 9000 on a machine with 18 GB available
 * ```
 */
export function defaultMemoryBudget(): number {
  const proc = process as { availableMemory?: () => number; constrainedMemory?: () => number | undefined };
  let available = proc.availableMemory?.() ?? freemem();
  const limit = proc.constrainedMemory?.();
  if (limit && limit > 0 && limit < Number.MAX_SAFE_INTEGER) available = Math.min(available, limit);
  return Math.max(1, Math.floor((available * DEFAULT_BUDGET_FRACTION) / 1e6));
}

/**
 * The memory a CSV file would need in memory, in bytes, estimated from its size and its first 64 KiB: rows (the
 * file's size over the bytes per row of the first rows) x columns x the dtype's bytes, times 3 (the reader's
 * peak, then the split and scaled copies).
 *
 * @example
 * ```ts
 * // not-runnable: reads a file
 * estimateInMemoryBytes('big.csv', 'float32'); // about 3.4e9 for a 2 GB CSV of 21 columns
 * ```
 */
export function estimateInMemoryBytes(path: string, dtype: DType): number {
  let size: number;
  let head: string;
  try {
    size = statSync(path).size;
    const fd = openSync(path, 'r');
    try {
      const buffer = new Uint8Array(64 * 1024);
      head = new TextDecoder().decode(buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)));
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0; // the reader reports the file's problem in its own words
  }
  const lines = head.split('\n');
  const header = lines[0] ?? '';
  const columns = header.split(',').length;
  const rowLines = lines.slice(1, -1).filter((line) => line.trim() !== '');
  const rowBytes =
    rowLines.length > 0 ? rowLines.reduce((sum, l) => sum + l.length + 1, 0) / rowLines.length : 1;
  const rows = Math.max(0, size - header.length - 1) / rowBytes;
  return rows * columns * (dtype === 'float64' ? 8 : 4) * IN_MEMORY_FACTOR;
}

/** What an out-of-core run reads: the cache, its parts as sources, the scaler, and the rows of each part. */
export interface OutOfCoreData {
  cache: CsvCache;
  train: CacheSource;
  validation?: CacheSource;
  test?: CacheSource;
  counts: { train: number; validation: number; test: number };
  /** `--normalize`: fitted on the training rows in one streaming pass. */
  scaler?: Scaler;
  /** The first rows (unscaled), as a Dataset: the recipe builds the model from it. */
  sample: Dataset;
}

/**
 * Whether `--data` (a file, not a built-in set) trains out-of-core: a CSV file whose estimated in-memory size passes the budget
 * (`--memory-budget`, or {@link defaultMemoryBudget}). Returns the budget in MB when it does, else null.
 */
export function outOfCoreBudget(request: TrainRequest, dtype: DType): number | null {
  if (/\.(arrow|feather|ipc)$/i.test(request.data)) return null; // Arrow files are read into memory
  const budget = request.memoryBudget ?? defaultMemoryBudget();
  return estimateInMemoryBytes(request.data, dtype) > budget * 1e6 ? budget : null;
}

/**
 * Opens (building it when missing or stale) the binary cache of the CSV of an out-of-core run, after one notice
 * line on stderr; splits its rows (seeded) for `--validation-split` and `--test-split`, fits `--normalize`'s
 * scaler in one streaming pass over the training rows, and makes the sources of batches.
 *
 * @example
 * ```ts
 * // not-runnable: reads a large file
 * import { checkTrainRequest } from '../options/train-request.js';
 *
 * const request = checkTrainRequest({ data: 'big.csv', memoryBudget: 300 });
 * const data = openOutOfCore(request, 300, 'float32', (line) => console.error(line));
 * ```
 * @throws CliError when the cache cannot be written; UsageError for options that need in-memory data
 */
export function openOutOfCore(
  request: TrainRequest,
  budget: number,
  dtype: DType,
  notice: (line: string) => void,
  features?: readonly string[],
): OutOfCoreData {
  for (const [flag, given] of [
    ['--checkpoint', request.checkpoint],
    ['--dashboard', request.dashboard],
  ] as const) {
    if (given !== undefined)
      throw new UsageError(
        `${flag} needs the data in memory, but ${request.data} is larger than the memory budget of ${budget} MB; raise --memory-budget or leave out ${flag}.`,
      );
  }
  const cachePath = `${request.data}.dfcache`;
  if (!request.quiet)
    notice(
      `deltaflow: note: ${request.data} does not fit the memory budget of ${budget} MB: training out-of-core from its binary cache ${cachePath} (built once, rebuilt when the CSV changes), read in chunks.`,
    );
  let cache: CsvCache;
  try {
    cache = openCsvCache(request.data, {
      dtype,
      cachePath,
      ...(request.target ? { target: request.target } : {}),
      ...(request.encoding ? { encoding: request.encoding } : {}),
      ...(features ? { features } : {}),
    });
  } catch (error) {
    if (error instanceof DeltaflowError && error.code === 'E_WRITE')
      throw new CliError(
        `Cannot write the out-of-core cache ${cachePath} beside ${request.data}; make that directory writable, or raise --memory-budget to train in memory.`,
      );
    throw error;
  }
  const seed = request.seed;
  const split = request.validationSplit !== undefined || request.testSplit !== undefined;
  const counts = split
    ? cache.split({
        ...(request.validationSplit !== undefined ? { validation: request.validationSplit } : {}),
        ...(request.testSplit !== undefined ? { test: request.testSplit } : {}),
        seed,
      })
    : { train: cache.rows, validation: 0, test: 0 };
  if (counts.train === 0)
    throw new UsageError(`--validation-split and --test-split leave no training rows of ${request.data}.`);
  const scaler = request.normalize ? cache.fitScaler('standard', 'train') : undefined;
  // a quarter of the budget for the shuffle window, in row groups
  const groupBytes = 16384 * (cache.features + cache.outputs) * (dtype === 'float64' ? 8 : 4);
  const window = Math.max(1, Math.min(64, Math.floor((budget * 1e6 * 0.25) / groupBytes)));
  const options = { seed, window, ...(scaler ? { scaler } : {}) };
  return {
    cache,
    train: cache.source('train', { ...options, shuffle: request.shuffle }),
    ...(counts.validation > 0
      ? { validation: cache.source('validation', { ...options, shuffle: false }) }
      : {}),
    ...(counts.test > 0 ? { test: cache.source('test', { ...options, shuffle: false }) } : {}),
    counts,
    ...(scaler ? { scaler } : {}),
    sample: sampleOf(cache, request.data),
  };
}

/** The cache's first rows as a Dataset (the recipe checks the columns and builds the model from it). */
function sampleOf(cache: CsvCache, file: string): Dataset {
  const rows = Math.min(SAMPLE_ROWS, cache.rows);
  const f = cache.features;
  const k = cache.outputs;
  const inputs = allocate(cache.dtype, 16384 * f);
  const targets = allocate(cache.dtype, 16384 * k);
  cache.readGroup(0, inputs, targets, 0);
  const name = file
    .slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)
    .replace(/\.[^.]*$/, '');
  return {
    name: name || 'csv',
    task: cache.task,
    inputs: new Tensor<2>(inputs.slice(0, rows * f), [rows, f]),
    targets: new Tensor<2>(targets.slice(0, rows * k), [rows, k]),
    featureNames: [...cache.featureNames],
    targetNames: [...cache.targetNames],
    ...(cache.classNames ? { classNames: [...cache.classNames] } : {}),
  };
}
