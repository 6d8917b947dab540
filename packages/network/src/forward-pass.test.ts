import { getLoss } from '@deltaflow/losses';
import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it, vi } from 'vitest';
import { mlp } from './sequential.js';
import type { Sequential } from './sequential.js';

function randomBatch(rng: Random, rows: number, cols: number): Tensor {
  const t = Tensor.zeros([rows, cols], 'float64');
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(-1, 1);
  return t;
}

const grads = (model: Sequential): number[][] => model.parameters().map((p) => Array.from(p.grad.data));

describe('explicit forward state', () => {
  const rng = new Random(3);
  const inputs = randomBatch(rng, 4, 3);
  const targets = randomBatch(rng, 4, 2);
  const other = randomBatch(rng, 4, 3); // an inference batch of the same size: the same buffer shapes
  const otherSize = randomBatch(rng, 7, 3);
  const spec = {
    inputs: 3,
    layers: [
      { units: 5, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    seed: 9,
    dtype: 'float64' as const,
  };

  for (const lossName of ['mse', 'binary-cross-entropy'] as const) {
    it(`an inference between forward and backward changes neither E nor the gradients (${lossName})`, () => {
      const loss = getLoss(lossName);
      const reference = mlp(spec);
      const refPass = reference.createPass();
      reference.zeroGrad();
      reference.forward(inputs, refPass);
      const refLoss = reference.loss(refPass, targets, loss);
      reference.backwardLoss(refPass, targets, loss);

      const model = mlp(spec);
      const pass = model.createPass();
      model.zeroGrad();
      model.forward(inputs, pass);
      const inferred = Array.from(model.forward(other).data); // inferences of the same and another size
      model.forward(otherSize);
      expect(model.loss(pass, targets, loss)).toBe(refLoss);
      model.forward(other);
      model.backwardLoss(pass, targets, loss);
      expect(grads(model)).toEqual(grads(reference));
      expect(Array.from(pass.output.data)).not.toEqual(inferred);
    });
  }

  it('a second training pass does not disturb the first (e.g. a validation forward)', () => {
    const loss = getLoss('mse');
    const reference = mlp(spec);
    const refPass = reference.createPass();
    reference.zeroGrad();
    reference.forward(inputs, refPass);
    reference.backwardLoss(refPass, targets, loss);

    const model = mlp(spec);
    const train = model.createPass();
    const validation = model.createPass();
    model.zeroGrad();
    model.forward(inputs, train);
    model.forward(other, validation);
    model.backwardLoss(train, targets, loss);
    expect(grads(model)).toEqual(grads(reference));
  });

  it('refuses backward on an empty pass, or a pass of another model, with E_STATE', () => {
    const model = mlp(spec);
    const loss = getLoss('mse');
    expect(() => model.backwardLoss(model.createPass(), targets, loss)).toThrow(
      expect.objectContaining({ code: 'E_STATE', message: expect.stringMatching(/run model.forward/) }),
    );
    expect(() => model.loss(model.createPass(), targets, loss)).toThrow(/pass is empty/);
    const stranger = mlp(spec).createPass();
    expect(() => model.forward(inputs, stranger)).toThrow(
      expect.objectContaining({ code: 'E_STATE', message: expect.stringMatching(/another model/) }),
    );
    expect(() => model.layers[0]!.backward(model.layers[0]!.createPass(4), targets)).toThrow(/no forward/);
  });

  it('one pass serves every batch size and allocates nothing once each size was seen', () => {
    const model = mlp(spec);
    const pass = model.createPass();
    const loss = getLoss('mse');
    const step = (x: Tensor, t: Tensor): void => {
      model.zeroGrad();
      model.forward(x, pass);
      model.forward(other); // an inference in the middle
      model.backwardLoss(pass, t, loss);
    };
    const small = randomBatch(rng, 3, 3);
    const smallTargets = randomBatch(rng, 3, 2);
    step(inputs, targets);
    step(small, smallTargets);
    const zeros = vi.spyOn(Tensor, 'zeros');
    for (let i = 0; i < 3; i++) {
      step(inputs, targets);
      step(small, smallTargets);
    }
    expect(zeros).not.toHaveBeenCalled();
    zeros.mockRestore();
    expect(pass.output.rows).toBe(3);
  });
});
