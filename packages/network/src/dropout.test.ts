import { getLoss } from '@deltaflow/losses';
import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { Dense } from './dense.js';
import { gradientCheck } from './gradient-check.js';
import { denseLayers, modelFromJSON, modelToJSON } from './model-json.js';
import { mlp } from './sequential.js';

/** A seeded batch of `rows` x `cols` numbers in [-1, 1). */
function batch(rows: number, cols: number, seed: number): Tensor {
  const rng = new Random(seed);
  return Tensor.fromNested(
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.range(-1, 1))),
    'float64',
  );
}

function oneHot(rows: number, classes: number, seed: number): Tensor {
  const rng = new Random(seed);
  return Tensor.fromNested(
    Array.from({ length: rows }, () => {
      const row = new Array<number>(classes).fill(0);
      row[rng.int(classes)] = 1;
      return row;
    }),
    'float64',
  );
}

const dropoutNet = (dtype: 'float32' | 'float64' = 'float64') =>
  mlp({
    inputs: 3,
    layers: [
      { units: 6, activation: 'tanh', dropout: 0.3 },
      { units: 5, activation: 'sigmoid', dropout: 0.5 },
      { units: 3, activation: 'softmax' },
    ],
    seed: 11,
    dtype,
  });

describe('dropout: inverted dropout of a hidden layer', () => {
  it('gradient check of the masked network (frozen mask) passes below 1e-6, and the mask really drops', () => {
    const model = dropoutNet();
    const x = batch(8, 3, 1);
    const t = oneHot(8, 3, 2);
    for (const loss of ['cross-entropy', 'mse'] as const) {
      const result = gradientCheck(model, x, t, loss, { dropoutMask: 7 });
      expect(result.worst).toBeLessThan(1e-6);
      expect(result.checked).toBe(4 * 6 + 7 * 5 + 6 * 3);
    }
    // the mask of that check drops some nodes: their outgoing weights get exactly zero gradient
    const pass = model.createPass();
    pass.dropout = new Random(7);
    pass.freezeMasks = true;
    model.zeroGrad();
    model.forward(x, pass);
    model.backwardLoss(pass, t, getLoss('cross-entropy'));
    const mask = pass.layers[0]!.mask!.data;
    expect(Array.from(mask).filter((m) => m === 0).length).toBeGreaterThan(0);
    // a node dropped in every sample passes no error back: its row of dE/dW in the next layer is zero
    const units = 6;
    for (let j = 0; j < units; j++) {
      let kept = false;
      for (let b = 0; b < 8; b++) kept ||= mask[b * units + j] !== 0;
      if (kept) continue;
      const row = model.layers[1]!.weightGrad.data.subarray(j * 5, (j + 1) * 5);
      expect(Array.from(row)).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it('without the mask frozen a check would see a different network each step: the frozen one differs from the one without dropout', () => {
    const model = dropoutNet();
    const x = batch(8, 3, 3);
    const t = oneHot(8, 3, 4);
    const off = model.createPass();
    const on = model.createPass();
    on.dropout = new Random(1);
    const plain = Array.from(model.forward(x, off).data);
    const dropped = Array.from(model.forward(x, on).data);
    expect(dropped).not.toEqual(plain);
    // gradient check with dropout off checks the network of inference
    expect(gradientCheck(model, x, t, 'cross-entropy').worst).toBeLessThan(1e-6);
  });

  it('keeps the expected activation: E[O m] = O, each entry 0 or O / (1 - p)', () => {
    const p = 0.25;
    const layer = new Dense({
      inputs: 2,
      units: 3,
      activation: 'sigmoid',
      dtype: 'float64',
      dropout: p,
      rng: new Random(3),
    });
    const rows = 40000;
    const input = Tensor.fromNested(
      Array.from({ length: rows }, () => [0.3, -0.7]),
      'float64',
    );
    const pass = layer.createPass(rows);
    const out = layer.forward(input, pass, new Random(99));
    const o = layer.forward(Tensor.fromNested([[0.3, -0.7]], 'float64')).data; // inference: no dropout
    const sums = [0, 0, 0];
    let dropped = 0;
    let wrong = 0; // entries neither 0 nor O / (1 - p)
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < 3; j++) {
        const v = out.data[i * 3 + j]!;
        if (v === 0) dropped++;
        else if (Math.abs(v - o[j]! / (1 - p)) > 1e-14) wrong++;
        sums[j] += v;
      }
    }
    expect(wrong).toBe(0);
    expect(dropped / (rows * 3)).toBeCloseTo(p, 2);
    for (let j = 0; j < 3; j++) {
      // std of one entry: O sqrt(p / (1 - p)); of the mean of N: that / sqrt(N); allow 5 standard errors
      const se = (o[j]! * Math.sqrt(p / (1 - p))) / Math.sqrt(rows);
      expect(Math.abs(sums[j]! / rows - o[j]!)).toBeLessThan(5 * se);
    }
  });

  it('is off in inference (predict) and in a training pass without a generator', () => {
    const model = dropoutNet('float32');
    const plain = modelFromJSON({
      ...modelToJSON(model),
      version: 1,
      layers: modelToJSON(model).layers.filter((l) => l.type === 'dense'),
    });
    expect(plain.layers.map((l) => l.dropout)).toEqual([0, 0, 0]);
    const x = batch(5, 3, 9).clone('float32');
    const expected = Array.from(plain.forward(x).data);
    expect(Array.from(model.forward(x).data)).toEqual(expected);
    expect(Array.from(model.forward(x, model.createPass()).data)).toEqual(expected);
  });

  it('masks come from the generator: the same seed gives the same masks, bit for bit', () => {
    const model = dropoutNet();
    const x = batch(6, 3, 5);
    const run = (seed: number) => {
      const pass = model.createPass();
      pass.dropout = new Random(seed);
      return [Array.from(model.forward(x, pass).data), Array.from(model.forward(x, pass).data)];
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
    const [first, second] = run(4);
    expect(first).not.toEqual(second); // a new mask every forward pass
  });
});

describe('dropout in the model file', () => {
  it('is written as a dropout layer after its dense layer (version 2) and loads back', () => {
    const model = dropoutNet();
    const json = modelToJSON(model);
    expect(json.version).toBe(2);
    expect(json.layers.map((l) => (l.type === 'dropout' ? `dropout ${l.rate}` : 'dense'))).toEqual([
      'dense',
      'dropout 0.3',
      'dense',
      'dropout 0.5',
      'dense',
    ]);
    const again = modelFromJSON(JSON.parse(JSON.stringify(json)));
    expect(again.layers.map((l) => l.dropout)).toEqual([0.3, 0.5, 0]);
    expect(modelToJSON(again)).toEqual(json);
    expect(again.summary().layers.map((l) => l.dropout)).toEqual([0.3, 0.5, undefined]);
    expect(denseLayers(json).map((l) => l.units)).toEqual([6, 5, 3]);
    // without dropout, still version 1
    expect(modelToJSON(mlp({ inputs: 1, layers: [{ units: 1 }] })).version).toBe(1);
  });

  const base = () => JSON.parse(JSON.stringify(modelToJSON(dropoutNet()))) as { layers: unknown[] };
  const cases: [string, (m: { layers: unknown[] }) => void, RegExp][] = [
    [
      'a rate of 1',
      (m) => (m.layers[1] = { type: 'dropout', rate: 1 }),
      /layers\[1\]\.rate is 1, expected a number in \[0, 1\)/,
    ],
    ['a missing rate', (m) => (m.layers[1] = { type: 'dropout' }), /layers\[1\]\.rate is undefined/],
    [
      'dropout first',
      (m) => m.layers.unshift({ type: 'dropout', rate: 0.1 }),
      /layers\[0\] is a dropout layer that does not follow a dense layer/,
    ],
    [
      'two dropouts in a row',
      (m) => m.layers.splice(2, 0, { type: 'dropout', rate: 0.1 }),
      /layers\[2\] is a dropout layer that does not follow a dense layer/,
    ],
    [
      'dropout after the output',
      (m) => m.layers.push({ type: 'dropout', rate: 0.1 }),
      /layers\[5\] is a dropout layer after the output layer/,
    ],
  ];
  for (const [name, mutate, message] of cases) {
    it(`refuses ${name}, naming the field`, () => {
      const json = base();
      mutate(json);
      expect(() => modelFromJSON(json, 'm.json')).toThrow(message);
    });
  }

  it('refuses dropout on the output layer in code, and a rate outside [0, 1)', () => {
    expect(() => mlp({ inputs: 2, layers: [{ units: 1, dropout: 0.2 }] })).toThrow(
      /output layer has dropout 0\.2/,
    );
    expect(() => new Dense({ inputs: 1, units: 1, dropout: -0.1 })).toThrow(
      /dropout rate must be a number in \[0, 1\)/,
    );
  });
});
