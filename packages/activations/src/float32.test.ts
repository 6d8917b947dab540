import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import type { ActivationIdentifier } from './index.js';
import { activations, getActivation } from './index.js';

function randomTensor(rng: Random, shape: [number, number], dtype: 'float32' | 'float64'): Tensor {
  const t = Tensor.zeros(shape, dtype);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(-5, 5);
  return t;
}

describe('float32 tensors', () => {
  const variants: ActivationIdentifier[] = [
    ...activations.names(),
    { name: 'gelu', config: { approximate: 'tanh' } },
    { name: 'leaky-relu', config: { negativeSlope: 0.2 } },
  ];
  for (const id of variants) {
    const a = getActivation(id);
    it(`${a.name} ${JSON.stringify(a.config)}: forward and backward into Float32Array agree with float64`, () => {
      const rng = new Random(11);
      const x64 = randomTensor(rng, [3, 5], 'float64');
      for (let i = 0; i < x64.size; i++) x64.data[i] = Math.fround(x64.data[i]!);
      const dy64 = randomTensor(rng, [3, 5], 'float64');
      for (let i = 0; i < dy64.size; i++) dy64.data[i] = Math.fround(dy64.data[i]!);
      const [x32, dy32] = [x64.clone('float32'), dy64.clone('float32')];
      const [y64, dx64] = [Tensor.zeros([3, 5], 'float64'), Tensor.zeros([3, 5], 'float64')];
      const [y32, dx32] = [Tensor.zeros([3, 5], 'float32'), Tensor.zeros([3, 5], 'float32')];
      a.forward(x64, y64);
      a.backward(x64, y64, dy64, dx64);
      a.forward(x32, y32);
      a.backward(x32, y32, dy32, dx32);
      expect(y32.data).toBeInstanceOf(Float32Array);
      expect(dx32.data).toBeInstanceOf(Float32Array);
      for (let i = 0; i < x64.size; i++) {
        expect(Math.abs(y32.data[i]! - y64.data[i]!)).toBeLessThanOrEqual(
          1e-6 * Math.max(1, Math.abs(y64.data[i]!)),
        );
        expect(Math.abs(dx32.data[i]! - dx64.data[i]!)).toBeLessThanOrEqual(
          1e-6 * Math.max(1, Math.abs(dx64.data[i]!)),
        );
      }
    });
  }
});
