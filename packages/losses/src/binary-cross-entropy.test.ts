import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { fusedGradientError, lossGradientError, rng, sigmoidInto, uniformBatch } from './testing/support.js';

const f64 = (rows: number[][]): Tensor => Tensor.fromNested(rows, 'float64');
const bce = binaryCrossEntropy();

describe('binary-cross-entropy', () => {
  it('is -sum_k [t log O + (1 - t) log(1 - O)], averaged over the batch', () => {
    const E = bce.forward(
      f64([
        [0.8, 0.3],
        [0.5, 0.5],
      ]),
      f64([
        [1, 0],
        [1, 1],
      ]),
    );
    expect(E).toBeCloseTo((-(Math.log(0.8) + Math.log(0.7)) - 2 * Math.log(0.5)) / 2, 15);
  });

  it('matches PyTorch, value and gradient', () => {
    const O = f64([
      [0.2, 0.7, 0.95],
      [0.5, 0.01, 0.4],
    ]);
    const t = f64([
      [0, 1, 1],
      [0.3, 0, 1],
    ]);
    const grad = Tensor.zeros([2, 3], 'float64');
    // torch.nn.BCELoss(reduction='sum')(O, t) / B, float64; grad by autograd
    expect(bce.forward(O, t)).toBeCloseTo(1.1253000189640472, 14);
    bce.backward(O, t, grad);
    const torchGrad = [0.625, -0.7142857142857143, -0.5263157894736842, 0.4, 0.505050505050505, -1.25];
    expect(Array.from(grad.data)).toEqual(torchGrad.map((g) => expect.closeTo(g, 14)));
  });

  it('stays finite at O = 0 and O = 1, flooring each log at -100 as PyTorch does', () => {
    const O = f64([
      [0, 1],
      [1, 0],
    ]);
    const t = f64([
      [0, 1],
      [0, 1],
    ]);
    const grad = Tensor.zeros([2, 2], 'float64');
    // torch.nn.BCELoss(reduction='sum')(O, t) / B = 100.0; grads [0, 0, 500000001997.9014, -500000001997.9014]
    expect(bce.forward(O, t)).toBe(100);
    bce.backward(O, t, grad);
    expect(Array.from(grad.data)).toEqual(
      [0, 0, 500000001997.9014, -500000001997.9014].map((g) => expect.closeTo(g, 3)),
    );
  });

  it('passes a float64 central-difference gradient check', () => {
    const r = rng(4);
    const O = uniformBatch(r, 3, 4, 0.05, 0.95);
    const t = uniformBatch(r, 3, 4, 0, 1);
    expect(lossGradientError(bce, O, t)).toBeLessThan(1e-6);
  });

  describe('fused with sigmoid', () => {
    const fused = bce.fused!;

    it('pairs with sigmoid', () => {
      expect(fused.activation).toBe('sigmoid');
    });

    it('matches PyTorch BCEWithLogitsLoss, value and gradient', () => {
      const x = f64([
        [-1.5, 0.3, 4.0],
        [0.0, -20, 2.5],
      ]);
      const t = f64([
        [0, 1, 1],
        [0.3, 0, 1],
      ]);
      const O = Tensor.zeros([2, 3], 'float64');
      sigmoidInto(x, O);
      const gradX = Tensor.zeros([2, 3], 'float64');
      // torch.nn.BCEWithLogitsLoss(reduction='sum')(x, t) / B, float64; grad by autograd
      expect(fused.forward(x, O, t)).toBeCloseTo(0.7729776836413689, 14);
      fused.backward(x, O, t, gradX);
      const torchGrad = [
        0.09121276190317817, -0.21277874159417048, -0.008993104981045774, 0.1, 1.0305768090951019e-9,
        -0.037929090010621724,
      ];
      expect(Array.from(gradX.data)).toEqual(torchGrad.map((g) => expect.closeTo(g, 14)));
      // and agrees with the unfused loss on O = sigmoid(x)
      expect(fused.forward(x, O, t)).toBeCloseTo(bce.forward(O, t), 12);
    });

    it('is finite for logits far beyond where sigmoid saturates', () => {
      const x = f64([[1000, -1000]]);
      const O = Tensor.zeros([1, 2], 'float64');
      sigmoidInto(x, O); // exactly [1, 0]
      // torch.nn.BCEWithLogitsLoss(reduction='sum')(x, [[0, 1]]) = 2000.0
      expect(fused.forward(x, O, f64([[0, 1]]))).toBe(2000);
      expect(fused.forward(x, O, f64([[1, 0]]))).toBe(0);
    });

    it('passes a float64 central-difference gradient check in the logits', () => {
      const r = rng(5);
      const x = uniformBatch(r, 3, 4, -3, 3);
      const t = uniformBatch(r, 3, 4, 0, 1);
      expect(fusedGradientError(bce, sigmoidInto, x, t)).toBeLessThan(1e-6);
    });

    it('refuses logits of another shape', () => {
      const O = Tensor.zeros([2, 3]);
      expect(() => fused.forward(Tensor.zeros([3, 2]), O, O)).toThrow(
        /x \[3, 2\] must have the output's shape/,
      );
      expect(() => fused.backward(O, O, O, Tensor.zeros([6]))).toThrow(
        /gradX \[6\] must have the output's shape/,
      );
    });
  });
});
