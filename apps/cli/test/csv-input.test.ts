// Issue 17's CSV gaps, through the command as a user meets them: numbers past the float32 range, encodings
// (strict UTF-8, UTF-16 refused, --encoding latin1), lone-CR line ends, and arrays sized by the rows actually read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRoot, readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

const dir = tempDir('deltaflow-csv-input-');
const bytes = (name: string, ...parts: (string | readonly number[])[]): void =>
  writeFileSync(
    join(dir, name),
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))),
  );

describe('numbers past the float32 range', () => {
  it('1e39 is refused as float32 data, naming the cell and the limit and suggesting --dtype float64', async () => {
    writeFiles(dir, { 'big.csv': 'x,y\n1,0\n1e39,1\n2,0\n3,1\n' });
    const refused = await runCli(['train', '--data', 'big.csv', '--epochs', '2', '--save', 'big.json'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "deltaflow: big.csv, line 3, column 'x': the cell '1e39' is out of range for float32 data, whose largest number is about 3.4e38; read the data as float64 (dtype 'float64', --dtype float64 in the CLI) or rescale the column.\n",
    );
    const float64 = await runCli(
      [
        'train',
        '--data',
        'big.csv',
        '--epochs',
        '2',
        '--dtype',
        'float64',
        '--normalize',
        '--save',
        'big.json',
      ],
      dir,
    );
    expect(float64.code).toBe(0);
    expect(readJson<ModelFile>(dir, 'big.json').meta).toMatchObject({ task: 'classification' });
  });

  it('1e400 is out of range even for float64 (not infinite, not null)', async () => {
    writeFiles(dir, { 'huge.csv': 'x,y\n1,0\n-1e400,1\n' });
    const { code, stderr } = await runCli(['train', '--data', 'huge.csv', '--dtype', 'float64'], dir);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "deltaflow: huge.csv, line 3, column 'x': the cell '-1e400' is out of range: past the largest float64 number, about 1.8e308; use a smaller number (rescale the column) or remove the row.\n",
    );
  });
});

describe('encodings', () => {
  // Latin-1 bytes: 0xE9 é, 0xE8 è
  const latin1 = [
    'x,drink\n0.1,caf',
    [0xe9],
    '\n0.9,caf',
    [0xe8],
    '\n0.2,caf',
    [0xe9],
    '\n0.8,caf',
    [0xe8],
    '\n',
  ] as const;

  it('Latin-1 bytes are refused as UTF-8, naming the line and the byte offset', async () => {
    bytes('latin1.csv', ...latin1);
    const { code, stderr } = await runCli(['train', '--data', 'latin1.csv', '--epochs', '1'], dir);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "deltaflow: latin1.csv, line 2: the byte 0xE9 at byte offset 15 is not valid UTF-8 here; save the file as UTF-8, or read it as Latin-1 (encoding 'latin1', --encoding latin1 in the CLI).\n",
    );
  });

  it('--encoding latin1 reads them: café and cafè stay two classes', async () => {
    bytes('latin1.csv', ...latin1);
    const { code } = await runCli(
      ['train', '--data', 'latin1.csv', '--encoding', 'latin1', '--epochs', '1', '--save', 'drinks.json'],
      dir,
    );
    expect(code).toBe(0);
    expect(readJson<ModelFile>(dir, 'drinks.json').meta).toMatchObject({
      classNames: ['caf\u00e8', 'caf\u00e9'],
    });
    const bad = await runCli(['train', '--data', 'latin1.csv', '--encoding', 'cp1252'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("deltaflow: --encoding must be utf-8 or latin1, got 'cp1252'.\n");
    for (const command of ['predict', 'evaluate']) {
      const args = [command, '--model', 'drinks.json', '--data', 'latin1.csv', '--json'];
      expect((await runCli(args, dir)).stderr).toMatch(
        /latin1\.csv, line 2: the byte 0xE9 .* not valid UTF-8/,
      );
      expect((await runCli([...args, '--encoding', 'latin1'], dir)).code).toBe(0);
    }
  });

  it('a UTF-16 file is refused at once with what to do', async () => {
    const text = 'x,y\n1,0\n2,1\n';
    bytes('utf16.csv', [0xff, 0xfe, ...Array.from(text).flatMap((c) => [c.charCodeAt(0), 0])]);
    const { code, stderr } = await runCli(['train', '--data', 'utf16.csv'], dir);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'deltaflow: utf16.csv is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 (in a spreadsheet: CSV UTF-8) and read it again.\n',
    );
  });
});

describe('line ends and sizes', () => {
  it('lone-CR line ends (old Mac files) are read as line ends', async () => {
    writeFiles(dir, { 'mac.csv': 'x,kind\r0.1,a\r0.9,b\r0.2,a\r0.8,b\r' });
    const { code } = await runCli(['train', '--data', 'mac.csv', '--epochs', '1', '--save', 'mac.json'], dir);
    expect(code).toBe(0);
    expect(readJson<ModelFile>(dir, 'mac.json').meta).toMatchObject({ classNames: ['a', 'b'] });
  });

  it('a 1 MiB file of 5000 columns, one row and a million blank lines: arrays sized by the one row', async () => {
    const header = Array.from({ length: 5000 }, (_, j) => `c${j}`).join(',');
    const row = Array.from({ length: 5000 }, (_, j) => j % 2).join(',');
    writeFiles(dir, { 'wide.csv': `${header}\n${row}\n${'\n'.repeat(1_000_000)}` });
    const { code, stderr } = await runCli(['train', '--data', 'wide.csv', '--epochs', '1', '--json'], dir);
    expect(stderr).not.toMatch(/Invalid typed array length|unexpected error/);
    expect(code).toBe(0);
  });
});

describe('Arrow input', () => {
  it('--data a .arrow file written by pyarrow (fixtures/make-arrow-training-fixture.py: LZ4, 3 record batches, a dictionary label) trains', async () => {
    const fixture = join(cliRoot, '..', '..', 'packages', 'data', 'fixtures', 'pyarrow-moons.arrow');
    const { code, stdout, stderr } = await runCli(
      [
        'train',
        '--data',
        fixture,
        '--target',
        'moon',
        '--layers',
        '16',
        '--activation',
        'tanh',
        '--loss',
        'cross-entropy',
        '--optimizer',
        'adam',
        '--lr',
        '0.05',
        '--epochs',
        '150',
        '--normalize',
        '--save',
        'moons.json',
        '--json',
      ],
      dir,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      metrics: { accuracy: number };
      loss: number;
    };
    expect(summary.metrics.accuracy).toBeGreaterThan(0.9);
    expect(readJson<ModelFile>(dir, 'moons.json').meta).toMatchObject({
      classNames: ['inner', 'outer'],
      featureNames: ['x1', 'x2', 'band'],
    });
  });

  it('--data file.arrow (written by apache-arrow) trains, and predict reads it', async () => {
    const { tableFromArrays, tableToIPC } = await import('apache-arrow');
    const n = 200;
    const x1 = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
    const x2 = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.7) * 2);
    const label = Array.from({ length: n }, (_, i) => (x1[i]! + x2[i]! > 0 ? 'up' : 'down'));
    writeFileSync(join(dir, 'points.arrow'), tableToIPC(tableFromArrays({ x1, x2, label }), 'file'));
    const { code, stdout, stderr } = await runCli(
      [
        'train',
        '--data',
        'points.arrow',
        '--epochs',
        '40',
        '--optimizer',
        'adam',
        '--lr',
        '0.05',
        '--save',
        'points.json',
        '--json',
      ],
      dir,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { metrics: { accuracy: number } };
    expect(summary.metrics.accuracy).toBeGreaterThan(0.8);
    expect(readJson<ModelFile>(dir, 'points.json').meta).toMatchObject({
      classNames: ['down', 'up'],
      featureNames: ['x1', 'x2'],
    });
    const predicted = await runCli(
      ['evaluate', '--model', 'points.json', '--data', 'points.arrow', '--json'],
      dir,
    );
    expect(predicted.code).toBe(0);
  });
});
