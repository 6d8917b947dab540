// Output files and sizes, through the built CLI: --save and --events may not name the same file (however it is
// spelt) or the --data file; outputs are written atomically through symbolic links, keeping permissions; absurd
// layer sizes are refused before anything is allocated; --port takes integers only.
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import type { ModelFile } from './helpers.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('--save and --events naming the same file', () => {
  // --save, --events, and how the message names them
  it.each([
    ['x.json', 'x.json', 'x.json'],
    ['x.json', './x.json', 'x.json and ./x.json'],
    ['sub/../x.json', 'x.json', 'sub/../x.json and x.json'],
    ['x.json', 'link.json', 'x.json and link.json'],
    ['link.json', 'x.json', 'link.json and x.json'],
    ['x.json', 'hard.json', 'x.json and hard.json'],
  ])('--save %s --events %s is refused before training, exit 2', async (save, events, named) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'x.json'), 'keep me\n');
    symlinkSync('x.json', join(dir, 'link.json'));
    linkSync(join(dir, 'x.json'), join(dir, 'hard.json'));
    const result = await runCli(['train', '--save', save, '--events', events], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `deltaflow: --save and --events name the same file (${named}); give each its own path.\n`,
    );
    expect(readFileSync(join(dir, 'x.json'), 'utf8')).toBe('keep me\n');
  });

  it('also when the file does not exist yet, and through a dangling link', async () => {
    const dir = tempDir();
    symlinkSync('new.json', join(dir, 'dangling.json'));
    const result = await runCli(['train', '--save', 'new.json', '--events', 'dangling.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'deltaflow: --save and --events name the same file (new.json and dangling.json); give each its own path.\n',
    );
    expect(existsSync(join(dir, 'new.json'))).toBe(false);
  });

  it('refuses an output that is the --data file', async () => {
    const dir = tempDir();
    const csv = 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n';
    writeFileSync(join(dir, 'train.csv'), csv);
    const result = await runCli(['train', '--data', 'train.csv', '--events', './train.csv'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'deltaflow: --events ./train.csv is the --data file, which it would overwrite; give --events another path.\n',
    );
    expect(readFileSync(join(dir, 'train.csv'), 'utf8')).toBe(csv);
  });
});

describe('outputs are replaced atomically, through links, keeping permissions', () => {
  it('a --save link stays a link to the replaced file, 0600 stays 0600, no temporary file is left', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'models', 'xor.json'), 'old\n');
    chmodSync(join(dir, 'models', 'xor.json'), 0o600);
    writeFileSync(join(dir, 'run.jsonl'), 'old\n');
    chmodSync(join(dir, 'run.jsonl'), 0o600);
    symlinkSync(join('models', 'xor.json'), join(dir, 'latest.json'));
    const result = await runCli(
      ['train', '--epochs', '5', '--quiet', '--save', 'latest.json', '--events', 'run.jsonl'],
      dir,
    );
    expect(result.code).toBe(0);
    expect(lstatSync(join(dir, 'latest.json')).isSymbolicLink()).toBe(true);
    const saved = JSON.parse(readFileSync(join(dir, 'models', 'xor.json'), 'utf8')) as ModelFile;
    expect(saved.format).toBe('deltaflow-model');
    expect(mode(join(dir, 'models', 'xor.json'))).toBe(0o600);
    expect(mode(join(dir, 'run.jsonl'))).toBe(0o600);
    const lines = readFileSync(join(dir, 'run.jsonl'), 'utf8').trimEnd().split('\n');
    expect((JSON.parse(lines.at(-1)!) as { type: string }).type).toBe('end');
    expect(
      [...readdirSync(dir), ...readdirSync(join(dir, 'models'))].filter((n) => n.endsWith('.tmp')),
    ).toEqual([]);
  });
});

describe('absurd sizes are refused before anything is allocated (exit 2)', () => {
  it.each([
    [
      ['--layers', '100000,100000'],
      'deltaflow: --layers 100000,100000 is too large: a 100000×100000 weight matrix has 10,000,000,000 values, more than the 4,294,967,296 of the largest array JavaScript can make; use smaller layers.\n',
    ],
    [
      // 40000,40000 in float64 needs 51.2 GB, more than this machine's memory (float32: 25.6 GB)
      ['--layers', '40000,40000', '--dtype', 'float64'],
      /^deltaflow: --layers 40000,40000 needs 51\.2 GB \(1,600,360,003 parameters × 8 bytes \(float64\) × 4 copies: weights, gradients, optimizer state\), more than the \d+\.\d [GM]B of memory available; use smaller layers\.\n$/,
    ],
  ])('train --data iris %j', async (args, message) => {
    const dir = tempDir();
    const started = Date.now();
    const result = await runCli(['train', '--data', 'iris', ...args], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    if (typeof message === 'string') expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('accepts a large model that fits: --layers 2000,2000 trains and saves', async () => {
    const dir = tempDir();
    const result = await runCli(
      ['train', '--data', 'iris', '--layers', '2000,2000', '--epochs', '1', '--quiet', '--save', 'big.json'],
      dir,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'big.json'), 'utf8')) as ModelFile;
    expect(saved.layers.map((l) => [l.inputs, l.units])).toEqual([
      [4, 2000],
      [2000, 2000],
      [2000, 3],
    ]);
  });
});

describe('ports', () => {
  it.each([
    [['dashboard', '--port', 'abc'], "deltaflow: --port must be an integer from 0 to 65535, got 'abc'.\n"],
    [
      ['dashboard', '--port', '70000'],
      "deltaflow: --port must be an integer from 0 to 65535, got '70000'.\n",
    ],
    [['dashboard', '--port', '1.5'], "deltaflow: --port must be an integer from 0 to 65535, got '1.5'.\n"],
    [
      ['train', '--dashboard', 'abc'],
      "deltaflow: --dashboard must be an integer from 0 to 65535, got 'abc'.\n",
    ],
  ])('%j', async (args, message) => {
    const result = await runCli(args, tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(message);
  });
});
