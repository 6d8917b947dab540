import { createOptimizer, optimizers } from '@deltaflow/optimizers';
import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { lion } from './index.js';
import { trajectory } from './testing/trajectory.js';

// torch 1.13 has no Lion, so the paper's update (Chen et al. 2023, Algorithm 2) is worked out by hand here on
// the quadratic of the torch reference tests: p0 = [1, -0.5, 0.3], g = a * (p - c), a = [1, 2, 0.5],
// c = [0.2, -1, 2], m0 = 0, and per step
//   c_t = beta1 m + (1 - beta1) g;   p <- p - lr (sign(c_t) + lambda p);   m <- beta2 m + (1 - beta2) g.
const hand = [
  {
    options: { lr: 0.5 }, // beta1 0.9, beta2 0.99, lambda 0
    // t=1: g = [0.8, 1, -0.85]         c = 0.1 g = [0.08, 0.1, -0.085]    -> sign [+, +, -]
    //      p = [0.5, -1, 0.8]          m = 0.01 g = [0.008, 0.01, -0.0085]
    // t=2: g = [0.3, 0, -0.6]          c = 0.9 m + 0.1 g = [0.0372, 0.009, -0.06765] -> [+, +, -]
    //      (coordinate 2 has g = 0 but moves: the momentum decides)
    //      p = [0, -1.5, 1.3]          m = 0.99 m + 0.01 g = [0.01092, 0.0099, -0.014415]
    // t=3: g = [-0.2, -1, -0.35]       c = [-0.010172, -0.09109, -0.0479735] -> [-, -, -]
    //      p = [0.5, -1, 1.8]
    steps: [
      [0.5, -1, 0.8],
      [0, -1.5, 1.3],
      [0.5, -1, 1.8],
    ],
  },
  {
    options: { lr: 0.1, weightDecay: 0.1 },
    // t=1: g = [0.8, 1, -0.85] -> sign [+, +, -];  p = p - 0.1 (sign + 0.1 p) = [0.89, -0.595, 0.397]
    //      m = [0.008, 0.01, -0.0085]
    // t=2: g = [0.69, 0.81, -0.8015];  c = [0.0762, 0.09, -0.0878] -> [+, +, -]
    //      p = [0.89 - 0.1089, -0.595 - 0.09405, 0.397 + 0.09603] = [0.7811, -0.68905, 0.49303]
    //      m = [0.01482, 0.018, -0.01643]
    // t=3: g = [0.5811, 0.6219, -0.753485];  c = [0.071448, 0.07839, -0.0901355] -> [+, +, -]
    //      p = [0.7811 - 0.107811, -0.68905 - 0.0931095, 0.49303 + 0.0950697]
    steps: [
      [0.89, -0.595, 0.397],
      [0.7811, -0.68905, 0.49303],
      [0.673289, -0.7821595, 0.5880997],
    ],
  },
];

describe('lion, against its paper worked out by hand', () => {
  it.each(hand)('$options: the first three updates to 1e-12', ({ options, steps }) => {
    const got = trajectory(lion, options, 3);
    steps.forEach((expected, t) => {
      expected.forEach((value, i) => expect(Math.abs(got[t]![i]! - value)).toBeLessThanOrEqual(1e-12));
    });
  });

  it('refuses bad options, naming them', () => {
    const p = { name: 'p', value: Tensor.zeros([2], 'float64'), grad: Tensor.zeros([2], 'float64') };
    expect(() => createOptimizer(lion, [p], { beta1: 1 })).toThrow(
      "The optimizer 'lion': invalid beta1 = 1; it must be in [0, 1).",
    );
    expect(() => createOptimizer(lion, [p], { weightDecay: -1 })).toThrow(/weightDecay = -1/);
  });

  it('is not registered until the plugin is installed', () => {
    expect(optimizers.has('lion')).toBe(false);
  });
});
