import { getLoss } from '@deltaflow/losses';
import { Random, Tensor, getBackend, jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { mlp } from './sequential.js';
import { trainStep } from './train-step.js';
import { sgdForTests } from './testing/sgd.js';

/** Runs `steps` training steps of a float32 MLP large enough for the WebAssembly gemm, on one backend. */
function train(
  backend: Backend,
  spec: { sizes: number[]; hidden: string; output: string; loss: string; momentum?: number },
  steps: number,
) {
  const previous = setBackend(backend);
  try {
    const rng = new Random(3);
    const batch = 24;
    const inputs = Tensor.zeros([batch, spec.sizes[0]!]);
    for (let i = 0; i < inputs.size; i++) inputs.data[i] = rng.range(-1, 1);
    const targets = Tensor.zeros([batch, spec.sizes[spec.sizes.length - 1]!]);
    for (let i = 0; i < batch; i++) targets.set(1, i, rng.int(targets.cols));
    const model = mlp({
      inputs: spec.sizes[0]!,
      layers: spec.sizes.slice(1).map((units, i) => ({
        units,
        activation: i === spec.sizes.length - 2 ? spec.output : spec.hidden,
        biasInit: 'uniform' as const,
      })),
      seed: 17,
    });
    const optimizer = sgdForTests(model.parameters(), { lr: 0.1, momentum: spec.momentum ?? 0.9 });
    const losses: number[] = [];
    for (let s = 0; s < steps; s++)
      losses.push(trainStep(model, inputs, targets, getLoss(spec.loss), optimizer));
    return { losses, model };
  } finally {
    setBackend(previous);
  }
}

const wasm = loadWasmBackend();

describe('whole training steps agree on every backend', () => {
  const cases = [
    { sizes: [70, 48, 33, 10], hidden: 'relu', output: 'softmax', loss: 'cross-entropy' },
    { sizes: [37, 64, 5], hidden: 'sigmoid', output: 'sigmoid', loss: 'mse' },
    // W2's shape at half width, plain sgd: the backend's sgd step (WebAssembly f64x2 for the 784 x 64 weights).
    { sizes: [784, 64, 10], hidden: 'sigmoid', output: 'sigmoid', loss: 'mse', momentum: 0 },
  ];
  for (const spec of cases) {
    it(`${spec.sizes.join('-')} ${spec.hidden}/${spec.output} ${spec.loss}: losses and weights of 20 steps`, () => {
      expect(wasm, 'WebAssembly SIMD in this Node').not.toBeNull();
      const js = train(jsBackend, spec, 20);
      const viaWasm = train(wasm!, spec, 20);
      expect(js.losses[19]!).toBeLessThan(js.losses[0]!);
      js.losses.forEach((loss, i) => expect(viaWasm.losses[i]!).toBeCloseTo(loss, 4));
      js.model.layers.forEach((layer, l) => {
        const other = viaWasm.model.layers[l]!;
        for (let i = 0; i < layer.weights.size; i++) {
          expect(Math.abs(other.weights.data[i]! - layer.weights.data[i]!)).toBeLessThan(1e-4);
        }
        for (let j = 0; j < layer.bias.size; j++) {
          expect(Math.abs(other.bias.data[j]! - layer.bias.data[j]!)).toBeLessThan(1e-4);
        }
      });
    });
  }

  it('leaves the chosen backend in place afterwards', () => {
    const before = getBackend();
    train(jsBackend, cases[1]!, 1);
    expect(getBackend()).toBe(before);
  });
});
