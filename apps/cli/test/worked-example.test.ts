// The worked example of docs/guides/the-math.md, end to end through the built CLI: a 2-2-2 sigmoid network in float64, inputs
// (0.05, 0.10), targets (0.01, 0.99). The expected numbers are computed here from the lecture notes' formulas.
import { describe, expect, it } from 'vitest';
import { lastLine, readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

const W1 = [
  [0.15, 0.25],
  [0.2, 0.3],
]; // W_ij, from input i to hidden j
const B1 = [0.35, 0.35];
const W2 = [
  [0.4, 0.5],
  [0.45, 0.55],
]; // W_jk, from hidden j to output k
const B2 = [0.6, 0.6];
const x = [0.05, 0.1];
const t = [0.01, 0.99];
const eta = 0.5;

const s = (v: number): number => 1 / (1 + Math.exp(-v));
const layer = (input: number[], w: number[][], b: number[]): number[] =>
  b.map((theta, j) => s(input.reduce((sum, o, i) => sum + o * w[i]![j]!, theta)));

/** Forward pass, E, and one step of gradient descent, exactly as the lecture notes (docs/guides/the-math.md) state them. */
function seedStep() {
  const Oh = layer(x, W1, B1);
  const Oo = layer(Oh, W2, B2);
  const E = 0.5 * Oo.reduce((sum, o, k) => sum + (o - t[k]!) ** 2, 0);
  const deltaK = Oo.map((o, k) => (o - t[k]!) * o * (1 - o)); // delta_k = (O_k - t_k) O_k (1 - O_k)
  const deltaJ = Oh.map((o, j) => o * (1 - o) * deltaK.reduce((sum, d, k) => sum + d * W2[j]![k]!, 0)); // delta_j
  return {
    Oo,
    E,
    W2: W2.map((row, j) => row.map((w, k) => w - eta * deltaK[k]! * Oh[j]!)), // W_jk <- W_jk - eta delta_k O_j
    B2: B2.map((theta, k) => theta - eta * deltaK[k]!),
    W1: W1.map((row, i) => row.map((w, j) => w - eta * deltaJ[j]! * x[i]!)), // W_ij <- W_ij - eta delta_j O_i
    B1: B1.map((theta, j) => theta - eta * deltaJ[j]!),
  };
}

const model: ModelFile = {
  format: 'deltaflow-model',
  version: 1,
  dtype: 'float64',
  layers: [
    { inputs: 2, units: 2, activation: 'sigmoid', weights: W1, bias: B1 },
    { inputs: 2, units: 2, activation: 'sigmoid', weights: W2, bias: B2 },
  ].map((l) => ({ type: 'dense', ...l })),
};

describe('the worked example of the lecture notes through the CLI', () => {
  const dir = tempDir();
  writeFiles(dir, {
    'model.json': JSON.stringify(model),
    'one-row.csv': 'x1,x2,t1,t2\n0.05,0.10,0.01,0.99\n',
  });
  const expected = seedStep();

  it('the formulas give the published numbers', () => {
    expect(expected.Oo[0]).toBeCloseTo(0.75136507, 8);
    expect(expected.Oo[1]).toBeCloseTo(0.772928465, 8);
    expect(expected.E).toBeCloseTo(0.298371109, 8);
    expect(expected.W2[0]![0]).toBeCloseTo(0.35891648, 8);
    expect(expected.W1[0]![0]).toBeCloseTo(0.149780716, 8);
  });

  it('predict --input 0.05,0.10 shows both outputs', async () => {
    const text = await runCli(['predict', '--model', 'model.json', '--input', '0.05,0.10'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('0.75136507');
    expect(text.stdout).toContain('0.772928465');
    const json = await runCli(['predict', '--model', 'model.json', '--input', '0.05,0.10', '--json'], dir);
    const [prediction] = (JSON.parse(lastLine(json.stdout)) as { predictions: { output: number[] }[] })
      .predictions;
    expect(Math.abs(prediction!.output[0]! - expected.Oo[0]!)).toBeLessThan(1e-12);
    expect(Math.abs(prediction!.output[1]! - expected.Oo[1]!)).toBeLessThan(1e-12);
  });

  it('evaluate --loss mse on the one-row CSV shows E = 0.298371109', async () => {
    const args = [
      'evaluate',
      '--model',
      'model.json',
      '--data',
      'one-row.csv',
      '--target',
      't1,t2',
      '--loss',
      'mse',
    ];
    const text = await runCli(args, dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('0.298371109');
    const json = await runCli([...args, '--json'], dir);
    const { loss } = JSON.parse(lastLine(json.stdout)) as { loss: number };
    expect(Math.abs(loss - expected.E)).toBeLessThan(1e-12);
  });

  it('one train step saves all 8 weights and 4 biases of the seed update, still float64', async () => {
    const result = await runCli(
      [
        'train',
        '--init',
        'model.json',
        '--data',
        'one-row.csv',
        '--target',
        't1,t2',
        '--optimizer',
        'sgd',
        '--lr',
        '0.5',
        '--batch-size',
        '1',
        '--epochs',
        '1',
        '--no-shuffle',
        '--save',
        'out.json',
      ],
      dir,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const saved = readJson<ModelFile>(dir, 'out.json');
    expect(saved.dtype).toBe('float64');
    const [hidden, output] = saved.layers;
    const close = (actual: number[][], wanted: number[][]): void =>
      wanted.forEach((row, i) =>
        row.forEach((w, j) => expect(Math.abs(actual[i]![j]! - w)).toBeLessThan(1e-8)),
      );
    close(hidden!.weights, expected.W1);
    close(output!.weights, expected.W2);
    close([hidden!.bias, output!.bias], [expected.B1, expected.B2]);
    expect(saved.meta).toMatchObject({ loss: 'mse', epochs: 1, reason: 'completed' });
  });
});
