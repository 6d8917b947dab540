import { DeltaflowError, Random } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { circle } from './circle.js';
import { checkDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { gauss } from './gauss.js';
import { iris } from './iris.js';
import { createDataset, datasetNames, loadDataset } from './load-dataset.js';
import { plane } from './plane.js';
import { spiral } from './spiral.js';
import { xor } from './xor.js';

const generated = { circle, spiral, gauss, plane };

function column(ds: Dataset, j: number, of: 'inputs' | 'targets' = 'inputs'): number[] {
  const t = ds[of];
  return Array.from({ length: t.rows }, (_, i) => t.get(i, j));
}

function error(run: () => unknown): DeltaflowError {
  try {
    run();
  } catch (e) {
    if (e instanceof DeltaflowError) return e;
    throw e;
  }
  throw new Error('expected a DeltaflowError');
}

describe('xor', () => {
  it('is exactly the four points of exclusive or', () => {
    const ds = xor();
    expect(ds.inputs.toNested()).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(ds.targets.toNested()).toEqual([[0], [1], [1], [0]]);
    expect(ds.task).toBe('classification');
    expect(ds.classNames).toEqual(['0', '1']);
    expect(xor({ dtype: 'float64' }).inputs.dtype).toBe('float64');
  });
});

describe.each(Object.entries(generated))('%s', (name, make) => {
  it('has the asked size, shape and dtype, and consistent names', () => {
    const ds = make({ points: 101, dtype: 'float64' });
    expect(ds.name).toBe(name);
    expect(ds.inputs.shape).toEqual([101, 2]);
    expect(ds.targets.shape).toEqual([101, 1]);
    expect(ds.inputs.dtype).toBe('float64');
    expect(checkDataset(ds)).toBe(ds);
    expect(make().inputs.rows).toBe(500);
  });

  it('repeats bit for bit for one seed and differs for another', () => {
    const a = make({ seed: 5, noise: 0.2 });
    const b = make({ seed: 5, noise: 0.2 });
    const c = make({ seed: 6, noise: 0.2 });
    expect(Buffer.from(a.inputs.data.buffer).equals(Buffer.from(b.inputs.data.buffer))).toBe(true);
    expect(Buffer.from(a.targets.data.buffer).equals(Buffer.from(b.targets.data.buffer))).toBe(true);
    expect(Buffer.from(a.inputs.data.buffer).equals(Buffer.from(c.inputs.data.buffer))).toBe(false);
  });

  it('refuses bad options naming the option', () => {
    expect(error(() => make({ points: 0 })).message).toMatch(/points must be an integer/);
    expect(error(() => make({ points: 2.5 })).code).toBe('E_OPTION');
    expect(error(() => make({ noise: -1 })).message).toMatch(/noise must be/);
    expect(error(() => make({ noise: NaN })).code).toBe('E_OPTION');
    expect(error(() => make({ dtype: 'int8' as 'float32' })).message).toMatch(/dtype "int8"/);
  });
});

describe('playground geometry', () => {
  it('circle: class 1 in the disc of radius 2.5, class 0 in the ring 3.5..5, half each', () => {
    const ds = circle({ points: 400, seed: 1 });
    const t = column(ds, 0, 'targets');
    t.forEach((label, i) => {
      const r = Math.hypot(ds.inputs.get(i, 0), ds.inputs.get(i, 1));
      if (label === 1) expect(r).toBeLessThan(2.5 + 1e-6);
      else expect(r).toBeGreaterThan(3.5 - 1e-6);
      expect(r).toBeLessThanOrEqual(5 + 1e-6);
    });
    expect(t.filter((v) => v === 1)).toHaveLength(200);
  });

  it('circle: noise moves the label decision, so some ring points are labelled inside', () => {
    const ds = circle({ points: 400, noise: 0.5, seed: 1 });
    const t = column(ds, 0, 'targets');
    const wrong = t.filter((label, i) => {
      const r = Math.hypot(ds.inputs.get(i, 0), ds.inputs.get(i, 1));
      return r < 2.5 !== (label === 1);
    });
    expect(wrong.length).toBeGreaterThan(20);
  });

  it('spiral: without noise, every point lies on its arm r = 5 k/n at angle 1.75 * 2 pi k/n (+ pi)', () => {
    const ds = spiral({ points: 200, seed: 2 });
    for (let i = 0; i < 200; i++) {
      const x = ds.inputs.get(i, 0);
      const y = ds.inputs.get(i, 1);
      const r = Math.hypot(x, y);
      expect(r).toBeLessThan(5);
      if (r < 1e-3) continue;
      const turn = (r / 5) * 1.75 * 2 * Math.PI + (ds.targets.get(i) === 1 ? 0 : Math.PI);
      expect(Math.abs(x - r * Math.sin(turn)) + Math.abs(y - r * Math.cos(turn))).toBeLessThan(1e-4);
    }
    expect(column(ds, 0, 'targets').reduce((s, v) => s + v, 0)).toBe(100);
  });

  it('gauss: blobs around (2, 2) and (-2, -2) with variance 0.5 + 7 noise', () => {
    const ds = gauss({ points: 4000, noise: 0.25, seed: 3 });
    const t = column(ds, 0, 'targets');
    for (const [label, centre] of [
      [1, 2],
      [0, -2],
    ] as const) {
      const xs = column(ds, 0).filter((_, i) => t[i] === label);
      const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
      const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length;
      expect(xs).toHaveLength(2000);
      expect(Math.abs(mean - centre)).toBeLessThan(0.15); // 4.5 standard errors
      expect(variance / 2.25).toBeGreaterThan(0.9);
      expect(variance / 2.25).toBeLessThan(1.1);
    }
  });

  it('plane: regression target (x1 + x2) / 10 without noise, points in [-6, 6]^2', () => {
    const ds = plane({ points: 300, seed: 4, dtype: 'float64' });
    expect(ds.task).toBe('regression');
    expect(ds.classNames).toBeUndefined();
    for (let i = 0; i < 300; i++) {
      const [x, y] = [ds.inputs.get(i, 0), ds.inputs.get(i, 1)];
      expect(Math.max(Math.abs(x), Math.abs(y))).toBeLessThanOrEqual(6);
      expect(ds.targets.get(i)).toBeCloseTo((x + y) / 10, 12);
    }
    const noisy = plane({ points: 300, seed: 4, noise: 0.3, dtype: 'float64' });
    expect(noisy.targets.get(0)).not.toBeCloseTo((noisy.inputs.get(0, 0) + noisy.inputs.get(0, 1)) / 10, 6);
  });

  it('interleaves the classes (rows are shuffled with the seed)', () => {
    const t = column(circle({ points: 100 }), 0, 'targets');
    expect(t.slice(0, 50).some((v) => v === 0) && t.slice(0, 50).some((v) => v === 1)).toBe(true);
  });
});

describe('iris', () => {
  it("is Fisher's 150 flowers, 50 per class, one-hot, in the published order", () => {
    const ds = iris();
    expect(ds.inputs.shape).toEqual([150, 4]);
    expect(ds.targets.shape).toEqual([150, 3]);
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    const counts = [0, 1, 2].map((k) => column(ds, k, 'targets').reduce((s, v) => s + v, 0));
    expect(counts).toEqual([50, 50, 50]);
    for (let i = 0; i < 150; i++) expect(ds.targets.get(i, Math.floor(i / 50))).toBe(1);
    expect(Array.from(ds.inputs.clone('float64').data.subarray(0, 4))).toEqual(
      [5.1, 3.5, 1.4, 0.2].map(Math.fround),
    );
  });

  it("matches R's summary of datasets::iris (column means), so the two UCI errata are corrected", () => {
    const ds = iris({ dtype: 'float64' });
    const means = [0, 1, 2, 3].map((j) => column(ds, j).reduce((s, v) => s + v, 0) / 150);
    expect(means[0]).toBeCloseTo(5.843333, 5);
    expect(means[1]).toBeCloseTo(3.057333, 5);
    expect(means[2]).toBeCloseTo(3.758, 5);
    expect(means[3]).toBeCloseTo(1.199333, 5);
    expect([34, 37].map((i) => [0, 1, 2, 3].map((j) => ds.inputs.get(i, j)))).toEqual([
      [4.9, 3.1, 1.5, 0.2],
      [4.9, 3.6, 1.4, 0.1],
    ]);
  });
});

describe('loadDataset and createDataset', () => {
  it('build every small set by name with the options', async () => {
    for (const name of datasetNames.filter((n) => n !== 'mnist')) {
      const ds = await loadDataset(name, { points: 50, noise: 0.1, seed: 9, dtype: 'float64' });
      expect(ds.name).toBe(name);
      expect(ds.inputs.dtype).toBe('float64');
      expect(createDataset(name, { points: 50, noise: 0.1, seed: 9, dtype: 'float64' }).inputs.data).toEqual(
        ds.inputs.data,
      );
    }
    expect((await loadDataset('spiral', { points: 50 })).inputs.rows).toBe(50);
  });

  it('refuse an unknown name, naming the known ones', async () => {
    await expect(loadDataset('moons')).rejects.toThrow(
      "Unknown dataset 'moons'; the built-in datasets are xor, circle, spiral, gauss, plane, iris, mnist.",
    );
    expect(error(() => createDataset('toString')).code).toBe('E_UNKNOWN');
    expect(error(() => createDataset('mnist')).message).toMatch(/loadDataset\('mnist'\)/);
  });

  it('uses a seed like Random does (any integer)', () => {
    expect(() => circle({ seed: new Random(1).nextUint32() })).not.toThrow();
  });
});
