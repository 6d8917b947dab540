import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './cross-entropy.js';
import {
  fusedGradientError,
  lossGradientError,
  normalizeRows,
  oneHot,
  rng,
  softmaxInto,
  uniformBatch,
} from './testing/support.js';

const f64 = (rows: number[][]): Tensor => Tensor.fromNested(rows, 'float64');
const ce = crossEntropy();
const logits = f64([
  [2.0, 1.0, 0.1],
  [0.5, -1.0, 3.0],
]);
const soft = f64([
  [0.7, 0.2, 0.1],
  [0.1, 0.3, 0.6],
]);

function softmax(x: Tensor): Tensor {
  const O = Tensor.zeros(x.shape, 'float64');
  softmaxInto(x, O);
  return O;
}

describe('cross-entropy', () => {
  it('is -sum_k t_k log O_k, averaged over the batch', () => {
    const E = ce.forward(
      f64([
        [0.7, 0.2, 0.1],
        [0.25, 0.25, 0.5],
      ]),
      f64([
        [1, 0, 0],
        [0, 0.5, 0.5],
      ]),
    );
    expect(E).toBeCloseTo((-Math.log(0.7) - 0.5 * Math.log(0.25) - 0.5 * Math.log(0.5)) / 2, 15);
  });

  it('matches PyTorch on probabilities, value and gradient', () => {
    const O = softmax(logits);
    const grad = Tensor.zeros([2, 3], 'float64');
    // -(t * torch.log(O)).sum() / B with O = torch.softmax(x, 1), float64; grad in O by autograd
    expect(ce.forward(O, soft)).toBeCloseTo(1.176352172846108, 14);
    ce.backward(O, soft, grad);
    const torchGrad = [
      -0.5311068211379271, -0.41248514881996445, -0.5072748776718109, -0.6702812060425951, -9.011975865522345,
      -0.3301201912537899,
    ];
    expect(Array.from(grad.data)).toEqual(torchGrad.map((g) => expect.closeTo(g, 13)));
  });

  it('stays finite when an output is 0', () => {
    expect(ce.forward(f64([[0, 1]]), f64([[1, 0]]))).toBe(100);
    expect(ce.forward(f64([[0, 1]]), f64([[0, 1]]))).toBe(0);
  });

  it('passes a float64 central-difference gradient check, one-hot and soft targets', () => {
    const r = rng(6);
    const O = normalizeRows(uniformBatch(r, 3, 4, 0.1, 1));
    expect(lossGradientError(ce, O, oneHot(r, 3, 4))).toBeLessThan(1e-6);
    expect(lossGradientError(ce, O, normalizeRows(uniformBatch(r, 3, 4, 0, 1)))).toBeLessThan(1e-6);
  });

  describe('fused with softmax', () => {
    const fused = ce.fused!;

    it('pairs with softmax', () => {
      expect(fused.activation).toBe('softmax');
    });

    it('matches PyTorch CrossEntropyLoss on logits, class and probability targets', () => {
      const O = softmax(logits);
      const gradX = Tensor.zeros([2, 3], 'float64');
      // torch.nn.CrossEntropyLoss(reduction='sum')(x, torch.tensor([0, 2])) / B, float64; grad by autograd
      const classes = f64([
        [1, 0, 0],
        [0, 0, 1],
      ]);
      expect(fused.forward(logits, O, classes)).toBeCloseTo(0.2563521728461079, 14);
      fused.backward(logits, O, classes, gradX);
      const classGrad = [
        -0.17049943055701605, 0.12121648535235695, 0.0492829452046591, 0.03729777856610721,
        0.008322259304636172, -0.04562003787074337,
      ];
      expect(Array.from(gradX.data)).toEqual(classGrad.map((g) => expect.closeTo(g, 14)));
      // torch.nn.CrossEntropyLoss(reduction='sum')(x, soft) / B
      expect(fused.forward(logits, O, soft)).toBeCloseTo(1.176352172846108, 14);
      fused.backward(logits, O, soft, gradX);
      const softGrad = [
        -0.020499430557016068, 0.02121648535235693, -0.0007170547953409114, -0.01270222143389279,
        -0.14167774069536382, 0.15437996212925664,
      ];
      expect(Array.from(gradX.data)).toEqual(softGrad.map((g) => expect.closeTo(g, 14)));
      expect(fused.forward(logits, O, soft)).toBeCloseTo(ce.forward(O, soft), 13);
    });

    it('is finite and exact for logits [1000, -1000] and [-1000, 1000]', () => {
      const x = f64([
        [1000, -1000],
        [-1000, 1000],
      ]);
      const O = softmax(x); // [[1, 0], [0, 1]]: log O would be -Infinity
      // torch.nn.functional.cross_entropy(x[0:1], [0]) = 0.0 and (x[0:1], [1]) = 2000.0
      expect(
        fused.forward(
          x,
          O,
          f64([
            [1, 0],
            [0, 1],
          ]),
        ),
      ).toBe(0);
      expect(
        fused.forward(
          x,
          O,
          f64([
            [0, 1],
            [1, 0],
          ]),
        ),
      ).toBe(2000);
      // torch.nn.functional.cross_entropy(x, [[1., 0.], [1., 0.]], reduction='sum') / 2 = 1000.0
      expect(
        fused.forward(
          x,
          O,
          f64([
            [1, 0],
            [1, 0],
          ]),
        ),
      ).toBe(1000);
      const gradX = Tensor.zeros([2, 2], 'float64');
      fused.backward(
        x,
        O,
        f64([
          [0, 1],
          [1, 0],
        ]),
        gradX,
      );
      expect(gradX.toNested()).toEqual([
        [0.5, -0.5],
        [-0.5, 0.5],
      ]);
    });

    it('passes a float64 central-difference gradient check in the logits, one-hot and soft targets', () => {
      const r = rng(7);
      const x = uniformBatch(r, 3, 4, -3, 3);
      expect(fusedGradientError(ce, softmaxInto, x, oneHot(r, 3, 4))).toBeLessThan(1e-6);
      const t = normalizeRows(uniformBatch(r, 3, 4, 0, 1));
      expect(fusedGradientError(ce, softmaxInto, x, t)).toBeLessThan(1e-6);
    });

    it('gives the exact gradient O sum_k t_k - t when the targets do not sum to 1', () => {
      const r = rng(8);
      const x = uniformBatch(r, 3, 4, -3, 3);
      expect(fusedGradientError(ce, softmaxInto, x, uniformBatch(r, 3, 4, 0, 1))).toBeLessThan(1e-6);
    });
  });
});
