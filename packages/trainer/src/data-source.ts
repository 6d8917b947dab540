// Training from data that arrives in batches (out-of-core data, a database, a generator): the public DataSource
// shape that train() accepts beside in-memory tensors, and the feed that pulls its batches for the training loop.
import { getLoss } from '@deltaflow/losses';
import type { LossIdentifier } from '@deltaflow/losses';
import type { Sequential } from '@deltaflow/network';
import { DeltaflowError } from '@deltaflow/tensor';
import type { DType, Tensor2D } from '@deltaflow/tensor';
import type { Metrics } from './events.js';
import { MetricsAccumulator } from './metrics.js';

/**
 * One batch of a {@link DataSource}: inputs `[B, F]` and targets `[B, K]`, one sample per row.
 *
 * @example
 * ```ts
 * const batch: DataBatch = { inputs: Tensor.fromNested([[0, 1]]), targets: Tensor.fromNested([[1]]) };
 * ```
 * @category Data sources
 */
export interface DataBatch {
  /** The inputs, `[B, F]`, in the model's dtype. */
  inputs: Tensor2D;
  /** The targets t, `[B, K]`, in the model's dtype. */
  targets: Tensor2D;
}

/**
 * What a {@link DataSource} is asked for each epoch: which epoch (from 0, for a seeded order that changes every
 * epoch) and the batch size of the run.
 *
 * @example
 * ```ts
 * const request: BatchRequest = { epoch: 0, batchSize: 32 };
 * ```
 * @category Data sources
 */
export interface BatchRequest {
  /** The epoch, counted from 0. */
  epoch: number;
  /** Rows per batch the run asks for (`batchSize`); a source may give a smaller last batch. */
  batchSize: number;
}

/**
 * Data that `train()` reads batch by batch instead of holding it in memory: each epoch it calls
 * `batches({ epoch, batchSize })` and trains on every batch the async iterable yields, awaiting each one, so
 * the data can come from disk, a network or a generator. Implement it yourself, or use the binary cache of
 * `@deltaflow/data/node` (`openCsvCache`), which the CLI uses for data larger than `--memory-budget`.
 *
 * Rules: every batch has `features` input and `outputs` target columns in the model's dtype; the training loop
 * reads a batch before asking for the next, so a source may refill the same tensors every time (and should, to
 * allocate nothing per batch). The loss E of an epoch is the mean over the samples the source gave. The order of
 * the samples is the source's: shuffle (seeded, by `epoch`) inside it if you want shuffling, as the options
 * `shuffle` and `seed` apply to in-memory data only. `validationSplit`, `resume` and `resumable` need in-memory
 * data; give a validation source as the option `validation` instead.
 *
 * @example
 * ```ts
 * // XOR's four samples, one batch of two rows at a time, from an async generator
 * const rows = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]];
 * const inputs = Tensor.zeros([2, 2]);
 * const targets = Tensor.zeros([2, 1]);
 * const source: DataSource = {
 *   features: 2,
 *   outputs: 1,
 *   samples: 4,
 *   async *batches({ epoch }) {
 *     const start = epoch % 2; // a different order every epoch
 *     for (let b = 0; b < 2; b++) {
 *       for (let r = 0; r < 2; r++) {
 *         const [x1, x2, t] = rows[(start + 2 * b + r) % 4]!;
 *         inputs.data.set([x1!, x2!], r * 2);
 *         targets.data[r] = t!;
 *       }
 *       yield { inputs, targets };
 *     }
 *   },
 * };
 * const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
 * train(model, source, { epochs: 10, lr: 0.5 }).subscribe();
 * ```
 * @category Data sources
 */
export interface DataSource {
  /** Input columns F of every batch. */
  readonly features: number;
  /** Target columns K of every batch. */
  readonly outputs: number;
  /** Samples per epoch, when known (for the start event's `config.samples`); default 0 (unknown). */
  readonly samples?: number;
  /** Chooses the metrics: accuracy for classification, mse/mae for regression. Default: classification. */
  readonly task?: 'classification' | 'regression';
  /** Classification: the name of each class, carried by the start event's config. */
  readonly classNames?: readonly string[];
  /** The batches of one epoch. */
  batches(request: BatchRequest): AsyncIterable<DataBatch>;
}

/**
 * Whether `data` is a {@link DataSource} (it has a `batches` method) rather than in-memory tensors.
 *
 * @example
 * ```ts
 * isDataSource(xor()); // → false
 * ```
 * @category Data sources
 */
export function isDataSource(data: unknown): data is DataSource {
  return (
    typeof data === 'object' && data !== null && typeof (data as { batches?: unknown }).batches === 'function'
  );
}

/** Refuses a source whose columns do not fit the model. */
export function checkSource(source: DataSource, name: string, inputs: number, outputs: number): void {
  if (source.features !== inputs || source.outputs !== outputs) {
    throw new DeltaflowError(
      'E_SHAPE',
      `The ${name} source gives ${source.features} inputs and ${source.outputs} targets per sample but the model takes ${inputs} inputs and gives ${outputs} outputs.`,
    );
  }
}

/**
 * Pulls the batches of a {@link DataSource} one at a time for the synchronous training loop: `fetch` awaits
 * the next batch (or the epoch's end), then the loop takes it. Internal.
 */
export class SourceFeed {
  /** A batch (or the epoch's end) is there to take. */
  ready = false;
  /** The epoch's batches are all taken. */
  done = false;
  /** Samples taken in the current epoch. */
  samples = 0;
  private iterator: AsyncIterator<DataBatch> | null = null;
  private current: DataBatch | null = null;
  /** The last batch taken (its targets go with the forward event's output sample). */
  last: DataBatch | null = null;

  constructor(
    readonly source: DataSource,
    private readonly name: string,
    private readonly batchSize: number,
    private readonly dtype: DType,
  ) {}

  /** Awaits the next batch of `epoch` (starting the epoch's iterator if needed). */
  async fetch(epoch: number): Promise<void> {
    this.iterator ??= this.source.batches({ epoch, batchSize: this.batchSize })[Symbol.asyncIterator]();
    const result = await this.iterator.next();
    if (result.done) {
      this.iterator = null;
      this.done = true;
      if (this.samples === 0) {
        throw new DeltaflowError(
          'E_SHAPE',
          `The ${this.name} source gave no samples in epoch ${epoch + 1}; give at least one batch each epoch.`,
        );
      }
    } else {
      this.current = this.check(result.value);
    }
    this.ready = true;
  }

  /** The batch fetched last; the feed must be fetched again before the next. */
  take(): DataBatch {
    const batch = this.current!;
    this.current = null;
    this.ready = false;
    this.last = batch;
    this.samples += batch.inputs.rows;
    return batch;
  }

  /** Starts over for the next epoch. */
  reset(): void {
    this.ready = false;
    this.done = false;
    this.samples = 0;
  }

  /** Lets the source's iterator go (its `return`), when the run ends early. */
  close(): void {
    const iterator = this.iterator;
    this.iterator = null;
    void iterator?.return?.()?.catch(() => undefined);
  }

  private check(batch: DataBatch): DataBatch {
    const { inputs, targets } = batch;
    if (inputs.dtype !== this.dtype || targets.dtype !== this.dtype) {
      throw new DeltaflowError(
        'E_DTYPE',
        `The ${this.name} source gave a batch of ${inputs.dtype} inputs and ${targets.dtype} targets but the model is ${this.dtype}; give batches in the model's dtype.`,
      );
    }
    if (
      inputs.cols !== this.source.features ||
      targets.cols !== this.source.outputs ||
      inputs.rows !== targets.rows ||
      inputs.rows === 0
    ) {
      throw new DeltaflowError(
        'E_SHAPE',
        `The ${this.name} source gave a batch of [${inputs.rows}, ${inputs.cols}] inputs and [${targets.rows}, ${targets.cols}] targets; each batch needs at least one row, ${this.source.features} input and ${this.source.outputs} target columns.`,
      );
    }
    return batch;
  }
}

/**
 * Measures a model on every batch of a {@link DataSource} (one pass, epoch 0): the loss E of `loss` (the mean
 * over the samples, without penalties) and the metrics of the task, as `evaluate` computes them on data in
 * memory. For test data too large for memory.
 *
 * @example
 * ```ts
 * const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
 * const source: DataSource = {
 *   features: 2,
 *   outputs: 1,
 *   async *batches() {
 *     yield { inputs: xor().inputs, targets: xor().targets };
 *   },
 * };
 * const { loss, metrics, samples } = await evaluateSource(model, source, { loss: 'mse' });
 * samples; // → 4
 * ```
 * @param model - the trained network (dropout off, as at inference)
 * @param source - the samples, batch by batch
 * @param options - the loss function, the task (default the source's, else classification), the batch size
 *   asked of the source (default 256)
 * @returns the loss E, the metrics and the number of samples
 * @category Data sources
 */
export async function evaluateSource(
  model: Sequential,
  source: DataSource,
  options: { loss?: LossIdentifier; task?: 'classification' | 'regression'; batchSize?: number } = {},
): Promise<{ loss: number; metrics: Metrics; samples: number }> {
  checkSource(source, 'evaluation data', model.inputs, model.outputs);
  const loss = getLoss(options.loss ?? 'mse');
  const feed = new SourceFeed(source, 'evaluation data', options.batchSize ?? 256, model.dtype);
  const metrics = new MetricsAccumulator(options.task ?? source.task ?? 'classification');
  const pass = model.createPass();
  let sum = 0;
  for (;;) {
    await feed.fetch(0);
    if (feed.done) break;
    const { inputs, targets } = feed.take();
    const output = model.forward(inputs, pass);
    sum += model.loss(pass, targets, loss) * inputs.rows;
    metrics.add(output, targets);
  }
  return { loss: sum / feed.samples, metrics: metrics.result('', model.outputs), samples: feed.samples };
}
