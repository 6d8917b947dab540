import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeltaflowError } from '@deltaflow/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_GROUP_ROWS, CsvCache, openCsvCache } from './csv-cache.js';
import { readCsv } from './read-csv.js';
import { Scaler } from './scaler.js';

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A seeded CSV of `rows` rows: three features and a 0/1 target (or a text label). */
function makeCsv(name: string, rows: number, labels = false): string {
  let s = 7;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const lines = [labels ? 'a,b,c,kind' : 'a,b,c,y'];
  for (let i = 0; i < rows; i++) {
    const [a, b, c] = [next() * 10 - 5, next() * 3, next() - 0.5].map((v) => v.toFixed(3));
    const label = labels ? ['cat', 'dog', 'ant'][i % 3] : next() < 0.5 ? '0' : '1';
    lines.push(`${a},${b},"${c}",${label}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

async function collect(
  source: AsyncIterable<{
    inputs: { data: ArrayLike<number>; rows: number };
    targets: { data: ArrayLike<number> };
  }>,
): Promise<{ inputs: number[]; targets: number[]; sizes: number[] }> {
  const out = { inputs: [] as number[], targets: [] as number[], sizes: [] as number[] };
  for await (const batch of source) {
    out.inputs.push(...Array.from(batch.inputs.data));
    out.targets.push(...Array.from(batch.targets.data));
    out.sizes.push(batch.inputs.rows);
  }
  return out;
}

const rowsOf = (flat: number[], width: number): string[] =>
  Array.from({ length: flat.length / width }, (_, i) => flat.slice(i * width, (i + 1) * width).join(','));

describe('openCsvCache', { timeout: 60_000 }, () => {
  const rows = 2 * CACHE_GROUP_ROWS + 1000; // three row groups, the last one short
  const csv = makeCsv('big.csv', rows);

  it('streams the CSV into a cache beside it once, and reads back exactly the rows of readCsv, in file order without shuffling', async () => {
    const cache = openCsvCache(csv);
    expect(cache.built).toBe(true);
    expect(existsSync(`${csv}.dfcache`)).toBe(true);
    expect([cache.rows, cache.features, cache.outputs, cache.task]).toEqual([rows, 3, 1, 'classification']);
    expect(cache.classNames).toEqual(['0', '1']);
    const ds = readCsv(csv);
    const read = await collect(
      cache.source('train', { shuffle: false }).batches({ epoch: 0, batchSize: 1000 }),
    );
    expect(read.inputs).toEqual(Array.from(ds.inputs.data));
    expect(read.targets).toEqual(Array.from(ds.targets.data));
    expect(read.sizes.at(-1)).toBe(rows % 1000 || 1000);
    cache.close();
    const again = openCsvCache(csv);
    expect(again.built).toBe(false);
    again.close();
  });

  it('shuffles with the seed: every row once per epoch, the same order for the same seed and epoch, another for the next epoch', async () => {
    const cache = openCsvCache(csv);
    const source = cache.source('train', { seed: 3, window: 2 });
    const first = await collect(source.batches({ epoch: 0, batchSize: 256 }));
    const same = await collect(
      cache.source('train', { seed: 3, window: 2 }).batches({ epoch: 0, batchSize: 256 }),
    );
    const next = await collect(source.batches({ epoch: 1, batchSize: 256 }));
    expect(same.inputs).toEqual(first.inputs);
    expect(next.inputs).not.toEqual(first.inputs);
    const inFile = await collect(
      cache.source('train', { shuffle: false }).batches({ epoch: 0, batchSize: 256 }),
    );
    const rowsWithTarget = (r: { inputs: number[]; targets: number[] }) =>
      rowsOf(r.inputs, 3).map((row, i) => `${row};${r.targets[i]}`);
    expect(rowsWithTarget(first).sort()).toEqual(rowsWithTarget(inFile).sort());
    expect(rowsWithTarget(first)).not.toEqual(rowsWithTarget(inFile));
    cache.close();
  });

  it('splits the rows seeded into parts that together hold every row once, and fits the scaler of Scaler.fit in one pass', async () => {
    const cache = openCsvCache(csv);
    const counts = cache.split({ validation: 0.2, test: 0.1, seed: 5 });
    expect(counts.train + counts.validation + counts.test).toBe(rows);
    expect(counts.test / rows).toBeCloseTo(0.1, 1);
    expect(counts.validation / (rows - counts.test)).toBeCloseTo(0.2, 1);
    const parts = await Promise.all(
      (['train', 'validation', 'test'] as const).map((part) =>
        collect(cache.source(part, { shuffle: false }).batches({ epoch: 0, batchSize: 999 })),
      ),
    );
    expect(parts.map((p) => p.inputs.length / 3)).toEqual([counts.train, counts.validation, counts.test]);
    const all = parts.flatMap((p) => rowsOf(p.inputs, 3)).sort();
    expect(all).toEqual(rowsOf(Array.from(readCsv(csv).inputs.data), 3).sort());
    const trainInputs = await collect(
      cache.source('train', { shuffle: false }).batches({ epoch: 0, batchSize: 999 }),
    );
    const { Tensor } = await import('@deltaflow/tensor');
    const reference = Scaler.fit(
      'standard',
      new Tensor<2>(Float32Array.from(trainInputs.inputs), [counts.train, 3]),
    );
    const streamed = cache.fitScaler('standard', 'train').toJSON();
    reference.toJSON().offset.forEach((v, j) => expect(streamed.offset[j]).toBeCloseTo(v, 9));
    reference.toJSON().scale.forEach((v, j) => expect(streamed.scale[j]).toBeCloseTo(v, 9));
    const minMax = cache.fitScaler('min-max', 'train').toJSON();
    expect(minMax.offset).toEqual(
      Scaler.fit('min-max', new Tensor<2>(Float32Array.from(trainInputs.inputs), [counts.train, 3])).toJSON()
        .offset,
    );
    cache.close();
  });

  it('rebuilds the cache when the CSV changes (size or modification time)', () => {
    const path = makeCsv('changing.csv', 50);
    openCsvCache(path).close();
    writeFileSync(path, 'a,b,c,y\n1,2,3,0\n4,5,6,1\n');
    const cache = openCsvCache(path);
    expect([cache.built, cache.rows]).toEqual([true, 2]);
    cache.close();
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const touched = openCsvCache(path);
    expect(touched.built).toBe(true);
    touched.close();
    const other = openCsvCache(path, { dtype: 'float64' });
    expect([other.built, other.dtype]).toEqual([true, 'float64']);
    other.close();
  });

  it('stores text labels as class ids and gives one-hot targets in sorted class order, as readCsv does', async () => {
    const path = makeCsv('labels.csv', 100, true);
    const cache = openCsvCache(path);
    const ds = readCsv(path);
    expect(cache.classNames).toEqual(ds.classNames);
    expect(cache.targetNames).toEqual(ds.targetNames);
    const read = await collect(
      cache.source('train', { shuffle: false }).batches({ epoch: 0, batchSize: 32 }),
    );
    expect(read.targets).toEqual(Array.from(ds.targets.data));
    cache.close();
  });

  it('refuses a CSV error as readCsv does, leaving no cache and no temporary file behind', () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'a,b,y\n1,2,0\n3,x,1\n');
    expect(() => openCsvCache(path)).toThrow(/bad\.csv, line 3, column 'b'/);
    expect(readdirSync(dir).filter((f) => f.startsWith('bad.csv.'))).toEqual([]);
  });

  it('says in one sentence when the cache cannot be written', () => {
    const locked = join(dir, 'locked');
    rmSync(locked, { recursive: true, force: true });
    const path = makeCsv('small.csv', 10);
    const error = (() => {
      try {
        openCsvCache(path, { cachePath: join(locked, 'no-such-dir', 'small.dfcache') });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_WRITE');
    expect((error as Error).message).toMatch(
      /^Cannot write the out-of-core cache .*small\.dfcache \(ENOENT\); make its directory writable or give another cache path\.$/,
    );
  });

  it('refuses a file that is not a cache', () => {
    const path = join(dir, 'not-a-cache');
    writeFileSync(path, 'hello');
    expect(() => CsvCache.open(path)).toThrow(/is not a deltaflow cache of version 1/);
  });
});
