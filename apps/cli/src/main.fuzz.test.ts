// Property-based test of the command line (issue 17): main(argv), run in this process on generated argument
// vectors (commands and typos of them, flag names and typos, numbers, unicode, missing values, files that are
// missing or broken), returns 0, 1 or 2, never 70 (an internal error); a failure prints one line
// `deltaflow: <sentence>` on stderr and writes no file.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fc, test } from '@fast-check/vitest';
import { fuzzParameters, fuzzTimeout } from '@deltaflow/test-fuzz';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { main } from './main.js';

const FLAGS = [
  'data',
  'target',
  'target-type',
  'layers',
  'activation',
  'output-activation',
  'dtype',
  'seed',
  'loss',
  'normalize',
  'dropout',
  'optimizer',
  'lr',
  'momentum',
  'nesterov',
  'weight-decay',
  'batch-size',
  'epochs',
  'shuffle',
  'validation-split',
  'test-split',
  'schedule',
  'step-size',
  'gamma',
  't-max',
  'eta-min',
  'warmup-epochs',
  'start-factor',
  'early-stopping',
  'patience',
  'min-delta',
  'restore-best',
  'init',
  'save',
  'events',
  'json',
  'quiet',
  'config',
  'checkpoint',
  'checkpoint-every',
  'resume',
  'model',
  'input',
  'samples',
  'tolerance',
  'plugin',
  'verbose',
  'no-shuffle',
  // typos and strangers
  'epoch',
  'learning-rate',
  'lr ',
  'Data',
  'datta',
  'x',
  '',
  'ｌｒ',
];

const value = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '3',
    '-1',
    '0.5',
    '1e400',
    '-1e400',
    'NaN',
    'Infinity',
    '1e-400',
    '',
    ' ',
    'abc',
    '2,3',
    '1,0',
    ',',
    '3,,3',
  ),
  fc.constantFrom(
    'xor',
    'circle',
    'spiral',
    'gauss',
    'plane',
    'iris',
    'sigmoid',
    'tanh',
    'relu',
    'adam',
    'sgd',
    'mse',
    'cross-entropy',
    'float32',
    'float64',
    'cosine',
    'step',
  ),
  fc.constantFrom(
    'm.json',
    'out.json',
    'run.jsonl',
    'cp.json',
    'missing/out.json',
    'junk.json',
    'bad.csv',
    'deep.json',
    'nope.csv',
    './nope.mjs',
    '.',
    '/',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: -5, max: 20 }).map(String),
);

/** One argument: a flag (maybe with =value), a value, or a stray word. */
const token = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value).map(([f, v]) => [`--${f}`, v]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value).map(([f, v]) => [`--${f}=${v}`]) },
  { weight: 1, arbitrary: fc.constantFrom(...FLAGS).map((f) => [`--${f}`]) },
  { weight: 1, arbitrary: value.map((v) => [v]) },
  { weight: 1, arbitrary: fc.constantFrom(['-x'], ['--'], ['-'], ['--help'], ['--version']) },
);

const COMMANDS = ['train', 'predict', 'evaluate', 'gradcheck', 'plugins', 'trian', 'predcit', 'help', ''];

/** An argument vector; the epochs and samples stay small (the property is about refusals, not long runs). */
const argv = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(token, { maxLength: 6 }))
  .map(([command, tokens]) => {
    const args = [...(command ? [command] : []), ...tokens.flat()];
    const epochs = args.findIndex((a) => a === '--epochs' || a.startsWith('--epochs='));
    return epochs === -1 && command === 'train' ? [...args, '--epochs', '3'] : args;
  })
  .filter((args) =>
    args.every(
      (a, i) =>
        !/^--(epochs|samples|batch-size|patience|checkpoint-every|warmup-epochs|t-max|step-size)(=|$)/.test(
          a,
        ) ||
        Math.abs(Number((a.includes('=') ? a.split('=')[1] : args[i + 1]) ?? 0)) <= 50 ||
        !Number.isFinite(Number((a.includes('=') ? a.split('=')[1] : args[i + 1]) ?? 0)),
    ),
  );

let dir: string;
let home: string;
beforeAll(() => {
  home = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'deltaflow-argv-'));
  process.chdir(dir);
  process.setMaxListeners(1000);
});
afterAll(() => {
  process.chdir(home);
  rmSync(dir, { recursive: true, force: true });
});

/** The fixtures of every run: a trained model, broken files. */
async function fixtures(): Promise<void> {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
  writeFileSync(join(dir, 'junk.json'), '{"format":');
  writeFileSync(join(dir, 'bad.csv'), 'a,b\n1,x\n\u00e9,2\n');
  writeFileSync(
    join(dir, 'deep.json'),
    `{"format":"deltaflow-model","version":1,"layers":[{"type":"dense","inputs":2,"units":1,"activation":"sigmoid","weights":${'['.repeat(50_000)}${']'.repeat(50_000)},"bias":[0]}]}`,
  );
  writeFileSync(
    join(dir, 'm.json'),
    '{"format":"deltaflow-model","version":1,"layers":[{"type":"dense","inputs":2,"units":1,"activation":"sigmoid","weights":[[0.5],[-0.5]],"bias":[0.1]}]}',
  );
}

describe('main(argv), property-based', () => {
  test.prop([argv], fuzzParameters(60))(
    'exit 0, 1 or 2, never an internal error; a failure is one line and writes nothing',
    async (args) => {
      await fixtures();
      const before = new Set(readdirSync(dir));
      let stderr = '';
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        stderr += String(chunk);
        return true;
      });
      const quiet = (['log', 'error', 'warn', 'info'] as const).map((m) =>
        vi.spyOn(console, m).mockImplementation(() => undefined),
      );
      let code: number;
      try {
        code = await main(args);
      } finally {
        out.mockRestore();
        err.mockRestore();
        for (const spy of quiet) spy.mockRestore();
      }
      expect(stderr).not.toMatch(/internal error/);
      expect([0, 1, 2]).toContain(code);
      if (code !== 0) {
        // the error's line is the last one, or with --verbose the first (its stack trace follows)
        // colour codes (a terminal, or FORCE_COLOR from the task runner) are not part of the sentence
        const lines = stripVTControlCharacters(stderr).trimEnd().split('\n');
        const last =
          (args.includes('--verbose') ? lines.find((l) => l.startsWith('deltaflow: ')) : lines.at(-1)) ?? '';
        expect(last).toMatch(/^deltaflow: \S/);
        expect(last.length).toBeLessThan(1000);
        expect(readdirSync(dir).filter((f) => !before.has(f))).toEqual([]);
      }
    },
    fuzzTimeout(120_000, 60),
  );
});
