import { toActivation } from '@deltaflow/activations';
import type { ElementwiseActivationSpec } from '@deltaflow/activations';
import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { hardSigmoid, mish, softsign } from './index.js';

const H = 1e-6;

/** Points in [-6, 6] and a few far out, keeping `avoid` (kinks) at least 1e-3 away. */
function points(avoid: number[]): number[] {
  const xs = [-40, -12, 12, 40];
  for (let x = -6; x <= 6; x += 0.173) if (avoid.every((a) => Math.abs(x - a) > 1e-3)) xs.push(x);
  return xs;
}

/** Worst |df - central difference| / max(|df|, |numeric|, 1e-6), in float64. */
function worstError(spec: ElementwiseActivationSpec, avoid: number[] = []): number {
  let worst = 0;
  for (const x of points(avoid)) {
    const numeric = (spec.f(x + H) - spec.f(x - H)) / (2 * H);
    const analytic = spec.df(x, spec.f(x));
    const error = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6);
    worst = Math.max(worst, error);
  }
  return worst;
}

describe('float64 gradient check of each activation: df against (f(x + h) - f(x - h)) / 2h', () => {
  it('mish', () => expect(worstError(mish)).toBeLessThan(1e-7));
  it('softsign (away from the kink of |x| at 0)', () => expect(worstError(softsign, [0])).toBeLessThan(1e-7));
  it('hard-sigmoid (away from the kinks at -3 and 3)', () =>
    expect(worstError(hardSigmoid, [-3, 3])).toBeLessThan(1e-7));
});

describe('as batch activations over float64 tensors', () => {
  it.each([mish, softsign, hardSigmoid])('$name: forward is f, backward is df * dE/dO', (spec) => {
    const activation = toActivation(spec);
    const x = Tensor.fromNested(
      [
        [-2.5, -0.3, 0.4],
        [1.1, 2.9, -4],
      ],
      'float64',
    );
    const y = Tensor.zeros([2, 3], 'float64');
    const dy = Tensor.fromNested(
      [
        [1, -2, 0.5],
        [3, 1, -1],
      ],
      'float64',
    );
    const dx = Tensor.zeros([2, 3], 'float64');
    activation.forward(x, y);
    activation.backward(x, y, dy, dx);
    for (let i = 0; i < x.size; i++) {
      expect(y.data[i]).toBe(spec.f(x.data[i]!));
      expect(dx.data[i]).toBe(spec.df(x.data[i]!, y.data[i]!) * dy.data[i]!);
    }
  });

  it('stay finite far out', () => {
    for (const spec of [mish, softsign, hardSigmoid]) {
      for (const x of [-1e4, -1000, 1000, 1e4]) {
        expect(Number.isFinite(spec.f(x))).toBe(true);
        expect(Number.isFinite(spec.df(x, spec.f(x)))).toBe(true);
      }
    }
    expect(mish.f(1000)).toBe(1000);
    expect(mish.f(-1000)).toBeCloseTo(0, 300);
  });
});
