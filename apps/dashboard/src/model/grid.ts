import type { ForwardPass, Sequential } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import type { Extent, GridSnapshot } from '../shared/feed.js';

/**
 * Evaluates a 2-input network over a `size` x `size` grid of the input plane: the heatmap (the output layer)
 * and every neuron's thumbnail (the hidden layers) in one forward pass. The grid batch is made once per
 * extent. Its forward pass has a {@link ForwardPass} of its own, made once per model, so sampling never touches
 * a training pass.
 *
 * @example
 * ```ts
 * const sampler = new GridSampler(40);
 * const grid = sampler.sample(model, [-6, 6, -6, 6]);
 * ```
 * @category Model
 */
export class GridSampler {
  private input: Tensor | null = null;
  private key = '';
  private pass: ForwardPass | null = null;

  /** @param size - points per side */
  constructor(readonly size: number) {}

  /** The grid batch for `extent`: row r (top to bottom, y descending), column c (x ascending), cell centres. */
  private batch(extent: Extent, dtype: DType): Tensor {
    const key = `${extent.join(',')}:${dtype}`;
    if (this.input && this.key === key) return this.input;
    const n = this.size;
    const [x0, x1, y0, y1] = extent;
    const data = dtype === 'float64' ? new Float64Array(n * n * 2) : new Float32Array(n * n * 2);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const i = (r * n + c) * 2;
        data[i] = x0 + ((c + 0.5) / n) * (x1 - x0);
        data[i + 1] = y1 - ((r + 0.5) / n) * (y1 - y0);
      }
    }
    this.input = new Tensor(data, [n * n, 2]);
    this.key = key;
    return this.input;
  }

  /** Runs `model` on the grid and copies every layer's outputs O_j. */
  sample(model: Sequential, extent: Extent): GridSnapshot {
    if (this.pass?.model !== model) this.pass = model.createPass();
    const pass = this.pass;
    model.forward(this.batch(extent, model.dtype), pass);
    return {
      size: this.size,
      extent,
      layers: pass.layers.map((layer) => Float32Array.from(layer.output.data)),
      units: model.layers.map((layer) => layer.units),
    };
  }
}
