import { DeltaflowError, Random, Tensor } from '@deltaflow/tensor';
import type { DType, Tensor2D, TypedArray } from '@deltaflow/tensor';
import type { Dataset } from './dataset.js';
import { DEFAULT_SEED } from './synthetic.js';

/**
 * One batch: preallocated `[size, F]` inputs and `[size, K]` targets, owned by the {@link Batcher} and
 * overwritten by its next call, so copy anything you want to keep.
 *
 * @example
 * ```ts
 * const batcher = new Batcher(xor(), { batchSize: 3 });
 * batcher.startEpoch();
 * const { inputs, targets, size } = batcher.batch(1); // the last, partial batch
 * size; // → 1
 * ```
 * @category Batching
 */
export interface Batch {
  /** `[size, F]`. */
  readonly inputs: Tensor2D;
  /** `[size, K]`. */
  readonly targets: Tensor2D;
  /** Rows in this batch: the batch size, or fewer for the last batch of an epoch. */
  readonly size: number;
}

/**
 * Options of a {@link Batcher}.
 *
 * @example
 * ```ts
 * const options: BatcherOptions = { batchSize: 32, shuffle: true, seed: 42 };
 * ```
 * @category Batching
 */
export interface BatcherOptions {
  /** Rows per batch (at least 1); a batch size above the row count gives one batch of every row. */
  batchSize: number;
  /** Shuffle the order at each {@link Batcher.startEpoch}; default true. */
  shuffle?: boolean;
  /** Seed (or generator) of the per-epoch shuffles; default 42. Epoch k's order depends only on the seed and k. */
  seed?: number | Random;
  /** Element type of the batch tensors; default the dataset's. */
  dtype?: DType;
}

/**
 * Cuts a dataset into batches for training, without allocating once built: it owns an index permutation,
 * reshuffled in place (seeded) at each epoch, and two preallocated pairs of tensors, `[batchSize, F]` /
 * `[batchSize, K]` for full batches and a smaller pair for the last, partial batch. Each epoch visits every
 * row exactly once.
 *
 * @example
 * ```ts
 * const batcher = new Batcher(iris(), { batchSize: 32, seed: 42 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   batcher.startEpoch();
 *   for (let b = 0; b < batcher.batchCount; b++) {
 *     const { inputs, targets } = batcher.batch(b);
 *     // forward, backward, update
 *   }
 * }
 * ```
 * @category Batching
 */
export class Batcher {
  /** Rows of a full batch (the requested size, capped at the row count). */
  readonly batchSize: number;
  /** Rows of the dataset. */
  readonly size: number;
  /** Batches per epoch: ceil(size / batchSize). */
  readonly batchCount: number;
  private readonly order: Int32Array;
  private readonly rng: Random;
  private readonly shuffle: boolean;
  private readonly inputs: TypedArray;
  private readonly targets: TypedArray;
  private readonly inputCols: number;
  private readonly targetCols: number;
  private readonly full: Batch;
  private readonly last: Batch;
  /** Without shuffling, every batch as views of the data (no copy); null when shuffling or converting. */
  private readonly views: Batch[] | null;
  /**
   * One view per input row, made once when rows are wide (WIDE_ROW values or more) and batches are
   * gathered in a shuffled order: a row is then copied by one `set` (a memcpy), not value by value.
   */
  private readonly inputRows: TypedArray[] | null;
  private epochs = 0;

  /**
   * @param ds - the rows to batch (only `inputs` and `targets` are used; they are read, never changed)
   * @param options - batch size, shuffling, seed, dtype
   * @throws DeltaflowError `E_OPTION` for a bad batch size or an empty dataset
   */
  constructor(ds: Pick<Dataset, 'inputs' | 'targets'>, options: BatcherOptions) {
    const n = ds.inputs.rows;
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new DeltaflowError(
        'E_OPTION',
        `Batcher: batchSize must be a positive integer, but it is ${options.batchSize}.`,
      );
    }
    if (n === 0 || ds.targets.rows !== n) {
      throw new DeltaflowError(
        'E_OPTION',
        `Batcher: needs at least one row and as many target rows as input rows, got ${ds.inputs} and ${ds.targets}.`,
      );
    }
    const { seed = DEFAULT_SEED, shuffle = true } = options;
    const dtype = options.dtype ?? ds.inputs.dtype;
    this.size = n;
    this.batchSize = Math.min(options.batchSize, n);
    this.batchCount = Math.ceil(n / this.batchSize);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.rng = typeof seed === 'number' ? new Random(seed) : seed;
    this.shuffle = shuffle;
    this.inputs = ds.inputs.data;
    this.targets = ds.targets.data;
    this.inputCols = ds.inputs.cols;
    this.targetCols = ds.targets.cols;
    const pair = (rows: number): Batch => ({
      inputs: Tensor.zeros([rows, ds.inputs.cols], dtype),
      targets: Tensor.zeros([rows, ds.targets.cols], dtype),
      size: rows,
    });
    this.full = pair(this.batchSize);
    const remainder = n % this.batchSize;
    this.last = remainder === 0 ? this.full : pair(remainder);
    // In a fixed order, batch b is rows [b * batchSize, ...) of the data as they are: views, nothing copied.
    this.views =
      !shuffle && dtype === ds.inputs.dtype && dtype === ds.targets.dtype
        ? Array.from({ length: this.batchCount }, (_, b) => {
            const start = b * this.batchSize;
            const rows = Math.min(this.batchSize, n - start);
            const view = (t: Tensor2D): Tensor2D =>
              new Tensor<2>(t.data.subarray(start * t.cols, (start + rows) * t.cols), [rows, t.cols]);
            return { inputs: view(ds.inputs), targets: view(ds.targets), size: rows };
          })
        : null;
    const cols = ds.inputs.cols;
    this.inputRows =
      this.views === null && dtype === ds.inputs.dtype && cols >= WIDE_ROW
        ? Array.from({ length: n }, (_, r) => ds.inputs.data.subarray(r * cols, (r + 1) * cols))
        : null;
  }

  /** Epochs started so far. */
  get epoch(): number {
    return this.epochs;
  }

  /** The row order of the current epoch (a view of the batcher's own array: read it, do not change it). */
  get indices(): Int32Array {
    return this.order;
  }

  /**
   * Continues from a saved point: the row order and the count of epochs started (what {@link Batcher.indices} and
   * {@link Batcher.epoch} gave then). With the generator's state restored too (`Random.restore`), the next
   * epochs' orders are those the saved batcher would have given.
   *
   * @example
   * ```ts
   * const batcher = new Batcher(xor(), { batchSize: 2, seed: 7 });
   * batcher.startEpoch();
   * const saved = { order: Array.from(batcher.indices), epochs: batcher.epoch };
   * const other = new Batcher(xor(), { batchSize: 2, seed: 7 });
   * other.resumeAt(saved.order, saved.epochs); // with the generator restored too, the same orders follow
   * ```
   * @throws DeltaflowError `E_STATE` when `order` is not a permutation of the rows
   */
  resumeAt(order: ArrayLike<number>, epochs: number): void {
    const n = this.order.length;
    const seen = new Uint8Array(n);
    let ok = order.length === n && Number.isInteger(epochs) && epochs >= 0;
    for (let i = 0; ok && i < n; i++) {
      const row = order[i]!;
      ok = Number.isInteger(row) && row >= 0 && row < n && seen[row] === 0;
      if (ok) seen[row] = 1;
    }
    if (!ok) {
      throw new DeltaflowError(
        'E_STATE',
        `Batcher.resumeAt: the saved order must be a permutation of the ${n} rows and the epochs a count; the state belongs to other data.`,
      );
    }
    this.order.set(Array.from(order));
    this.epochs = epochs;
  }

  /** Starts an epoch: reshuffles the row order in place when shuffling is on. Allocates nothing. */
  startEpoch(): void {
    if (this.shuffle) this.rng.shuffle(this.order);
    this.epochs++;
  }

  /**
   * The rows of batch `b` (0-based) of the current epoch. When shuffling (or converting the dtype) they are copied
   * into preallocated tensors: always the same {@link Batch} object for full batches, and another for the last,
   * partial one. In a fixed order the batch is a view of the dataset's own rows, made once, nothing copied. Either
   * way, read the batch; do not write into it.
   *
   * @throws DeltaflowError `E_OPTION` when `b` is not in [0, batchCount)
   */
  batch(b: number): Batch {
    this.check(b, 'batch');
    if (this.views) return this.views[b]!;
    const start = b * this.batchSize;
    const out = start + this.batchSize <= this.size ? this.full : this.last;
    const rows = this.inputRows;
    if (rows !== null) {
      const data = out.inputs.data;
      const cols = out.inputs.cols;
      for (let r = 0; r < out.size; r++) data.set(rows[this.order[start + r]!]!, r * cols);
    } else {
      copyRows(this.inputs, out.inputs, this.order, start, out.size);
    }
    copyRows(this.targets, out.targets, this.order, start, out.size);
    return out;
  }

  /**
   * Rows of batch `b` (0-based): the batch size, or fewer for the last batch of an epoch.
   *
   * @example
   * ```ts
   * // XOR's 4 rows in batches of 3: the last, partial batch has 1 row
   * new Batcher(xor(), { batchSize: 3 }).rowsOf(1); // → 1
   * ```
   */
  rowsOf(b: number): number {
    return b === this.batchCount - 1 ? this.size - b * this.batchSize : this.batchSize;
  }

  /**
   * Copies the rows of batch `b` of the current epoch straight into arrays of the caller's (a WebAssembly memory's
   * view, say): the inputs, `[rows, F]` row-major, from element `inputsAt` of `inputs`, and the targets, `[rows, K]`,
   * from element `targetsAt` of `targets`. The same rows in the same order as {@link Batcher.batch}, one copy per row
   * and nothing allocated. Returns the batch's rows ({@link Batcher.rowsOf}).
   *
   * @example
   * ```ts
   * const batcher = new Batcher(xor(), { batchSize: 2, seed: 7 });
   * batcher.startEpoch();
   * const memory = new Float32Array(16);
   * const rows = batcher.gatherInto(0, memory, 0, memory, 8); // inputs at 0..3, targets at 8..9
   * ```
   * @throws DeltaflowError `E_OPTION` when `b` is not in [0, batchCount)
   */
  gatherInto(
    b: number,
    inputs: TypedArray,
    inputsAt: number,
    targets: TypedArray,
    targetsAt: number,
  ): number {
    this.check(b, 'gatherInto');
    const views = this.views;
    if (views !== null) {
      // a fixed order: the batch's rows are one block of the data, copied by one set each
      const view = views[b]!;
      inputs.set(view.inputs.data, inputsAt);
      targets.set(view.targets.data, targetsAt);
      return view.size;
    }
    const start = b * this.batchSize;
    const rows = this.rowsOf(b);
    const order = this.order;
    const cols = this.inputCols;
    const wide = this.inputRows;
    if (wide !== null) {
      for (let r = 0; r < rows; r++) inputs.set(wide[order[start + r]!]!, inputsAt + r * cols);
    } else {
      gatherRows(this.inputs, cols, inputs, inputsAt, order, start, rows);
    }
    gatherRows(this.targets, this.targetCols, targets, targetsAt, order, start, rows);
    return rows;
  }

  private check(b: number, method: string): void {
    if (!(b >= 0 && b < this.batchCount) || !Number.isInteger(b)) {
      throw new DeltaflowError(
        'E_OPTION',
        `Batcher.${method}: ${b} is not a batch number in [0, ${this.batchCount}).`,
      );
    }
  }
}

/**
 * Rows at least this wide are gathered by `set` from views made once (MNIST's 784 values: a memcpy per row, several
 * times faster than the element loop); the views cost about 200 bytes a row, at most a fifth of the rows' data.
 */
const WIDE_ROW = 256;

function copyRows(from: TypedArray, to: Tensor, order: Int32Array, start: number, rows: number): void {
  gatherRows(from, to.cols, to.data, 0, order, start, rows);
}

/** Rows `order[start..start + rows)` of `from` (`cols` wide) into `data` from element `at`, in that order. */
function gatherRows(
  from: TypedArray,
  cols: number,
  data: TypedArray,
  at: number,
  order: Int32Array,
  start: number,
  rows: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = order[start + r]! * cols;
    const d = at + r * cols;
    let j = 0;
    // Unrolled by four: MNIST rows are 784 numbers, copied for every sample of every epoch.
    for (; j + 4 <= cols; j += 4) {
      data[d + j] = from[s + j]!;
      data[d + j + 1] = from[s + j + 1]!;
      data[d + j + 2] = from[s + j + 2]!;
      data[d + j + 3] = from[s + j + 3]!;
    }
    for (; j < cols; j++) data[d + j] = from[s + j]!;
  }
}
