import type { Tensor, TypedArray } from '@deltaflow/tensor';
import { batchSize } from './batch.js';
import type { Loss, PerSampleLossSpec } from './loss.js';

/** Row views of one data array, for one row length. */
interface RowViews {
  readonly cols: number;
  readonly rows: TypedArray[];
}

const views = new WeakMap<TypedArray, RowViews>();

/**
 * The `rows` views of length `cols` over `data`, made once per data array and reused while its row length stays
 * the same, so a training loop that keeps its buffers allocates nothing here.
 */
function rowsOf(data: TypedArray, rows: number, cols: number): TypedArray[] {
  let cached = views.get(data);
  if (!cached || cached.cols !== cols || cached.rows.length !== rows) {
    const list: TypedArray[] = [];
    for (let b = 0; b < rows; b++) list.push(data.subarray(b * cols, (b + 1) * cols));
    cached = { cols, rows: list };
    views.set(data, cached);
  }
  return cached.rows;
}

/**
 * Turns a per-sample loss (the plugin form) into a batch {@link Loss}: E = 1/B sum_b f(O_b, t_b), and
 * dE/dO_b = df(O_b, t_b) / B, where O_b and t_b are sample b's rows.
 *
 * `f` and `df` receive subarray views of the batch's rows. The views are cached per data array, so once the
 * buffers exist a call allocates nothing; `f` and `df` must not keep them.
 *
 * @example
 * ```ts
 * const halfSquares = perSample({
 *   name: 'my-mse',
 *   f: (o, t) => { let s = 0; for (let k = 0; k < o.length; k++) s += 0.5 * (o[k] - t[k]) ** 2; return s; },
 *   df: (o, t, out) => { for (let k = 0; k < o.length; k++) out[k] = o[k] - t[k]; },
 * });
 * halfSquares.forward(output, target); // the same number as getLoss('mse').forward(output, target)
 * ```
 * @param spec - the per-sample loss
 * @returns a batch loss with the spec's name and config, and no fused path
 * @category Loss
 */
export function perSample(spec: PerSampleLossSpec): Loss {
  const { name, f, df } = spec;
  return Object.freeze({
    name,
    config: Object.freeze({ ...spec.config }),
    forward(output: Tensor, target: Tensor): number {
      const B = batchSize(name, output, target);
      const o = rowsOf(output.data, B, output.cols);
      const t = rowsOf(target.data, B, target.cols);
      let sum = 0;
      for (let b = 0; b < B; b++) sum += f(o[b]!, t[b]!);
      return sum / B;
    },
    backward(output: Tensor, target: Tensor, grad: Tensor): void {
      const B = batchSize(name, output, target, grad);
      const o = rowsOf(output.data, B, output.cols);
      const t = rowsOf(target.data, B, target.cols);
      const g = rowsOf(grad.data, B, grad.cols);
      for (let b = 0; b < B; b++) df(o[b]!, t[b]!, g[b]!);
      const scale = 1 / B;
      const data = grad.data;
      for (let i = 0; i < data.length; i++) data[i] = data[i]! * scale;
    },
  });
}
