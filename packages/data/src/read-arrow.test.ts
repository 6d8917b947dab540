import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC, vectorFromArray, Table, Utf8, Float64 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { readArrow, readArrowColumns } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, table: Table): string {
  const path = join(dir, name);
  writeFileSync(path, tableToIPC(table, 'file'));
  return path;
}

describe('readArrow (Node)', () => {
  it('reads numeric columns and a text label column as parseCsv reads the same CSV', async () => {
    const path = write(
      'flowers.arrow',
      tableFromArrays({
        petal: Float64Array.from([1.5, 0.5, 2.25]),
        count: Int32Array.from([3, 4, 5]),
        kind: ['rose', 'tulip', 'rose'],
      }),
    );
    expect(await readArrowColumns(path)).toEqual(['petal', 'count', 'kind']);
    const ds = await readArrow(path, { dtype: 'float64' });
    const csv = parseCsv('petal,count,kind\n1.5,3,rose\n0.5,4,tulip\n2.25,5,rose\n', {
      dtype: 'float64',
      file: path,
    });
    expect(ds.name).toBe('flowers');
    expect(ds.featureNames).toEqual(csv.featureNames);
    expect(ds.classNames).toEqual(csv.classNames);
    expect(ds.inputs.toNested()).toEqual(csv.inputs.toNested());
    expect(ds.targets.toNested()).toEqual(csv.targets.toNested());
    const regression = await readArrow(path, { target: 'petal', features: ['count'] });
    expect(regression.task).toBe('regression');
    expect(regression.targets.toNested()).toEqual([[1.5], [0.5], [2.25]]);
  });

  it('refuses nulls, text features, values past float32 and files that are not Arrow, naming the place', async () => {
    const nulls = write(
      'nulls.arrow',
      new Table({
        x: vectorFromArray([1, null, 3], new Float64()),
        y: vectorFromArray([0, 1, 0], new Float64()),
      }),
    );
    await expect(readArrow(nulls, { file: 'nulls.arrow' })).rejects.toThrow(
      "nulls.arrow, row 2, column 'x': the value is missing (null); fill in a number or remove the row.",
    );
    const text = write(
      'text.arrow',
      new Table({ x: vectorFromArray(['a'], new Utf8()), y: vectorFromArray([1], new Float64()) }),
    );
    await expect(readArrow(text, { file: 'text.arrow' })).rejects.toThrow(
      "text.arrow, column 'x' holds Utf8, not numbers;",
    );
    const big = write(
      'big.arrow',
      tableFromArrays({ x: Float64Array.from([1, 1e39]), y: Float64Array.from([0, 1]) }),
    );
    await expect(readArrow(big, { file: 'big.arrow' })).rejects.toThrow(
      "big.arrow, row 2, column 'x': the value 1e+39 is out of range for float32 data",
    );
    expect((await readArrow(big, { dtype: 'float64' })).inputs.get(1, 0)).toBe(1e39);
    const notArrow = join(dir, 'not.arrow');
    writeFileSync(notArrow, 'x,y\n1,2\n');
    await expect(readArrow(notArrow, { file: 'not.arrow' })).rejects.toThrow(
      /^not\.arrow is not an Arrow IPC/,
    );
    await expect(readArrow(join(dir, 'missing.arrow'))).rejects.toThrow(
      /there is no such file; check the path\.$/,
    );
  });
});

describe('readArrow of files written by pyarrow (fixtures/make-arrow-fixtures.py)', () => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures');

  it('reads float64, float32, int64 and dictionary columns, uncompressed, LZ4 or Zstandard alike', async () => {
    const plain = await readArrow(join(fixtures, 'pyarrow-wine.feather'), { dtype: 'float64' });
    expect(plain.name).toBe('pyarrow-wine');
    expect(plain.featureNames).toEqual(['alcohol', 'hue', 'rings']);
    expect(plain.classNames).toEqual(['barbera', 'barolo', 'grignolino']);
    expect(plain.inputs.shape).toEqual([30, 3]);
    // row 1 (i = 1): alcohol 13 + 0.1 sin 1, hue (float32) 0.8 + 0.05 cos 1, rings 3 + 2 + 1; kind grignolino
    expect(plain.inputs.get(1, 0)).toBe(Math.round((13 + 0.1 * Math.sin(1)) * 1e4) / 1e4);
    expect(plain.inputs.get(1, 1)).toBe(Math.fround(Math.round((0.8 + 0.05 * Math.cos(1)) * 1e3) / 1e3));
    expect(plain.inputs.get(1, 2)).toBe(6);
    expect(Array.from(plain.targets.data.subarray(3, 6))).toEqual([0, 0, 1]);
    for (const compressed of ['pyarrow-wine-lz4.feather', 'pyarrow-wine-zstd.feather']) {
      const ds = await readArrow(join(fixtures, compressed), { dtype: 'float64' });
      expect(Array.from(ds.inputs.data)).toEqual(Array.from(plain.inputs.data));
      expect(Array.from(ds.targets.data)).toEqual(Array.from(plain.targets.data));
    }
  });
});
