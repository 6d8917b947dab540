// Dropout, L1/L2 penalties and metrics through the built command (issue 15).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelFromJSON } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const readModel = (dir: string, file: string): ModelJSON =>
  JSON.parse(readFileSync(join(dir, file), 'utf8')) as ModelJSON;

describe('--dropout', () => {
  it('trains with dropout layers in the model file; predict and evaluate ignore them', async () => {
    const dir = tempDir();
    const train = await runCli(
      [
        'train',
        '--data',
        'circle',
        '--layers',
        '8,6',
        '--activation',
        'tanh',
        '--dropout',
        '0.3,0.1',
        '--epochs',
        '5',
        '--save',
        'd.json',
        '--json',
      ],
      dir,
    );
    expect(train.code, train.stderr).toBe(0);
    const saved = readModel(dir, 'd.json');
    expect(saved.version).toBe(2);
    expect(saved.layers.map((l) => (l.type === 'dropout' ? l.rate : l.type))).toEqual([
      'dense',
      0.3,
      'dense',
      0.1,
      'dense',
    ]);
    // predict: the network without dropout, the same every time
    const rows = ['0.1,0.2', '-0.5,0.4'];
    const args = ['predict', '--model', 'd.json', ...rows.flatMap((r) => ['--input', r]), '--json'];
    const first = await runCli(args, dir);
    const second = await runCli(args, dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    const plain = modelFromJSON({
      ...saved,
      version: 1,
      layers: saved.layers.filter((l) => l.type === 'dense'),
    });
    const expected = plain.forward(
      Tensor.fromNested([
        [0.1, 0.2],
        [-0.5, 0.4],
      ]),
    );
    const predicted = (JSON.parse(first.stdout) as { predictions: { output: number[] }[] }).predictions;
    expect(predicted.map((p) => p.output[0])).toEqual(Array.from(expected.data));
    const evaluated = await runCli(['evaluate', '--model', 'd.json', '--data', 'circle', '--json'], dir);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect((await runCli(['evaluate', '--model', 'd.json', '--data', 'circle', '--json'], dir)).stdout).toBe(
      evaluated.stdout,
    );
  });

  it('gradcheck checks a dropout network with a frozen mask below 1e-6', async () => {
    const dir = tempDir();
    const result = await runCli(
      [
        'gradcheck',
        '--data',
        'circle',
        '--layers',
        '6,5',
        '--activation',
        'tanh',
        '--dropout',
        '0.5',
        '--json',
      ],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { worst: number; passed: boolean; checked: number };
    expect(json.passed).toBe(true);
    expect(json.worst).toBeLessThan(1e-6);
    expect(json.checked).toBe(3 * 6 + 7 * 5 + 6 * 1);
  });

  it('refuses a bad rate and a count that does not match the hidden layers, in one line', async () => {
    const dir = tempDir();
    const bad = await runCli(['train', '--dropout', '1.5'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--dropout takes one rate in \[0, 1\)/);
    const count = await runCli(['train', '--layers', '4,4', '--dropout', '0.1,0.2,0.3'], dir);
    expect(count.code).not.toBe(0);
    expect(count.stderr).toMatch(/--dropout has 3 rates but the model has 2 hidden layers/);
  });
});

describe('--l1 and --l2', () => {
  it('the forward events report the data loss and the penalty as separate parts of E; the model keeps the rates', async () => {
    const dir = tempDir();
    const result = await runCli(
      [
        'train',
        '--data',
        'circle',
        '--layers',
        '6',
        '--l1',
        '0.001',
        '--l2',
        '0.01,0',
        '--epochs',
        '3',
        '--events',
        'e.jsonl',
        '--save',
        'm.json',
        '--json',
      ],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const events = readFileSync(join(dir, 'e.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { type: string; loss?: number; dataLoss?: number; penalty?: number },
      );
    const forwards = events.filter((e) => e.type === 'forward');
    expect(forwards).toHaveLength(3);
    for (const f of forwards) {
      expect(f.penalty).toBeGreaterThan(0);
      expect(f.loss).toBeCloseTo(f.dataLoss! + f.penalty!, 12);
    }
    expect(readModel(dir, 'm.json').meta).toMatchObject({ penalty: { l1: 0.001, l2: [0.01, 0] } });
  });

  it('gradcheck includes the penalties below 1e-6', async () => {
    const dir = tempDir();
    const result = await runCli(
      [
        'gradcheck',
        '--data',
        'circle',
        '--layers',
        '5',
        '--activation',
        'tanh',
        '--l1',
        '0.01',
        '--l2',
        '0.3',
        '--json',
      ],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { worst: number; passed: boolean };
    expect(json.passed).toBe(true);
    expect(json.worst).toBeLessThan(1e-6);
  });

  it('refuses a negative rate and a per-layer list of the wrong length, in one line', async () => {
    const dir = tempDir();
    const negative = await runCli(['train', '--l2', '-1'], dir);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/^deltaflow: --l2 takes one rate >= 0/);
    const count = await runCli(['train', '--layers', '4', '--l1', '0.1,0.1,0.1'], dir);
    expect(count.code).toBe(2);
    expect(count.stderr.trim().split('\n')).toHaveLength(1);
    expect(count.stderr).toMatch(/--l1 has 3 rates but the model has 2 layers/);
  });
});

describe('the run line', () => {
  it('names the dropout rates and the penalties before training', async () => {
    const dir = tempDir();
    const result = await runCli(
      [
        'train',
        '--data',
        'circle',
        '--layers',
        '8,8',
        '--dropout',
        '0.2,0.1',
        '--l2',
        '0.001',
        '--epochs',
        '1',
      ],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(
      /model 2-8-8-1 \(sigmoid, sigmoid, sigmoid\) float32, dropout 0\.2,0\.1, loss mse \+ l2 0\.001,/,
    );
  });
});
