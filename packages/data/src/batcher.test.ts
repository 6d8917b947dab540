import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';
import type { BatcherOptions } from './batcher.js';
import type { Dataset } from './dataset.js';

function numbered(n: number): Dataset {
  // Row i holds (i, -i) and target 10 i, so every copied row can be traced back.
  const inputs = Tensor.zeros([n, 2], 'float64');
  const targets = Tensor.zeros([n, 1], 'float64');
  for (let i = 0; i < n; i++) {
    inputs.set(i, i, 0);
    inputs.set(-i, i, 1);
    targets.set(10 * i, i, 0);
  }
  return { name: 'n', task: 'regression', inputs, targets, featureNames: ['a', 'b'], targetNames: ['t'] };
}

function epochRows(batcher: Batcher): number[] {
  const rows: number[] = [];
  batcher.startEpoch();
  for (let b = 0; b < batcher.batchCount; b++) {
    const batch = batcher.batch(b);
    for (let r = 0; r < batch.size; r++) {
      const i = batch.inputs.get(r, 0);
      expect(batch.inputs.get(r, 1)).toBe(-i);
      expect(batch.targets.get(r, 0)).toBe(10 * i);
      rows.push(i);
    }
  }
  return rows;
}

describe('Batcher', () => {
  it('covers every sample exactly once per epoch, in a new seeded order each epoch', () => {
    const batcher = new Batcher(numbered(23), { batchSize: 5, seed: 1 });
    expect(batcher.batchCount).toBe(5);
    const first = epochRows(batcher);
    const second = epochRows(batcher);
    const all = Array.from({ length: 23 }, (_, i) => i);
    expect([...first].sort((a, b) => a - b)).toEqual(all);
    expect([...second].sort((a, b) => a - b)).toEqual(all);
    expect(second).not.toEqual(first);
    expect(batcher.epoch).toBe(2);
    const twin = new Batcher(numbered(23), { batchSize: 5, seed: 1 });
    expect(epochRows(twin)).toEqual(first);
    expect(epochRows(twin)).toEqual(second);
    const seeded = new Batcher(numbered(23), { batchSize: 5, seed: new Random(1) });
    expect(epochRows(seeded)).toEqual(first);
  });

  it('reuses its preallocated tensors: no allocation per batch or per epoch', () => {
    const batcher = new Batcher(numbered(23), { batchSize: 5 });
    batcher.startEpoch();
    const full = batcher.batch(0);
    const last = batcher.batch(4);
    const buffers = [full.inputs.data, full.targets.data, last.inputs.data, last.targets.data];
    expect(full.inputs.shape).toEqual([5, 2]);
    expect(full.targets.shape).toEqual([5, 1]);
    expect(last.inputs.shape).toEqual([3, 2]);
    expect(last.size).toBe(3);
    const order = batcher.indices;
    for (let epoch = 0; epoch < 3; epoch++) {
      batcher.startEpoch();
      for (let b = 0; b < batcher.batchCount; b++) {
        const batch = batcher.batch(b);
        expect(batch).toBe(b < 4 ? full : last);
        expect(batch.inputs.data).toBe(b < 4 ? buffers[0] : buffers[2]);
        expect(batch.targets.data).toBe(b < 4 ? buffers[1] : buffers[3]);
      }
      expect(batcher.indices).toBe(order);
    }
  });

  it('keeps the order without shuffling; caps the batch size at the row count; converts dtype', () => {
    expect(epochRows(new Batcher(numbered(7), { batchSize: 3, shuffle: false }))).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    const one = new Batcher(numbered(4), { batchSize: 32, dtype: 'float32' });
    expect([one.batchSize, one.batchCount]).toEqual([4, 1]);
    one.startEpoch();
    expect(one.batch(0).inputs.dtype).toBe('float32');
    const exact = new Batcher(numbered(6), { batchSize: 3 });
    exact.startEpoch();
    expect(exact.batch(1)).toBe(exact.batch(0));
  });

  it('in a fixed order, hands out views of the data itself: same rows, nothing copied', () => {
    const ds = numbered(7);
    const batcher = new Batcher(ds, { batchSize: 3, shuffle: false });
    batcher.startEpoch();
    const batches = [0, 1, 2].map((b) => batcher.batch(b));
    expect(batches.map((b) => b.size)).toEqual([3, 3, 1]);
    batches.forEach((batch, b) => {
      expect(batch.inputs.data.buffer).toBe(ds.inputs.data.buffer);
      expect(batch.inputs.data.byteOffset).toBe(b * 3 * 2 * 8);
      expect(batch.targets.data.byteOffset).toBe(b * 3 * 8);
      expect(batch.inputs.shape).toEqual([b < 2 ? 3 : 1, 2]);
    });
    batcher.startEpoch();
    expect(batcher.batch(1)).toBe(batches[1]);
    // Converting the dtype still copies into the batcher's own float32 buffers.
    const converted = new Batcher(ds, { batchSize: 3, shuffle: false, dtype: 'float32' });
    converted.startEpoch();
    expect(converted.batch(0).inputs.data.buffer).not.toBe(ds.inputs.data.buffer);
    expect(Array.from(converted.batch(0).inputs.data)).toEqual([0, -0, 1, -1, 2, -2]);
  });

  it('gathers wide rows (MNIST-like, one set per row) exactly as it gathers narrow ones, float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const n = 37;
      const cols = 300; // at least 256: the batcher copies each row with one set from a view made once
      const inputs = Tensor.zeros([n, cols], dtype);
      for (let i = 0; i < inputs.size; i++) inputs.data[i] = Math.sin(i) * 1000;
      const targets = Tensor.zeros([n, 1], dtype);
      for (let i = 0; i < n; i++) targets.data[i] = i;
      const ds: Dataset = {
        name: 'w',
        task: 'regression',
        inputs,
        targets,
        featureNames: [],
        targetNames: ['t'],
      };
      const batcher = new Batcher(ds, { batchSize: 8, seed: 3 });
      for (let epoch = 0; epoch < 2; epoch++) {
        batcher.startEpoch();
        for (let b = 0; b < batcher.batchCount; b++) {
          const batch = batcher.batch(b);
          for (let r = 0; r < batch.size; r++) {
            const row = batch.targets.data[r]!;
            expect(batcher.indices[b * 8 + r]).toBe(row);
            expect(Array.from(batch.inputs.data.subarray(r * cols, (r + 1) * cols))).toEqual(
              Array.from(inputs.data.subarray(row * cols, (row + 1) * cols)),
            );
          }
        }
      }
      // Converting the dtype goes value by value, with the same rounding as a Float32Array store.
      const converted = new Batcher(ds, { batchSize: 5, seed: 3, dtype: 'float32' });
      converted.startEpoch();
      const first = converted.batch(0);
      const row = first.targets.data[0]!;
      expect(first.inputs.data[7]).toBe(Math.fround(inputs.data[row * cols + 7]!));
    }
  });

  it('gathers a batch into given arrays at given offsets: the rows and order of batch(b), narrow, wide, fixed', () => {
    const wide = (n: number, cols: number): Dataset => {
      const inputs = Tensor.zeros([n, cols], 'float32');
      for (let i = 0; i < inputs.size; i++) inputs.data[i] = Math.sin(i) * 1000;
      const targets = Tensor.zeros([n, 3], 'float32');
      for (let i = 0; i < targets.size; i++) targets.data[i] = i;
      return {
        name: 'w',
        task: 'regression',
        inputs,
        targets,
        featureNames: [],
        targetNames: ['a', 'b', 'c'],
      };
    };
    const cases: [Dataset, BatcherOptions][] = [
      [numbered(23), { batchSize: 5, seed: 1, dtype: 'float32' }], // narrow float64 rows into float32
      [wide(37, 300), { batchSize: 8, seed: 3 }], // wide rows: one set per row
      [wide(37, 300), { batchSize: 8, shuffle: false }], // a fixed order (batch(b) gives views)
      [numbered(4), { batchSize: 9 }], // one batch of every row
    ];
    for (const [ds, options] of cases) {
      const batcher = new Batcher(ds, options);
      const f = ds.inputs.cols;
      const k = ds.targets.cols;
      const memory = new Float32Array(7 + batcher.batchSize * (f + k) + 5);
      const inAt = 7;
      const tAt = 7 + batcher.batchSize * f + 2;
      for (let epoch = 0; epoch < 2; epoch++) {
        batcher.startEpoch();
        for (let b = 0; b < batcher.batchCount; b++) {
          memory.fill(-7);
          const rows = batcher.gatherInto(b, memory, inAt, memory, tAt);
          expect(rows).toBe(batcher.rowsOf(b));
          const batch = batcher.batch(b);
          expect(rows).toBe(batch.size);
          expect(Array.from(memory.subarray(inAt, inAt + rows * f))).toEqual(Array.from(batch.inputs.data));
          expect(Array.from(memory.subarray(tAt, tAt + rows * k))).toEqual(Array.from(batch.targets.data));
          // nothing written outside the batch's places
          expect(memory[inAt - 1]).toBe(-7);
          expect(memory[inAt + rows * f]).toBe(-7);
          expect(memory[tAt + rows * k]).toBe(-7);
        }
      }
    }
    expect(() =>
      new Batcher(numbered(4), { batchSize: 2 }).gatherInto(
        2,
        new Float32Array(8),
        0,
        new Float32Array(8),
        0,
      ),
    ).toThrow(/gatherInto: 2 is not a batch number in \[0, 2\)/);
  });

  it('refuses a bad batch size, an empty dataset and a batch number out of range', () => {
    expect(() => new Batcher(numbered(4), { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => new Batcher(numbered(0), { batchSize: 2 })).toThrow(/needs at least one row/);
    expect(() => new Batcher(numbered(4), { batchSize: 2 }).batch(2)).toThrow(
      /2 is not a batch number in \[0, 2\)/,
    );
  });
});
