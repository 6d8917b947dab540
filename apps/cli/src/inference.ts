import type { Scaler } from '@deltaflow/data';
import type { ForwardPass, Sequential } from '@deltaflow/network';
import type { Tensor } from '@deltaflow/tensor';
import type { ModelMeta } from './options/model.js';

/** Rows of a `[N, K]` tensor as plain arrays. */
export function rowsOf(t: Tensor): number[][] {
  return Array.from({ length: t.rows }, (_, i) => Array.from(t.data.subarray(i * t.cols, (i + 1) * t.cols)));
}

/**
 * Runs the model on raw inputs, scaling them first with the model's stored scaler (`--normalize`). The result
 * is the output layer's buffer: read it before the next forward pass. With `pass`, the forward pass goes into it
 * (for the loss of these outputs).
 *
 * @example
 * ```ts
 * const outputs = rowsOf(infer(model, inputs, undefined)); // or the model file's scaler
 * ```
 */
export function infer(
  model: Sequential,
  inputs: Tensor,
  scaler: Scaler | undefined,
  pass?: ForwardPass,
): Tensor {
  const x = inputs.dtype === model.dtype ? inputs : inputs.clone(model.dtype);
  return model.forward(scaler ? scaler.transform(x) : x, pass);
}

/** Whether a model's outputs are class scores (its meta says so, or names classes). */
export function isClassifier(meta: ModelMeta): boolean {
  return meta.task === 'classification' || (meta.task === undefined && meta.classNames !== undefined);
}

/**
 * The class of one output row: O >= 0.5 for a single output, else the largest O_k; named by the model's
 * `classNames` when it has them.
 *
 * @example
 * ```ts
 * classLabel([0.1, 0.7, 0.2], ['setosa', 'versicolor', 'virginica']); // → 'versicolor'
 * ```
 */
export function classLabel(output: readonly number[], classNames: readonly string[] | undefined): string {
  let k = 0;
  if (output.length === 1) k = output[0]! >= 0.5 ? 1 : 0;
  else for (let j = 1; j < output.length; j++) if (output[j]! > output[k]!) k = j;
  return classNames?.[k] ?? String(k);
}
