import { Tensor } from '@deltaflow/tensor';
import { expect } from 'vitest';
import { Optimizer } from '../optimizer.js';
import type { OptimizerOptions, OptimizerRule, ParameterState } from '../rule.js';

// The shared test problem: a float64 parameter W of 3 values and E = sum_i a_i/2 (W_i - c_i)^2, so
// dE/dW_i = a_i (W_i - c_i) changes with W at every step.
export const w0 = [1, -0.5, 0.3];
export const a = [1, 2, 0.5];
export const c = [0.2, -1, 2];
export const gradient = (w: number[]): number[] => w.map((wi, i) => a[i]! * (wi - c[i]!));

/** W after each of `steps` updates of `rule`, starting from w0, the gradient recomputed from W each step. */
export function trajectory<O extends OptimizerOptions>(
  rule: OptimizerRule<O, ParameterState>,
  options: Partial<O>,
  steps = 3,
): number[][] {
  const value = Tensor.fromArray(w0, [3], 'float64');
  const grad = Tensor.zeros([3], 'float64');
  const optimizer = new Optimizer(rule, [{ name: 'w', value, grad }], options);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    grad.data.set(gradient(Array.from(value.data)));
    optimizer.step();
    out.push(Array.from(value.data));
  }
  return out;
}

/** Every value of every step within 1e-12. */
export function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, t) =>
    row.forEach((x, i) => expect(Math.abs(x - expected[t]![i]!)).toBeLessThan(1e-12)),
  );
}
