import { Optimizer } from '@deltaflow/optimizers';
import type { OptimizerOptions, OptimizerRule, ParameterState } from '@deltaflow/optimizers';
import { Tensor } from '@deltaflow/tensor';

// Test support (not built into dist): the quadratic the reference trajectories are computed on.

/** a and c of E = sum_i a_i/2 (p_i - c_i)^2, whose gradient is g_i = a_i (p_i - c_i). */
export const A = [1, 2, 0.5];
export const C = [0.2, -1, 2];
/** The starting point p0. */
export const P0 = [1, -0.5, 0.3];

/**
 * Runs `rule` with `options` for `steps` steps from p0 over E, in float64, recomputing g from p before every
 * step as autograd does, and returns p after each step.
 */
export function trajectory<O extends OptimizerOptions, S extends ParameterState>(
  rule: OptimizerRule<O, S>,
  options: Partial<O>,
  steps: number,
): number[][] {
  const p = { name: 'p', value: Tensor.fromArray(P0, [3], 'float64'), grad: Tensor.zeros([3], 'float64') };
  const optimizer = new Optimizer(rule, [p], options);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    optimizer.zeroGrad();
    for (let i = 0; i < 3; i++) p.grad.data[i] = A[i]! * (p.value.data[i]! - C[i]!);
    optimizer.step();
    out.push([...p.value.data]);
  }
  return out;
}
