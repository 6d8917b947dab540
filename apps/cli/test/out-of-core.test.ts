// `train --memory-budget MB`: a CSV file larger than the budget trains out-of-core from its binary cache.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJson, runCli, tempDir } from './helpers.js';

const dir = tempDir('deltaflow-ooc-');

/** A seeded CSV: 4 features, a 0/1 target a model can learn (x0 + x1 - x2 > 0, with noise). */
function learnable(rows: number, seed = 1): string {
  let s = seed;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const lines = ['x0,x1,x2,x3,y'];
  for (let i = 0; i < rows; i++) {
    const x = [0, 1, 2, 3].map(() => next() * 10 - 5);
    const y = x[0]! + x[1]! - x[2]! + (next() - 0.5) > 0 ? 1 : 0;
    lines.push(`${x.map((v) => v.toFixed(3)).join(',')},${y}`);
  }
  return `${lines.join('\n')}\n`;
}

writeFileSync(join(dir, 'big.csv'), learnable(6000));

const flags = [
  '--layers',
  '8',
  '--activation',
  'relu',
  '--loss',
  'binary-cross-entropy',
  '--optimizer',
  'adam',
  '--lr',
  '0.01',
  '--batch-size',
  '64',
  '--epochs',
  '3',
  '--normalize',
  '--validation-split',
  '0.2',
  '--test-split',
  '0.1',
  '--json',
];

interface Summary {
  loss: number;
  valLoss: number;
  metrics: { accuracy: number; valAccuracy: number };
  test: { loss: number; samples: number };
}

const summaryOf = (stdout: string): Summary => JSON.parse(stdout.trim().split('\n').at(-1)!) as Summary;

const NOTICE =
  /^deltaflow: note: big\.csv does not fit the memory budget of 0\.05 MB: training out-of-core from its binary cache big\.csv\.dfcache \(built once, rebuilt when the CSV changes\), read in chunks\.$/;

describe('train --memory-budget: out-of-core training', { timeout: 180_000 }, () => {
  it('streams the CSV into a cache beside it, says so in one line, learns, and gives the same result twice (same seed)', async () => {
    const env = ['train', '--data', 'big.csv', '--memory-budget', '0.05', ...flags];
    const first = await runCli([...env, '--save', 'a.json'], dir);
    expect(first.code).toBe(0);
    expect(first.stderr.trim().split('\n')).toEqual([expect.stringMatching(NOTICE)]);
    expect(existsSync(join(dir, 'big.csv.dfcache'))).toBe(true);
    const built = statSync(join(dir, 'big.csv.dfcache')).mtimeMs;
    const a = summaryOf(first.stdout);
    expect(a.metrics.accuracy).toBeGreaterThan(0.85);
    expect(a.metrics.valAccuracy).toBeGreaterThan(0.85);
    expect(a.test.samples).toBeGreaterThan(400);
    expect(a.test.samples).toBeLessThan(800);

    const second = await runCli([...env, '--save', 'b.json'], dir);
    expect(second.code).toBe(0);
    expect(statSync(join(dir, 'big.csv.dfcache')).mtimeMs).toBe(built); // the cache was reused
    const b = summaryOf(second.stdout);
    // bit for bit: the losses and metrics of training, validation and test (not the timings)
    expect([b.loss, b.valLoss, b.metrics, b.test]).toEqual([a.loss, a.valLoss, a.metrics, a.test]);
    type Model = { layers: unknown[]; meta: { scaler: unknown; validationSplit: number } };
    const [ma, mb] = [readJson<Model>(dir, 'a.json'), readJson<Model>(dir, 'b.json')];
    expect(mb.layers).toEqual(ma.layers);
    expect(mb.meta.scaler).toEqual(ma.meta.scaler);
    expect(ma.meta.validationSplit).toBe(0.2);

    // the saved model evaluates on the CSV as one trained in memory would
    const evaluated = await runCli(['evaluate', '--model', 'a.json', '--data', 'big.csv', '--json'], dir);
    expect(evaluated.code).toBe(0);
    expect(
      (JSON.parse(evaluated.stdout) as { metrics: { accuracy: number } }).metrics.accuracy,
    ).toBeGreaterThan(0.85);
  });

  it('trains in memory when the data fits the budget, to a result close to (not equal to) the out-of-core one', async () => {
    const memory = await runCli(['train', '--data', 'big.csv', '--memory-budget', '1000', ...flags], dir);
    expect(memory.code).toBe(0);
    expect(memory.stderr).toBe('');
    const outOfCore = await runCli(['train', '--data', 'big.csv', '--memory-budget', '0.05', ...flags], dir);
    const [m, o] = [summaryOf(memory.stdout), summaryOf(outOfCore.stdout)];
    expect(Math.abs(m.metrics.valAccuracy - o.metrics.valAccuracy)).toBeLessThan(0.05);
    expect(m.loss).not.toBe(o.loss);
  });

  it('rebuilds the cache when the CSV changes', async () => {
    const sub = join(dir, 'changing');
    mkdirSync(sub);
    writeFileSync(join(sub, 'big.csv'), learnable(3000, 5));
    const args = ['train', '--data', 'big.csv', '--memory-budget', '0.05', ...flags];
    const first = summaryOf((await runCli(args, sub)).stdout);
    const size = statSync(join(sub, 'big.csv.dfcache')).size;
    writeFileSync(join(sub, 'big.csv'), learnable(4000, 5));
    const second = summaryOf((await runCli(args, sub)).stdout);
    expect(statSync(join(sub, 'big.csv.dfcache')).size).toBeGreaterThan(size);
    expect(second.test.samples).toBeGreaterThan(first.test.samples);
  });

  it('says in one sentence when the cache cannot be written beside the CSV', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'big.csv'), learnable(500));
    lock(locked);
    try {
      const { code, stderr } = await runCli(
        ['train', '--data', join(locked, 'big.csv'), '--memory-budget', '0.01', '--epochs', '1'],
        dir,
      );
      expect(code).not.toBe(0);
      const lines = stderr.trim().split('\n');
      expect(lines.at(-1)).toBe(
        `deltaflow: Cannot write the out-of-core cache ${join(locked, 'big.csv')}.dfcache beside ${join(locked, 'big.csv')}; make that directory writable, or raise --memory-budget to train in memory.`,
      );
      expect(lines).toHaveLength(2); // the notice, then the sentence
    } finally {
      unlock(locked);
    }
  });

  it('refuses options that need the data in memory, naming the budget', async () => {
    const { code, stderr } = await runCli(
      [
        'train',
        '--data',
        'big.csv',
        '--memory-budget',
        '0.05',
        '--checkpoint',
        'run.ckpt.json',
        '--epochs',
        '1',
      ],
      dir,
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(
      /--checkpoint needs the data in memory, but big\.csv is larger than the memory budget of 0\.05 MB; raise --memory-budget or leave out --checkpoint\./,
    );
  });

  it('refuses --init with a model of other classes than the file, which it cannot align out-of-core', async () => {
    const labels = (names: string[]): string =>
      [
        'x0,x1,label',
        ...Array.from({ length: 600 }, (_, i) => `${i % 7},${i % 5},${names[i % names.length]}`),
      ].join('\n') + '\n';
    writeFileSync(join(dir, 'three.csv'), labels(['cat', 'dog', 'emu']));
    writeFileSync(join(dir, 'two.csv'), labels(['cat', 'emu']));
    const small = ['--layers', '4', '--epochs', '1', '--loss', 'cross-entropy', '--json'];
    const trained = await runCli(['train', '--data', 'three.csv', ...small, '--save', 'three.json'], dir);
    expect(trained.code, trained.stderr).toBe(0);
    const refused = await runCli(
      ['train', '--data', 'two.csv', '--memory-budget', '0.001', '--init', 'three.json', '--epochs', '1'],
      dir,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /three\.json was trained on the classes cat, dog, emu, but two\.csv has cat, emu/,
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /); // one sentence, no stack
    // in memory, the same --init aligns the classes and trains
    const aligned = await runCli(
      ['train', '--data', 'two.csv', '--init', 'three.json', '--epochs', '1'],
      dir,
    );
    expect(aligned.code, aligned.stderr).toBe(0);
  });
});

/** Makes a directory unwritable: chmod for a user; root writes anyway, so `chattr +i` (immutable) for root. */
function lock(path: string): void {
  chmodSync(path, 0o555);
  if (process.getuid?.() === 0) spawnSync('chattr', ['+i', path]);
}

function unlock(path: string): void {
  if (process.getuid?.() === 0) spawnSync('chattr', ['-i', path]);
  chmodSync(path, 0o755);
}

afterAll(() => {
  const locked = join(dir, 'locked');
  if (existsSync(locked)) unlock(locked);
});
