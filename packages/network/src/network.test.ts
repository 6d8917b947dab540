import { getLoss } from '@deltaflow/losses';
import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it, vi } from 'vitest';
import { gradientCheck } from './gradient-check.js';
import { modelFromJSON, modelToJSON } from './model-json.js';
import { mlp } from './sequential.js';
import { trainStep } from './train-step.js';
import { sgdForTests } from './testing/sgd.js';

function randomBatch(rng: Random, rows: number, cols: number, low = -1, high = 1): Tensor {
  const t = Tensor.zeros([rows, cols], 'float64');
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(low, high);
  return t;
}

function oneHot(rng: Random, rows: number, classes: number): Tensor {
  const t = Tensor.zeros([rows, classes], 'float64');
  for (let i = 0; i < rows; i++) t.set(1, i, rng.int(classes));
  return t;
}

const xor = {
  inputs: Tensor.fromNested([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]),
  targets: Tensor.fromNested([[0], [1], [1], [0]]),
};

describe('gradient check', () => {
  const rng = new Random(11);
  const inputs = randomBatch(rng, 5, 3);

  it('a 3-layer network of mixed activations agrees with finite differences (mse)', () => {
    const model = mlp({
      inputs: 3,
      layers: [
        { units: 4, activation: 'tanh', biasInit: 'uniform' },
        { units: 5, activation: 'gelu', biasInit: 'uniform' },
        { units: 2, activation: 'sigmoid', biasInit: 'uniform' },
      ],
      seed: 3,
      dtype: 'float64',
    });
    const result = gradientCheck(model, inputs, randomBatch(rng, 5, 2, 0, 1), 'mse');
    expect(result.layers).toHaveLength(3);
    expect(result.worst).toBeLessThan(1e-6);
  });

  it('softmax with cross-entropy (the fused O - t path) agrees with finite differences', () => {
    const model = mlp({
      inputs: 3,
      layers: [
        { units: 6, activation: 'elu' },
        { units: 4, activation: 'swish' },
        { units: 3, activation: 'softmax' },
      ],
      seed: 4,
      dtype: 'float64',
    });
    expect(gradientCheck(model, inputs, oneHot(rng, 5, 3), 'cross-entropy').worst).toBeLessThan(1e-6);
  });

  it('every hidden activation passes inside a network', () => {
    for (const activation of [
      'sigmoid',
      'tanh',
      'softplus',
      'gelu',
      'swish',
      'elu',
      'linear',
      'leaky-relu',
      'relu',
    ]) {
      const model = mlp({
        inputs: 3,
        layers: [
          { units: 4, activation, biasInit: 'uniform' },
          { units: 2, activation: 'linear' },
        ],
        seed: 5,
        dtype: 'float64',
      });
      expect(gradientCheck(model, inputs, randomBatch(rng, 5, 2), 'huber').worst, activation).toBeLessThan(
        1e-6,
      );
    }
  });

  it('catches a wrong backward pass', () => {
    const model = mlp({ inputs: 3, layers: [{ units: 3 }, { units: 2 }], seed: 6, dtype: 'float64' });
    const broken = {
      ...getLoss('mse'),
      backward: (o: Tensor, t: Tensor, g: Tensor) => getLoss('mae').backward(o, t, g),
    };
    expect(gradientCheck(model, inputs, randomBatch(rng, 5, 2, 0, 1), broken).worst).toBeGreaterThan(1e-2);
  });
});

describe('seeds', () => {
  const train = (seed: number): Float32Array[] => {
    const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed });
    const optimizer = sgdForTests(model.parameters(), { lr: 0.5 });
    const initial = model.layers.map((l) => Float32Array.from(l.weights.data));
    for (let epoch = 0; epoch < 200; epoch++)
      trainStep(model, xor.inputs, xor.targets, getLoss('mse'), optimizer);
    return [
      ...initial,
      ...model.layers.flatMap((l) => [Float32Array.from(l.weights.data), Float32Array.from(l.bias.data)]),
    ];
  };

  it('the same seed gives the same initial and trained weights bit for bit; another seed differs', () => {
    const a = train(42);
    const b = train(42);
    const c = train(43);
    a.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(b[i]!.buffer))).toBe(true));
    expect(Buffer.from(a[0]!.buffer).equals(Buffer.from(c[0]!.buffer))).toBe(false);
  });
});

describe('buffers', () => {
  it('forward and backward allocate nothing after the first batch of a size', () => {
    const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 3, activation: 'softmax' }], seed: 1 });
    const targets = Tensor.fromNested([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const loss = getLoss('cross-entropy');
    const optimizer = sgdForTests(model.parameters(), { lr: 0.001, momentum: 0.9 });
    trainStep(model, xor.inputs, targets, loss, optimizer);
    const first = model.forward(xor.inputs);
    const grads = model.parameters().map((p) => p.grad.data);
    const zeros = vi.spyOn(Tensor, 'zeros');
    trainStep(model, xor.inputs, targets, loss, optimizer);
    expect(model.forward(xor.inputs)).toBe(first);
    expect(model.parameters().map((p) => p.grad.data)).toEqual(grads);
    model.parameters().forEach((p, i) => expect(p.grad.data).toBe(grads[i]));
    expect(zeros).not.toHaveBeenCalled();
    zeros.mockRestore();
  });
});

describe('learning', () => {
  it('XOR 2-4-1 sigmoid, mse, sgd lr 0.5, full batch, seed 42: loss below 0.01', () => {
    const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
    const optimizer = sgdForTests(model.parameters(), { lr: 0.5 });
    let loss = Infinity;
    for (let epoch = 0; epoch < 20000 && loss >= 0.01; epoch++) {
      loss = trainStep(model, xor.inputs, xor.targets, getLoss('mse'), optimizer);
    }
    expect(loss).toBeLessThan(0.01);
    const out = model.forward(xor.inputs).data;
    expect(Array.from(out, (o) => Math.round(o))).toEqual([0, 1, 1, 0]);
  });
});

describe('model JSON', () => {
  it('round-trips bit for bit in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const model = mlp({
        inputs: 3,
        layers: [
          { units: 5, activation: { name: 'leaky-relu', config: { negativeSlope: 0.2 } } },
          { units: 2 },
        ],
        seed: 9,
        dtype,
      });
      const text = JSON.stringify(modelToJSON(model, { loss: 'mse' }));
      const again = modelFromJSON(JSON.parse(text));
      expect(JSON.stringify(modelToJSON(again, { loss: 'mse' }))).toBe(text);
      again.layers.forEach((layer, i) => {
        expect(layer.dtype).toBe(dtype);
        expect(Array.from(layer.weights.data)).toEqual(Array.from(model.layers[i]!.weights.data));
      });
      expect(again.layers[0]!.activation.config).toEqual({ negativeSlope: 0.2 });
    }
  });
});
