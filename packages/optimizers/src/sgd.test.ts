import { DeltaflowError, Random, Tensor, jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';
import type { SgdOptions } from './sgd.js';
import { expectClose, gradient, trajectory as run, w0 } from './testing/quadratic.js';

// A float64 parameter W of 3 values; the gradient is that of E = sum_i a_i/2 (W_i - c_i)^2, so it changes with
// W at every step: dE/dW_i = a_i (W_i - c_i). Expected values follow torch.optim.SGD's documented algorithm,
// worked out here element by element with plain numbers.
const trajectory = (options: Partial<SgdOptions>, steps = 3): number[][] => run(sgd, options, steps);

function expectOptionError(build: () => unknown, option: RegExp): void {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_CONFIG');
    expect((error as DeltaflowError).message).toMatch(option);
    return;
  }
  expect.fail('expected a DeltaflowError');
}

describe('sgd', () => {
  // A float32 layer large enough for the WebAssembly step (f64x2 SIMD) and one under its threshold: every backend
  // gives the TypeScript expression W - eta * g bit for bit (float64 arithmetic, one rounding to float32).
  for (const backend of [jsBackend, loadWasmBackend()!, loadWasmBackend({ threads: 2 })!]) {
    it(`plain, float32: W - eta * g bit for bit on the ${backend.name} backend`, () => {
      const rng = new Random(5);
      const parameters = [5003, 10].map((n, i) => ({
        name: `p${i}`,
        value: Tensor.fromArray(
          Array.from({ length: n }, () => rng.range(-1, 1)),
          [n],
          'float32',
        ),
        grad: Tensor.fromArray(
          Array.from({ length: n }, () => rng.range(-1e-3, 1e-3)),
          [n],
          'float32',
        ),
      }));
      const want = parameters.map((p) => p.value.data.map((w, i) => w - 0.01 * p.grad.data[i]!));
      const previous = setBackend(backend);
      try {
        new Optimizer(sgd, parameters, { lr: 0.01 }).step();
      } finally {
        setBackend(previous);
      }
      parameters.forEach((p, i) => expect(p.value.data).toEqual(want[i]));
    });

    it(`nesterov momentum with weight decay, float32: torch's loop bit for bit on the ${backend.name} backend`, () => {
      const rng = new Random(6);
      const n = 4001;
      const start = Array.from({ length: n }, () => Math.fround(rng.range(-1, 1)));
      const grads = [0, 1].map(() => Float32Array.from({ length: n }, () => rng.range(-1, 1)));
      const options = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true };
      // The algorithm of the rule's TSDoc, on Float32Arrays (each store rounds to float32).
      const want = Float32Array.from(start);
      const b = new Float32Array(n);
      grads.forEach((grad, t) => {
        for (let i = 0; i < n; i++) {
          const g = grad[i]! + 0.01 * want[i]!;
          b[i] = t === 0 ? g : 0.9 * b[i]! + g;
          want[i] = want[i]! - 0.1 * (g + 0.9 * b[i]!);
        }
      });
      const p = {
        name: 'w',
        value: Tensor.fromArray(start, [n], 'float32'),
        grad: Tensor.zeros([n], 'float32'),
      };
      const previous = setBackend(backend);
      try {
        const optimizer = new Optimizer(sgd, [p], options);
        for (const grad of grads) {
          p.grad.data.set(grad);
          optimizer.step();
        }
      } finally {
        setBackend(previous);
      }
      expect(p.value.data).toEqual(want);
    });
  }

  it("has torch's defaults", () => {
    expect(sgd.defaults).toEqual({ lr: 0.001, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false });
  });

  it('plain: W <- W - eta * dE/dW (numbers written out)', () => {
    // eta = 0.1. Step 1: g = (1 * 0.8, 2 * 0.5, 0.5 * -1.7) = (0.8, 1, -0.85); W = (0.92, -0.6, 0.385).
    // Step 2: g = (0.72, 0.8, -0.8075); W = (0.848, -0.68, 0.46575).
    // Step 3: g = (0.648, 0.64, -0.767125); W = (0.7832, -0.744, 0.5424625).
    expectClose(trajectory({ lr: 0.1 }), [
      [0.92, -0.6, 0.385],
      [0.848, -0.68, 0.46575],
      [0.7832, -0.744, 0.5424625],
    ]);
  });

  it('momentum with dampening: b_1 = g_1 (no dampening), then b_t = mu b_(t-1) + (1 - tau) g_t', () => {
    const eta = 0.1;
    const mu = 0.9;
    const tau = 0.3;
    const expected: number[][] = [];
    let w = w0;
    let b: number[] = [];
    for (let t = 1; t <= 3; t++) {
      const g = gradient(w);
      b = t === 1 ? g : g.map((gi, i) => mu * b[i]! + (1 - tau) * gi);
      w = w.map((wi, i) => wi - eta * b[i]!);
      expected.push(w);
    }
    expectClose(trajectory({ lr: eta, momentum: mu, dampening: tau }), expected);
  });

  it('nesterov: g <- g + mu b after updating b', () => {
    const eta = 0.1;
    const mu = 0.9;
    const expected: number[][] = [];
    let w = w0;
    let b: number[] = [];
    for (let t = 1; t <= 3; t++) {
      const g = gradient(w);
      b = t === 1 ? g : g.map((gi, i) => mu * b[i]! + gi);
      const step = g.map((gi, i) => gi + mu * b[i]!);
      w = w.map((wi, i) => wi - eta * step[i]!);
      expected.push(w);
    }
    const actual = trajectory({ lr: eta, momentum: mu, nesterov: true });
    expectClose(actual, expected);
    expect(actual[1]).not.toEqual(trajectory({ lr: eta, momentum: mu })[1]);
  });

  it('weight decay: g <- dE/dW + lambda W before the update', () => {
    const eta = 0.1;
    const lambda = 0.1;
    const expected: number[][] = [];
    let w = w0;
    for (let t = 1; t <= 3; t++) {
      const g = gradient(w).map((gi, i) => gi + lambda * w[i]!);
      w = w.map((wi, i) => wi - eta * g[i]!);
      expected.push(w);
    }
    expectClose(trajectory({ lr: eta, weightDecay: lambda }), expected);
  });

  it('weight decay with momentum enters the momentum buffer', () => {
    const [eta, mu, lambda] = [0.05, 0.5, 0.2];
    const expected: number[][] = [];
    let w = w0;
    let b: number[] = [];
    for (let t = 1; t <= 3; t++) {
      const g = gradient(w).map((gi, i) => gi + lambda * w[i]!);
      b = t === 1 ? g : g.map((gi, i) => mu * b[i]! + gi);
      w = w.map((wi, i) => wi - eta * b[i]!);
      expected.push(w);
    }
    expectClose(trajectory({ lr: eta, momentum: mu, weightDecay: lambda }), expected);
  });

  it('refuses options torch refuses, naming them', () => {
    const params = [{ name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([2]) }];
    expectOptionError(() => new Optimizer(sgd, params, { lr: -0.1 }), /lr/);
    expectOptionError(() => new Optimizer(sgd, params, { momentum: -0.5 }), /momentum/);
    expectOptionError(() => new Optimizer(sgd, params, { weightDecay: -1 }), /weightDecay/);
    expectOptionError(() => new Optimizer(sgd, params, { nesterov: true }), /nesterov/);
    expectOptionError(
      () => new Optimizer(sgd, params, { nesterov: true, momentum: 0.9, dampening: 0.1 }),
      /nesterov.*dampening/,
    );
  });

  it('keeps no momentum buffer without momentum', () => {
    expect(sgd.init(5, { ...sgd.defaults }, 'float32').momentumBuffer.length).toBe(0);
    expect(sgd.init(5, { ...sgd.defaults, momentum: 0.9 }, 'float32').momentumBuffer).toBeInstanceOf(
      Float32Array,
    );
  });
});
