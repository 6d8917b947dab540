import { assertShape } from '@deltaflow/tensor';
import type { Tensor } from '@deltaflow/tensor';
import type { Activation } from './activation.js';
import { checkBackward } from './elementwise.js';

/**
 * softmax over each row (one sample's outputs): O_j = e^(x_j - m) / sum_k e^(x_k - m), with m the row's largest
 * x, so no e^x overflows. Its backward is the Jacobian-vector product
 * dx_j = O_j (dy_j - sum_k dy_k O_k), which uses only the output O (one pass per row, nothing allocated).
 */
export const softmax: Activation = Object.freeze({
  name: 'softmax',
  config: Object.freeze({}),
  forward(x: Tensor, out: Tensor): void {
    assertShape(
      out.rows === x.rows && out.cols === x.cols,
      () => `softmax.forward: out [${out.shape.join(', ')}] must match x [${x.shape.join(', ')}].`,
    );
    const xs = x.data;
    const os = out.data;
    const cols = x.cols;
    for (let base = 0; base < xs.length; base += cols) {
      const end = base + cols;
      let m = -Infinity;
      for (let i = base; i < end; i++) if (xs[i]! > m) m = xs[i]!;
      let sum = 0;
      for (let i = base; i < end; i++) {
        os[i] = Math.exp(xs[i]! - m);
        sum += os[i]!;
      }
      for (let i = base; i < end; i++) os[i]! /= sum;
    }
  },
  backward(x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): void {
    checkBackward('softmax', x, y, dy, dx);
    assertShape(
      y.cols === x.cols,
      () => `softmax.backward: y [${y.shape.join(', ')}] must have the rows of x [${x.shape.join(', ')}].`,
    );
    const ys = y.data;
    const dys = dy.data;
    const dxs = dx.data;
    const cols = y.cols;
    for (let base = 0; base < ys.length; base += cols) {
      const end = base + cols;
      let dot = 0;
      for (let i = base; i < end; i++) dot += dys[i]! * ys[i]!;
      for (let i = base; i < end; i++) dxs[i] = ys[i]! * (dys[i]! - dot);
    }
  },
});
