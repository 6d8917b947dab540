import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeltaflowError } from '@deltaflow/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCsv (Node)', () => {
  it('refuses a missing file, naming it', () => {
    const path = join(dir, 'missing.csv');
    let error: unknown;
    try {
      readCsv(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_READ');
    expect((error as DeltaflowError).message).toBe(
      `Cannot read CSV file ${path}: there is no such file; check the path.`,
    );
  });

  it('reads a file, naming it in messages and in the dataset', () => {
    const path = join(dir, 'flowers.csv');
    writeFileSync(path, 'petal,kind\n1.5,rose\n0.5,tulip\n');
    const ds = readCsv(path, { dtype: 'float64' });
    expect(ds.name).toBe('flowers');
    expect(ds.classNames).toEqual(['rose', 'tulip']);
    writeFileSync(path, 'petal,width,kind\n1.5,x,rose\n');
    expect(() => readCsv(path)).toThrow(`${path}, line 2, column 'width': the cell 'x' is not a number`);
  });
});
