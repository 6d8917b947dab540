// Exact resume through the command: N epochs in one process, and k epochs + --checkpoint + `train --resume` to N
// in a new process, give byte-identical model files, for every optimizer, with a schedule, early stopping
// (restore-best), a validation split and dropout on; also when the first process was stopped by SIGINT or
// SIGTERM (the checkpoint then holds the last complete epoch). SOURCE_DATE_EPOCH fixes the files' `created`.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, runCli, tempDir } from './helpers.js';

process.env.SOURCE_DATE_EPOCH = '1700000000';

const dir = tempDir();
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');

/** The run: a schedule, early stopping with restore-best (patient enough to go on), validation and dropout. */
const run = (optimizer: string, lr: string, epochs: number): string[] =>
  ['--data', 'circle', '--layers', '6', '--optimizer', optimizer, '--lr', lr, '--batch-size', '16']
    .concat(['--schedule', 'cosine', '--t-max', String(epochs), '--early-stopping', '--patience', '100000'])
    .concat(['--min-delta', '0.0001', '--restore-best', '--validation-split', '0.2', '--dropout', '0.1'])
    .concat(['--seed', '3', '--quiet']);

const OPTIMIZERS: [string, string][] = [
  ['sgd', '0.5'],
  ['adam', '0.01'],
  ['adamw', '0.01'],
  ['rmsprop', '0.005'],
  ['adagrad', '0.05'],
];

describe('train --checkpoint, then train --resume', () => {
  it.each(OPTIMIZERS)('gives the file of the uninterrupted run with %s', async (optimizer, lr) => {
    const full = await runCli(
      ['train', ...run(optimizer, lr, 14), '--epochs', '14', '--save', `${optimizer}-full.json`],
      dir,
    );
    expect(full.code).toBe(0);
    const first = await runCli(
      ['train', ...run(optimizer, lr, 14), '--epochs', '6', '--checkpoint', `${optimizer}.ckpt.json`],
      dir,
    );
    expect(first.code).toBe(0);
    const checkpoint = JSON.parse(read(`${optimizer}.ckpt.json`)) as {
      format: string;
      checkpoint: { format: string; version: number; state: { epoch: number; optimizer: { name: string } } };
    };
    expect(checkpoint.format).toBe('deltaflow-model');
    expect(checkpoint.checkpoint).toMatchObject({ format: 'deltaflow-checkpoint', version: 1 });
    expect(checkpoint.checkpoint.state).toMatchObject({ epoch: 6, optimizer: { name: optimizer } });
    const resumed = await runCli(
      [
        'train',
        '--resume',
        `${optimizer}.ckpt.json`,
        '--epochs',
        '14',
        '--save',
        `${optimizer}-resumed.json`,
      ],
      dir,
    );
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read(`${optimizer}-resumed.json`)).toBe(read(`${optimizer}-full.json`));
  });

  it('writes the checkpoint every --checkpoint-every epochs and at the end, from which a run goes on further', async () => {
    const args = run('adam', '0.01', 9);
    expect((await runCli(['train', ...args, '--epochs', '12', '--save', 'every-full.json'], dir)).code).toBe(
      0,
    );
    const first = await runCli(
      [
        'train',
        ...args,
        '--epochs',
        '9',
        '--checkpoint',
        'every.ckpt.json',
        '--checkpoint-every',
        '4',
      ].concat(['--events', 'every.jsonl']),
      dir,
    );
    expect(first.code).toBe(0);
    const checkpoints = read('every.jsonl')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; epoch?: number; state?: unknown })
      .filter((e) => e.type === 'checkpoint');
    expect(checkpoints.map((e) => [e.epoch, e.state !== undefined])).toEqual([
      [4, true],
      [8, true],
    ]);
    // the file holds the end of the 9 epochs: a resume to 12 gives the 12 epochs of one process
    const resumed = await runCli(
      ['train', '--resume', 'every.ckpt.json', '--epochs', '12', '--save', 'every-resumed.json'],
      dir,
    );
    expect(resumed.code).toBe(0);
    expect(read('every-resumed.json')).toBe(read('every-full.json'));
  });
});

/** Spawns `deltaflow train ...args`, sends `signal` once the first epoch's line is out, waits for the end. */
function trainAndSignal(args: readonly string[], signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'train', ...args], {
      cwd: dir,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!sent && /^epoch +1\//m.test(stdout)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

describe('a checkpoint written on a signal', () => {
  const N = 3000;
  const args = (optimizer: string) =>
    ['--data', 'circle', '--layers', '8', '--optimizer', optimizer, '--lr', '0.01', '--batch-size', '8']
      .concat([
        '--schedule',
        'step',
        '--step-size',
        '500',
        '--gamma',
        '0.5',
        '--early-stopping',
        '--patience',
        '100000',
      ])
      .concat([
        '--restore-best',
        '--validation-split',
        '0.2',
        '--dropout',
        '0.1',
        '--seed',
        '5',
        '--epochs',
        String(N),
      ]);

  it.each([
    ['SIGINT', 130, 'adam'],
    ['SIGTERM', 143, 'rmsprop'],
  ] as const)('after %s resumes to the uninterrupted file', async (signal, exitCode, optimizer) => {
    const name = signal.toLowerCase();
    const full = await runCli(['train', ...args(optimizer), '--save', `${name}-full.json`, '--quiet'], dir);
    expect(full.code).toBe(0);
    const code = await trainAndSignal([...args(optimizer), '--checkpoint', `${name}.ckpt.json`], signal);
    expect(code).toBe(exitCode);
    const state = (JSON.parse(read(`${name}.ckpt.json`)) as { checkpoint: { state: { epoch: number } } })
      .checkpoint.state;
    // stopped in the middle: the checkpoint holds the last complete epoch
    expect(state.epoch).toBeGreaterThanOrEqual(1);
    expect(state.epoch).toBeLessThan(N);
    const resumed = await runCli(
      ['train', '--resume', `${name}.ckpt.json`, '--save', `${name}-resumed.json`, '--quiet'],
      dir,
    );
    expect(resumed.code).toBe(0);
    expect(read(`${name}-resumed.json`)).toBe(read(`${name}-full.json`));
  });
});

describe('--resume refuses what would change the run or is not a checkpoint', () => {
  it('one sentence each', async () => {
    writeFileSync(join(dir, 'plain.json'), read('adam-full.json'));
    writeFileSync(join(dir, 'broken.json'), '{"format": "deltaflow-model", "version": 1');
    const ckpt = JSON.parse(read('adam.ckpt.json')) as { checkpoint: { version: number } };
    ckpt.checkpoint.version = 99;
    writeFileSync(join(dir, 'future.json'), JSON.stringify(ckpt));
    const cases: [string[], number, string][] = [
      [
        ['--resume', 'adam.ckpt.json', '--lr', '3'],
        2,
        "--lr cannot be combined with --resume: the checkpoint keeps the run's options; only --epochs and the output flags may change.",
      ],
      [
        ['--resume', 'adam.ckpt.json', '--config', 'x.json'],
        2,
        "--config cannot be combined with --resume: the checkpoint keeps the run's options.",
      ],
      [
        ['--resume', 'nowhere.json'],
        1,
        '--resume nowhere.json: there is no such file; resume from a file written by train --checkpoint.',
      ],
      [
        ['--resume', 'plain.json'],
        1,
        '--resume plain.json: it is a model file without a run state (no "checkpoint" part); resume from a file written by train --checkpoint.',
      ],
      [
        ['--resume', 'future.json'],
        1,
        '--resume future.json: its checkpoint version is 99, but this deltaflow reads version 1; resume from a file written by train --checkpoint.',
      ],
      [
        ['--checkpoint-every', '3'],
        2,
        '--checkpoint-every says how often to write the checkpoint: add --checkpoint FILE.',
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await runCli(['train', ...args], dir);
      expect(result.stderr).toBe(`deltaflow: ${message}\n`);
      expect(result.code).toBe(code);
    }
    const broken = await runCli(['train', '--resume', 'broken.json'], dir);
    expect(broken.stderr).toMatch(/^deltaflow: --resume broken\.json: is not valid JSON, perhaps truncated/);
    expect(broken.code).toBe(1);
  });
});
