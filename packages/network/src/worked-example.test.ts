/**
 * The worked example of the lecture notes (docs/guides/the-math.md; a 2-2-2 sigmoid network, one sample,
 * E = 1/2 sum (O_k - t_k)^2, eta = 0.5), computed by hand below from the lecture notes' formulas and compared with the library.
 */
import { getLoss } from '@deltaflow/losses';
import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { modelFromJSON } from './model-json.js';
import type { ModelJSON } from './model-json.js';
import { trainStep } from './train-step.js';
import { sgdForTests } from './testing/sgd.js';

const s = (x: number): number => 1 / (1 + Math.exp(-x));
const eta = 0.5;
const [i1, i2] = [0.05, 0.1];
const [t1, t2] = [0.01, 0.99];
// w1..w4: i1->h1, i2->h1, i1->h2, i2->h2; w5..w8: h1->o1, h2->o1, h1->o2, h2->o2
const [w1, w2, w3, w4, b1] = [0.15, 0.2, 0.25, 0.3, 0.35];
const [w5, w6, w7, w8, b2] = [0.4, 0.45, 0.5, 0.55, 0.6];

// Forward pass, node by node.
const outH1 = s(w1 * i1 + w2 * i2 + b1);
const outH2 = s(w3 * i1 + w4 * i2 + b1);
const outO1 = s(w5 * outH1 + w6 * outH2 + b2);
const outO2 = s(w7 * outH1 + w8 * outH2 + b2);
const E = 0.5 * ((outO1 - t1) ** 2 + (outO2 - t2) ** 2);
// Output deltas: delta_k = (O_k - t_k) O_k (1 - O_k).
const dO1 = (outO1 - t1) * outO1 * (1 - outO1);
const dO2 = (outO2 - t2) * outO2 * (1 - outO2);
// Hidden deltas: delta_j = O_j (1 - O_j) sum_k delta_k W_jk (with the weights before the update).
const dH1 = outH1 * (1 - outH1) * (dO1 * w5 + dO2 * w7);
const dH2 = outH2 * (1 - outH2) * (dO1 * w6 + dO2 * w8);
// Updates: W_xy <- W_xy - eta delta_y O_x, theta <- theta - eta delta.
const expected = {
  hiddenWeights: [
    [w1 - eta * dH1 * i1, w3 - eta * dH2 * i1],
    [w2 - eta * dH1 * i2, w4 - eta * dH2 * i2],
  ],
  hiddenBias: [b1 - eta * dH1, b1 - eta * dH2],
  outputWeights: [
    [w5 - eta * dO1 * outH1, w7 - eta * dO2 * outH1],
    [w6 - eta * dO1 * outH2, w8 - eta * dO2 * outH2],
  ],
  outputBias: [b2 - eta * dO1, b2 - eta * dO2],
};

/** The example as a model file: weights[i][j] is W_ij, from node i to node j. */
const workedExampleModel: ModelJSON = {
  format: 'deltaflow-model',
  version: 1,
  dtype: 'float64',
  layers: [
    {
      type: 'dense',
      inputs: 2,
      units: 2,
      activation: 'sigmoid',
      weights: [
        [w1, w3],
        [w2, w4],
      ],
      bias: [b1, b1],
    },
    {
      type: 'dense',
      inputs: 2,
      units: 2,
      activation: 'sigmoid',
      weights: [
        [w5, w7],
        [w6, w8],
      ],
      bias: [b2, b2],
    },
  ],
};

function expectAll(actual: ArrayLike<number>, wanted: number[], digits = 1e-8): void {
  expect(actual.length).toBe(wanted.length);
  wanted.forEach((w, i) => expect(Math.abs(actual[i]! - w)).toBeLessThan(digits));
}

describe('the worked example of the lecture notes', () => {
  const input = Tensor.fromNested([[i1, i2]], 'float64');
  const target = Tensor.fromNested([[t1, t2]], 'float64');

  it('the hand computation reproduces the published numbers', () => {
    expect(outH1).toBeCloseTo(0.593269992, 9);
    expect(outO1).toBeCloseTo(0.75136507, 8);
    expect(outO2).toBeCloseTo(0.772928465, 9);
    expect(E).toBeCloseTo(0.298371109, 9);
    expect(expected.outputWeights[0]![0]).toBeCloseTo(0.35891648, 8);
    expect(expected.hiddenWeights[0]![0]).toBeCloseTo(0.149780716, 9);
  });

  it('runs forward to the same outputs and E', () => {
    const model = modelFromJSON(workedExampleModel);
    const pass = model.createPass();
    const output = model.forward(input, pass);
    expectAll(output.data, [outO1, outO2]);
    expectAll(pass.layers[0]!.output.data, [outH1, outH2]);
    expect(Math.abs(model.loss(pass, target, getLoss('mse')) - E)).toBeLessThan(1e-8);
  });

  it('backpropagates the deltas of the seed into dE/dW and dE/dtheta', () => {
    const model = modelFromJSON(workedExampleModel);
    const pass = model.createPass();
    model.zeroGrad();
    model.forward(input, pass);
    model.backwardLoss(pass, target, getLoss('mse'));
    const [hidden, output] = model.layers;
    expectAll(output!.weightGrad.data, [dO1 * outH1, dO2 * outH1, dO1 * outH2, dO2 * outH2], 1e-12);
    expectAll(output!.biasGrad.data, [dO1, dO2], 1e-12);
    expectAll(hidden!.weightGrad.data, [dH1 * i1, dH2 * i1, dH1 * i2, dH2 * i2], 1e-12);
    expectAll(hidden!.biasGrad.data, [dH1, dH2], 1e-12);
  });

  it('one SGD step with eta = 0.5 gives all 8 weights and 4 biases', () => {
    const model = modelFromJSON(workedExampleModel);
    const optimizer = sgdForTests(model.parameters(), { lr: eta });
    const error = trainStep(model, input, target, getLoss('mse'), optimizer);
    expect(Math.abs(error - E)).toBeLessThan(1e-8);
    const [hidden, output] = model.layers;
    expectAll(hidden!.weights.data, expected.hiddenWeights.flat());
    expectAll(hidden!.bias.data, expected.hiddenBias);
    expectAll(output!.weights.data, expected.outputWeights.flat());
    expectAll(output!.bias.data, expected.outputBias);
  });
});
