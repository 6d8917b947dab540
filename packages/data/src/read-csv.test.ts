import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeltaflowError } from '@deltaflow/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import type { CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';
import { readCsv, readCsvColumns, readCsvStream } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(read: () => Promise<unknown>): Promise<DeltaflowError> {
  try {
    await read();
  } catch (error) {
    if (error instanceof DeltaflowError) return error;
    throw error;
  }
  throw new Error('expected the read to fail');
}

const doors: [string, (path: string, options?: CsvOptions) => Promise<Dataset>][] = [
  ['readCsv', async (path, options) => readCsv(path, options)],
  ['readCsvStream of a path', (path, options) => readCsvStream(path, options)],
  [
    'readCsvStream of a Readable in chunks of 999 bytes',
    (path, options) =>
      readCsvStream(createReadStream(path, { highWaterMark: 999 }), { file: path, ...options }),
  ],
];

describe.each(doors)('%s (Node)', (door, read) => {
  if (!door.includes('Readable')) {
    it('refuses a missing file or a directory, naming it', async () => {
      const path = join(dir, 'missing.csv');
      const error = await refusal(() => read(path));
      expect(error.code).toBe('E_READ');
      expect(error.message).toBe(`Cannot read CSV file ${path}: there is no such file; check the path.`);
      expect((await refusal(() => read(dir))).message).toBe(
        `Cannot read CSV file ${dir}: it is a directory; check the path.`,
      );
    });
  }

  it('reads a file, naming it in messages and in the dataset', async () => {
    const path = join(dir, `flowers-${door.length}.csv`);
    writeFileSync(path, 'petal,kind\n1.5,rose\n0.5,tulip\n');
    const ds = await read(path, { dtype: 'float64' });
    expect(ds.name).toBe(`flowers-${door.length}`);
    expect(ds.classNames).toEqual(['rose', 'tulip']);
    writeFileSync(path, 'petal,width,kind\n1.5,x,rose\n');
    await expect(read(path)).rejects.toThrow(`${path}, line 2, column 'width': the cell 'x' is not a number`);
  });

  it('reads a file larger than a chunk, with Latin-1 when asked', async () => {
    const path = join(dir, `big-${door.length}.csv`);
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `${i},${(i * 0.25).toFixed(2)},caf${i % 2 ? '\xe9' : '\xe8'}`,
    );
    writeFileSync(path, Buffer.from(`i,x,drink\n${rows.join('\n')}\n`, 'latin1'));
    const ds = await read(path, { encoding: 'latin1', features: ['x'] });
    expect(ds.inputs.rows).toBe(40_000);
    expect(ds.inputs.get(39_999, 0)).toBe(9999.75);
    expect(ds.classNames).toEqual(['caf\xe8', 'caf\xe9']);
    expect((await refusal(() => read(path))).message).toMatch(
      /, line 2: the byte 0xE8 at byte offset 20 is not valid UTF-8 here;/,
    );
  });
});

describe('readCsvColumns and readCsvStream of other streams', () => {
  it('reads the header row only', () => {
    const path = join(dir, 'header.csv');
    writeFileSync(path, `\n "a", b ,c\r\n1,2,x\n${'9,9,9\n'.repeat(200_000)}not read at all\n`);
    expect(readCsvColumns(path)).toEqual(['a', 'b', 'c']);
    writeFileSync(path, 'only,a,header');
    expect(readCsvColumns(path)).toEqual(['only', 'a', 'header']);
    writeFileSync(path, '\n\n');
    expect(() => readCsvColumns(path)).toThrow(`${path} is empty;`);
    expect(() => readCsvColumns(join(dir, 'nope.csv'))).toThrow(/there is no such file/);
  });

  it('reads a Readable of text chunks', async () => {
    const ds = await readCsvStream(Readable.from(['x,', 'y\n1', ',2\n']), { dtype: 'float64' });
    expect(ds.inputs.toNested()).toEqual([[1]]);
  });
});
