// Every command's normal path, through the built CLI with stdout a pipe (plain output).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, lastLine, readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

const dir = tempDir();

interface Summary {
  loss: number;
  valLoss: number | null;
  metrics: Record<string, number>;
  epochs: number;
  reason: string;
  trainingMs: number;
  samplesPerSecond: number;
  saved: string | null;
}

describe('deltaflow train', () => {
  it('trains the seed network on xor with plain progress lines and a summary', async () => {
    const { code, stdout, stderr } = await runCli(['train', '--epochs', '300'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      'xor: 4 samples, model 2-4-1 (sigmoid, sigmoid) float32, loss mse, sgd lr 0.5, batch size 1, 300 epochs',
    );
    expect(lines.filter((l) => /^epoch +\d+\/300 {2}loss /.test(l))).toHaveLength(11); // epoch 1, then every 30
    expect(stdout).toMatch(/result +│ +completed/);
    expect(stdout).toContain('grad norm');
    expect(stdout).not.toContain('\r'); // nothing redrawn in a pipe
    expect(stdout).not.toContain('\x1b[');
  });

  it('--json prints the summary as its last line; --save and --events write the model and the stream', async () => {
    const { code, stdout } = await runCli(
      ['train', '--epochs', '200', '--json', '--save', 'xor.json', '--events', 'run.jsonl'],
      dir,
    );
    expect(code).toBe(0);
    const summary = JSON.parse(lastLine(stdout)) as Summary;
    expect(Object.keys(summary).sort()).toEqual([
      'epochs',
      'loss',
      'metrics',
      'reason',
      'samplesPerSecond',
      'saved',
      'trainingMs',
      'valLoss',
    ]);
    expect(summary).toMatchObject({ epochs: 200, reason: 'completed', saved: 'xor.json', valLoss: null });
    expect(summary.loss).toBeGreaterThan(0);
    expect(summary.metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(summary.trainingMs).toBeGreaterThan(0);

    const events = readFileSync(join(dir, 'run.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; epoch?: number; model?: ModelFile });
    expect(events[0]!.type).toBe('start');
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'end', reason: 'completed', epochs: 200 });
    for (const type of ['forward', 'backward', 'epoch'])
      expect(events.filter((e) => e.type === type)).toHaveLength(200);
    expect(events.slice(1, 4).map((e) => [e.type, e.epoch])).toEqual([
      ['forward', 1],
      ['backward', 1],
      ['epoch', 1],
    ]);
    const saved = readJson<ModelFile>(dir, 'xor.json');
    expect(end.model!.layers.map((l) => l.weights)).toEqual(saved.layers.map((l) => l.weights));
    expect(saved.meta).toMatchObject({
      loss: 'mse',
      epochs: 200,
      task: 'classification',
      classNames: ['0', '1'],
      reason: 'completed',
    });
    expect(saved.meta!.finalLoss).toBe(summary.loss);
  });

  it('keeps training and saves the model when the reader of stdout goes away (| head)', async () => {
    const child = spawn(process.execPath, [bin, 'train', '--epochs', '1000', '--save', 'piped.json'], {
      cwd: dir,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([code, stderr]).toEqual([0, '']);
    expect(readJson<ModelFile>(dir, 'piped.json').meta).toMatchObject({ epochs: 1000 });
  });

  it('--quiet prints nothing', async () => {
    const { code, stdout, stderr } = await runCli(['train', '--epochs', '5', '--quiet'], dir);
    expect([code, stdout, stderr]).toEqual([0, '', '']);
  });

  it('--config gives the options, flags win; --normalize stores the scaler; --validation-split reports val loss', async () => {
    writeFiles(dir, {
      'run.json': JSON.stringify({
        data: 'iris',
        layers: [3],
        loss: 'cross-entropy',
        'validation-split': 0.2,
        normalize: true,
        epochs: 500,
        save: 'iris.json',
      }),
    });
    const { code, stdout } = await runCli(
      ['train', '--config', 'run.json', '--epochs', '20', '--optimizer', 'adam', '--lr', '0.05', '--json'],
      dir,
    );
    expect(code).toBe(0);
    const summary = JSON.parse(lastLine(stdout)) as Summary;
    expect(summary.epochs).toBe(20);
    expect(summary.valLoss).toBeGreaterThan(0);
    expect(summary.metrics).toHaveProperty('valAccuracy');
    const saved = readJson<ModelFile>(dir, 'iris.json');
    expect(saved.layers.map((l) => [l.units, l.activation])).toEqual([
      [3, 'sigmoid'],
      [3, 'softmax'],
    ]);
    expect(saved.meta).toMatchObject({
      loss: 'cross-entropy',
      optimizer: 'adam',
      classNames: ['setosa', 'versicolor', 'virginica'],
    });
    expect((saved.meta!.scaler as { kind: string }).kind).toBe('standard');
  });
});

describe('deltaflow predict, evaluate, gradcheck, plugins', () => {
  beforeAll(async () => {
    writeFiles(dir, { 'points.csv': 'a,b,label\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n' });
    expect((await runCli(['train', '--quiet', '--save', 'trained.json'], dir)).code).toBe(0);
  });

  it('predict prints outputs and class labels, as text and JSON', async () => {
    const text = await runCli(
      ['predict', '--model', 'trained.json', '--input', '0,1', '--input', '1,1'],
      dir,
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^0,1 -> 0\.9\d+ {2}class 1\n1,1 -> 0\.0\d+ {2}class 0\n$/);
    const json = await runCli(['predict', '--model', 'trained.json', '--input', '0,0', '--json'], dir);
    const { predictions } = JSON.parse(lastLine(json.stdout)) as {
      predictions: { input: number[]; output: number[]; label: string }[];
    };
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ input: [0, 0], label: '0' });
  });

  it('predict --data reads the rows of a CSV file, leaving out --target columns', async () => {
    const { code, stdout } = await runCli(
      ['predict', '--model', 'trained.json', '--data', 'points.csv', '--target', 'label', '--json'],
      dir,
    );
    expect(code).toBe(0);
    const { predictions } = JSON.parse(lastLine(stdout)) as {
      predictions: { input: number[]; label: string }[];
    };
    expect(predictions.map((p) => [p.input, p.label])).toEqual([
      [[0, 0], '0'],
      [[0, 1], '1'],
      [[1, 0], '1'],
      [[1, 1], '0'],
    ]);
  });

  it('evaluate gives the loss and accuracy on a built-in set', async () => {
    const text = await runCli(['evaluate', '--model', 'trained.json', '--data', 'xor'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/loss E \(mse, mean of 1\/2 sum \(O - t\)\^2\) +│ +0\.0\d+/);
    expect(text.stdout).toMatch(/accuracy +│ +100%/);
    const json = await runCli(
      ['evaluate', '--model', 'trained.json', '--data', 'xor', '--loss', 'mae', '--json'],
      dir,
    );
    const result = JSON.parse(lastLine(json.stdout)) as {
      loss: number;
      lossFunction: string;
      metrics: { accuracy: number };
      samples: number;
    };
    expect(result).toMatchObject({ lossFunction: 'mae', metrics: { accuracy: 1 }, samples: 4 });
  });

  it('gradcheck passes for the default network and a saved model, and fails above a tiny tolerance', async () => {
    const text = await runCli(['gradcheck'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/worst relative error .+ tolerance 1e-6: passed/);
    const json = await runCli(['gradcheck', '--model', 'trained.json', '--data', 'xor', '--json'], dir);
    const result = JSON.parse(lastLine(json.stdout)) as {
      layers: { worst: number }[];
      worst: number;
      passed: boolean;
    };
    expect(result.passed).toBe(true);
    expect(result.layers).toHaveLength(2);
    expect(result.worst).toBeLessThan(1e-6);
    const strict = await runCli(
      ['gradcheck', '--data', 'iris', '--layers', '5,3', '--activation', 'tanh', '--tolerance', '1e-300'],
      dir,
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^deltaflow: gradient check failed: .* above the tolerance 1e-300\.\n$/);
  });

  it('plugins lists every activation, loss and optimizer with where it came from', async () => {
    const text = await runCli(['plugins'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/activation +│ sigmoid +│ builtin/);
    const json = await runCli(['plugins', '--json'], dir);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout, `stderr: ${json.stderr}`).toMatch(/\}\n$/);
    const list = JSON.parse(lastLine(json.stdout)) as Record<string, { name: string; source: string }[]>;
    expect(list.losses!.map((l) => l.name)).toEqual([
      'mse',
      'mae',
      'huber',
      'binary-cross-entropy',
      'cross-entropy',
    ]);
    expect(list.optimizers!.every((o) => o.source === 'builtin')).toBe(true);
  });

  it('--help shows examples for every command; --version the version', async () => {
    for (const command of ['train', 'predict', 'evaluate', 'gradcheck', 'plugins']) {
      const { code, stdout } = await runCli([command, '--help'], dir);
      expect(code).toBe(0);
      expect(stdout).toContain('Examples:');
      expect(stdout).toContain(`deltaflow ${command}`);
    }
    expect((await runCli(['--version'], dir)).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
