import { circle, xor } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import type { Tensor2D } from '@deltaflow/tensor';
import { firstValueFrom, lastValueFrom, filter, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { DataSource } from './data-source.js';
import { isDataSource } from './data-source.js';
import type { EndEvent, EpochEvent, TrainingEvent } from './events.js';
import { train } from './train.js';

/** A source over in-memory rows, in their order, refilling one pair of tensors (as a real source should). */
function rowsSource(ds: Dataset, log: string[] = []): DataSource {
  const f = ds.inputs.cols;
  const k = ds.targets.cols;
  return {
    features: f,
    outputs: k,
    samples: ds.inputs.rows,
    task: ds.task,
    async *batches({ epoch, batchSize }) {
      log.push(`epoch ${epoch}`);
      try {
        for (let start = 0; start < ds.inputs.rows; start += batchSize) {
          const rows = Math.min(batchSize, ds.inputs.rows - start);
          await Promise.resolve(); // as if read from disk
          yield {
            inputs: new Tensor<2>(ds.inputs.data.subarray(start * f, (start + rows) * f), [rows, f]),
            targets: new Tensor<2>(ds.targets.data.subarray(start * k, (start + rows) * k), [rows, k]),
          };
        }
      } finally {
        log.push(`closed ${epoch}`);
      }
    },
  };
}

const run = (data: Parameters<typeof train>[1], options: Parameters<typeof train>[2]) =>
  lastValueFrom(
    train(mlp({ inputs: 2, layers: [{ units: 6 }, { units: 1 }], seed: 7 }), data, options).pipe(toArray()),
  );

const weightsOf = (events: TrainingEvent[]) => (events.at(-1) as EndEvent).model.layers;

describe('train() with a DataSource', () => {
  it('tells a source from in-memory data', () => {
    expect(isDataSource(xor())).toBe(false);
    expect(isDataSource(rowsSource(xor()))).toBe(true);
  });

  it('trains exactly as in memory on the same batches in the same order (bit for bit), with the same events', async () => {
    const ds = circle({ points: 200, seed: 3 });
    const options = { epochs: 4, batchSize: 32, lr: 0.3, shuffle: false };
    const memory = await run(ds, options);
    const log: string[] = [];
    const source = await run(rowsSource(ds, log), options);
    expect(source.map((e) => e.type)).toEqual(memory.map((e) => e.type));
    expect(weightsOf(source)).toEqual(weightsOf(memory));
    const losses = (events: TrainingEvent[]) =>
      events.filter((e): e is EpochEvent => e.type === 'epoch').map((e) => [e.loss, e.metrics]);
    expect(losses(source)).toEqual(losses(memory));
    expect(log).toEqual([
      'epoch 0',
      'closed 0',
      'epoch 1',
      'closed 1',
      'epoch 2',
      'closed 2',
      'epoch 3',
      'closed 3',
    ]);
  });

  it('measures a validation source at every epoch as in-memory validation data', async () => {
    const ds = circle({ points: 160, seed: 3 });
    const val = circle({ points: 50, seed: 9 });
    const options = { epochs: 3, batchSize: 16, lr: 0.3, shuffle: false };
    const memory = await run(ds, { ...options, validation: val });
    const source = await run(rowsSource(ds), { ...options, validation: rowsSource(val) });
    const valLosses = (events: TrainingEvent[]) =>
      events
        .filter((e): e is EpochEvent => e.type === 'epoch')
        .map((e) => [e.valLoss, e.metrics.valAccuracy]);
    const [m, s] = [valLosses(memory), valLosses(source)];
    expect(s.map(([, accuracy]) => accuracy)).toEqual(m.map(([, accuracy]) => accuracy));
    // the mean of per-batch means weighted by rows: equal up to rounding
    s.forEach(([loss], i) => expect(loss).toBeCloseTo(m[i]![0] as number, 12));
  });

  it('gives the same result twice from a seeded source', async () => {
    const ds = circle({ points: 120, seed: 5 });
    const shuffled = (): DataSource => ({
      ...rowsSource(ds),
      async *batches({ epoch, batchSize }) {
        // a seeded order per epoch, as the CSV cache's source does
        const order = Array.from({ length: ds.inputs.rows }, (_, i) => i);
        let s = 1 + epoch;
        for (let i = order.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) >>> 0;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        const inputs = Tensor.zeros([batchSize, 2]) as Tensor2D;
        const targets = Tensor.zeros([batchSize, 1]) as Tensor2D;
        for (let b = 0; b + batchSize <= order.length; b += batchSize) {
          for (let r = 0; r < batchSize; r++) {
            const row = order[b + r]!;
            inputs.data.set(ds.inputs.data.subarray(row * 2, row * 2 + 2), r * 2);
            targets.data[r] = ds.targets.data[row]!;
          }
          yield { inputs, targets };
        }
      },
    });
    const options = { epochs: 3, batchSize: 20, lr: 0.3 };
    expect(weightsOf(await run(shuffled(), options))).toEqual(weightsOf(await run(shuffled(), options)));
  });

  it('lets the source go when the subscriber unsubscribes', async () => {
    const log: string[] = [];
    const events$ = train(
      mlp({ inputs: 2, layers: [{ units: 1 }], seed: 1 }),
      rowsSource(circle({ points: 400, seed: 1 }), log),
      { epochs: 100, batchSize: 4 },
    );
    await firstValueFrom(events$.pipe(filter((e) => e.type === 'epoch')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.filter((line) => line.startsWith('closed')).length).toBe(
      log.filter((l) => l.startsWith('epoch')).length,
    );
  });

  it('refuses batches of another dtype, an empty epoch and in-memory-only options, each in one sentence', async () => {
    const ds = xor();
    const f64: DataSource = {
      ...rowsSource(ds),
      async *batches() {
        yield { inputs: ds.inputs.clone('float64'), targets: ds.targets.clone('float64') };
      },
    };
    await expect(run(f64, { epochs: 1 })).rejects.toThrow(/float64 inputs .* the model is float32/);
    const empty: DataSource = { ...rowsSource(ds), async *batches() {} };
    await expect(run(empty, { epochs: 1 })).rejects.toThrow(/gave no samples in epoch 1/);
    await expect(run(rowsSource(ds), { epochs: 1, validationSplit: 0.2 })).rejects.toThrow(
      /`validationSplit` needs in-memory data/,
    );
    const wide: DataSource = { ...rowsSource(ds), features: 3 };
    await expect(run(wide, { epochs: 1 })).rejects.toBeInstanceOf(DeltaflowError);
  });
});
