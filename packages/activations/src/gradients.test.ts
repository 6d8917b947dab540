import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import type { Activation } from './activation.js';
import type { ActivationIdentifier } from './index.js';
import { getActivation } from './index.js';

const H = 1e-5;

/**
 * The analytic dE/dx of `activation` against central differences of L(x) = sum_k dy_k f(x)_k, in float64:
 * dL/dx_i ~ (L(x + h e_i) - L(x - h e_i)) / 2h. The difference of L is summed from the differences of the
 * outputs, so the outputs that do not move contribute exactly 0.
 *
 * @returns the worst relative error, |analytic - numeric| / max(|analytic|, |numeric|, 1e-3)
 */
function worstGradientError(activation: Activation, x: Tensor, dy: Tensor): number {
  const y = Tensor.zeros(x.shape, 'float64');
  const dx = Tensor.zeros(x.shape, 'float64');
  activation.forward(x, y);
  activation.backward(x, y, dy, dx);
  const plus = Tensor.zeros(x.shape, 'float64');
  const minus = Tensor.zeros(x.shape, 'float64');
  let worst = 0;
  for (let i = 0; i < x.size; i++) {
    const saved = x.data[i]!;
    x.data[i] = saved + H;
    activation.forward(x, plus);
    x.data[i] = saved - H;
    activation.forward(x, minus);
    x.data[i] = saved;
    let diff = 0;
    for (let k = 0; k < x.size; k++) diff += dy.data[k]! * (plus.data[k]! - minus.data[k]!);
    const numeric = diff / (2 * H);
    const analytic = dx.data[i]!;
    const error = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-3);
    worst = Math.max(worst, error);
  }
  return worst;
}

/** A [4, 6] float64 batch of x in [-4, 4], keeping `avoid` points at least 0.05 away (kinks). */
function randomBatch(rng: Random, avoid: number[], extra: number[] = []): Tensor {
  const values = Array.from({ length: 24 - extra.length }, () => {
    let v = rng.range(-4, 4);
    while (avoid.some((a) => Math.abs(v - a) < 0.05)) v = rng.range(-4, 4);
    return v;
  });
  return Tensor.fromArray(Float64Array.from([...values, ...extra]), [4, 6]);
}

const cases: { id: ActivationIdentifier; avoid?: number[]; extra?: number[] }[] = [
  { id: 'sigmoid', extra: [-10, 10, 0] },
  { id: 'tanh', extra: [-6, 6, 0] },
  { id: 'relu', avoid: [0] },
  { id: 'leaky-relu', avoid: [0] },
  { id: { name: 'leaky-relu', config: { negativeSlope: 0.2 } }, avoid: [0] },
  { id: 'elu', avoid: [0], extra: [-12] },
  { id: { name: 'elu', config: { alpha: 0.5 } }, avoid: [0] },
  { id: 'softplus', extra: [-30, 25, 19.5] },
  { id: { name: 'softplus', config: { beta: 2, threshold: 3 } }, avoid: [1.5], extra: [1.4, 1.6] },
  { id: 'gelu', extra: [-7, 7, 0] },
  { id: { name: 'gelu', config: { approximate: 'tanh' } }, extra: [-7, 7, 0] },
  { id: 'swish', extra: [-12, 12, 0] },
  { id: 'softmax' },
  { id: 'linear' },
  {
    id: { name: 'softsign', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2 },
    avoid: [0],
  },
];

describe('central-difference gradient check (float64)', () => {
  const rng = new Random(2024);
  for (const { id, avoid = [], extra = [] } of cases) {
    const activation = getActivation(id);
    const label = `${activation.name} ${JSON.stringify(activation.config)}`;
    it(`${label}: backward matches (L(x+h) - L(x-h)) / 2h to 1e-6`, () => {
      for (let trial = 0; trial < 3; trial++) {
        const x = randomBatch(rng, avoid, extra);
        const dy = Tensor.fromArray(
          Float64Array.from({ length: 24 }, () => rng.range(-1, 1)),
          [4, 6],
        );
        expect(worstGradientError(activation, x, dy)).toBeLessThan(1e-6);
      }
    });
  }

  it('softmax couples a row: changing one x moves every output of its row', () => {
    const x = Tensor.fromNested([[0.5, -1, 2]], 'float64');
    const dy = Tensor.fromNested([[1, 0, 0]], 'float64');
    const dx = Tensor.zeros([1, 3], 'float64');
    const y = Tensor.zeros([1, 3], 'float64');
    const softmax = getActivation('softmax');
    softmax.forward(x, y);
    softmax.backward(x, y, dy, dx);
    expect(dx.get(0, 1)).toBeLessThan(0);
    expect(dx.get(0, 2)).toBeLessThan(0);
    expect(worstGradientError(softmax, x, dy)).toBeLessThan(1e-6);
  });
});
