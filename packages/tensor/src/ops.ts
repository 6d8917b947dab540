import { getBackend } from './backends.js';
import { DeltaflowError, assertShape } from '@deltaflow/core';
import type { Tensor } from './tensor.js';

/**
 * Options of {@link matmul}: transpose flags and the BLAS-style `alpha`/`beta` scalars.
 *
 * @example
 * ```ts
 * // dE/dW += O_inᵀ delta, accumulated into the gradient
 * const options: MatmulOptions = { transA: true, beta: 1 };
 * const input = Tensor.fromArray(new Float32Array(32 * 2).fill(1), [32, 2]); // O_in, a batch of 32
 * const delta = Tensor.fromArray(new Float32Array(32 * 4).fill(1), [32, 4]);
 * const weightGrad = Tensor.zeros([2, 4]);
 * matmul(input, delta, weightGrad, options);
 * weightGrad.get(0, 0); // → 32
 * ```
 * @category Kernels
 */
export interface MatmulOptions {
  /** Use `a` transposed. */
  transA?: boolean;
  /** Use `b` transposed. */
  transB?: boolean;
  /** Scales the product (default 1). */
  alpha?: number;
  /** Scales what `out` held before (default 0: overwrite). */
  beta?: number;
}

function mixedDtypes(where: string, tensors: readonly Tensor[]): DeltaflowError {
  const dtype = tensors[0]!.dtype;
  const other = tensors.find((t) => t.dtype !== dtype)!.dtype;
  return new DeltaflowError(
    'E_DTYPE',
    `${where}: cannot mix ${dtype} and ${other} tensors; convert one with clone(dtype).`,
  );
}

/** Whether two or three tensors have one dtype (checked without allocating). */
function sameKind(a: Tensor, b: Tensor, c?: Tensor): boolean {
  const dtype = a.dtype;
  return b.dtype === dtype && (c === undefined || c.dtype === dtype);
}

const fmt = (t: Tensor, trans = false): string => `[${t.rows}, ${t.cols}]${trans ? 'ᵀ' : ''}`;

/**
 * `out <- alpha * op(a) op(b) + beta * out`, where `op` transposes when asked. Shapes are checked and the
 * message names both operands; nothing is allocated.
 *
 * With `a` the `[B, n]` inputs O_i and `b` the `[n, m]` weights W_ij, `matmul(a, b, z)` gives the net inputs
 * x_j = sum_i O_i W_ij for every sample.
 *
 * @example
 * ```ts
 * const a = Tensor.fromNested([[1, 2], [3, 4]]);
 * const out = Tensor.zeros([2, 2]);
 * matmul(a, a, out, { transB: true }); // a aᵀ = [[5, 11], [11, 25]]
 * ```
 * @category Kernels
 */
export function matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): Tensor {
  const transA = options?.transA === true;
  const transB = options?.transB === true;
  const alpha = options?.alpha ?? 1;
  const beta = options?.beta ?? 0;
  if (!sameKind(a, b, out)) throw mixedDtypes('matmul', [a, b, out]);
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new DeltaflowError(
      'E_SHAPE',
      `matmul: ${fmt(a, transA)} cannot multiply ${fmt(b, transB)} (inner sizes ${k} and ${kb} differ).`,
    );
  }
  if (out.rows !== m || out.cols !== n) {
    throw new DeltaflowError(
      'E_SHAPE',
      `matmul: the product of ${fmt(a, transA)} and ${fmt(b, transB)} is [${m}, ${n}] but out is [${out.rows}, ${out.cols}].`,
    );
  }
  getBackend().gemm(transA, transB, m, n, k, alpha, a.data, b.data, beta, out.data);
  return out;
}

/**
 * The net input of a dense layer for a batch, `out = a w + bias` (x_j = sum_i O_i W_ij + theta_j for every
 * sample): `a` `[B, n]`, `w` `[n, m]`, `bias` `[m]`, `out` `[B, m]`. One pass instead of {@link matmul} followed by
 * {@link addRowVector}; shapes are checked, nothing is allocated.
 *
 * @example
 * ```ts
 * const out = Tensor.zeros([1, 2]);
 * linear(Tensor.fromNested([[1, 2]]), Tensor.fromNested([[1, 0], [0, 1]]), Tensor.fromNested([10, 20]), out);
 * out.toNested(); // → [[11, 22]]
 * ```
 * @category Kernels
 */
export function linear(a: Tensor, w: Tensor, bias: Tensor, out: Tensor): Tensor {
  if (!sameKind(a, w, out) || !sameKind(a, bias)) throw mixedDtypes('linear', [a, w, bias, out]);
  if (a.cols !== w.rows) {
    throw new DeltaflowError(
      'E_SHAPE',
      `linear: ${fmt(a)} cannot multiply ${fmt(w)} (inner sizes ${a.cols} and ${w.rows} differ).`,
    );
  }
  if (bias.size !== w.cols || out.rows !== a.rows || out.cols !== w.cols) {
    throw new DeltaflowError(
      'E_SHAPE',
      `linear: ${fmt(a)} times ${fmt(w)} plus a bias of ${bias.size} needs a bias of ${w.cols} and out [${a.rows}, ${w.cols}], got out ${fmt(out)}.`,
    );
  }
  getBackend().linear(a.data, w.data, bias.data, a.rows, a.cols, w.cols, out.data);
  return out;
}

/**
 * `out[i, j] = a[i, j] + row[j]`: adds a bias theta_j to every sample of a batch.
 *
 * @example
 * ```ts
 * const out = Tensor.zeros([2, 2]);
 * addRowVector(Tensor.fromNested([[1, 2], [3, 4]]), Tensor.fromNested([10, 20]), out);
 * out.toNested(); // → [[11, 22], [13, 24]]
 * ```
 * @category Kernels
 */
export function addRowVector(a: Tensor, row: Tensor, out: Tensor): Tensor {
  if (!sameKind(a, row, out)) throw mixedDtypes('addRowVector', [a, row, out]);
  if (row.size !== a.cols) {
    throw new DeltaflowError('E_SHAPE', `addRowVector: a row of ${row.size} cannot be added to ${fmt(a)}.`);
  }
  if (out.size !== a.size) {
    throw new DeltaflowError('E_SHAPE', `addRowVector: out ${fmt(out)} must match ${fmt(a)}.`);
  }
  getBackend().addRowVector(a.data, row.data, a.rows, a.cols, out.data);
  return out;
}

/**
 * `out[j] = beta * out[j] + sum_i a[i, j]`: sums every column, e.g. the bias gradient sum over samples of delta_j.
 *
 * @example
 * ```ts
 * const out = Tensor.zeros([2]);
 * columnSums(Tensor.fromNested([[1, 2], [3, 4]]), out);
 * out.toNested(); // → [4, 6]
 * ```
 * @category Kernels
 */
export function columnSums(a: Tensor, out: Tensor, beta = 0): Tensor {
  if (!sameKind(a, out)) throw mixedDtypes('columnSums', [a, out]);
  if (out.size !== a.cols) {
    throw new DeltaflowError(
      'E_SHAPE',
      `columnSums: out has ${out.size} entries but ${fmt(a)} has ${a.cols} columns.`,
    );
  }
  getBackend().columnSums(a.data, a.rows, a.cols, beta, out.data);
  return out;
}

/**
 * `out[i] = sum_j a[i, j]`: sums every row.
 *
 * @example
 * ```ts
 * const out = Tensor.zeros([2]);
 * rowSums(Tensor.fromNested([[1, 2], [3, 4]]), out);
 * out.toNested(); // → [3, 7]
 * ```
 * @category Kernels
 */
export function rowSums(a: Tensor, out: Tensor): Tensor {
  if (!sameKind(a, out)) throw mixedDtypes('rowSums', [a, out]);
  assertShape(
    out.size === a.rows,
    () => `rowSums: out has ${out.size} entries but ${fmt(a)} has ${a.rows} rows.`,
  );
  getBackend().rowSums(a.data, a.rows, a.cols, out.data);
  return out;
}

/**
 * The column index of the largest entry of each row (the predicted class of each sample).
 *
 * @example
 * ```ts
 * argmaxRows(Tensor.fromNested([[0.1, 0.9], [0.7, 0.3]])); // Int32Array [1, 0]
 * ```
 * @param out - reused when given (length = rows), so a training loop allocates nothing
 * @category Kernels
 */
export function argmaxRows(a: Tensor, out: Int32Array = new Int32Array(a.rows)): Int32Array {
  assertShape(
    out.length >= a.rows,
    () => `argmaxRows: out has ${out.length} entries but ${fmt(a)} has ${a.rows} rows.`,
  );
  getBackend().argmaxRows(a.data, a.rows, a.cols, out);
  return out;
}

/**
 * `out[i] = f(a[i])`, elementwise. `out` may be `a`.
 *
 * @example
 * ```ts
 * map(x, Math.tanh, x); // tanh in place
 * ```
 * @category Kernels
 */
export function map(a: Tensor, f: (x: number) => number, out: Tensor): Tensor {
  assertShape(out.size === a.size, () => `map: out ${fmt(out)} must match ${fmt(a)}.`);
  getBackend().map(a.data, out.data, f);
  return out;
}

/**
 * `out[i] = f(a[i], b[i])`, elementwise. `out` may be `a` or `b`.
 *
 * @example
 * ```ts
 * const t = Tensor.zeros(o.shape);
 * const diff = Tensor.zeros(o.shape);
 * zip(o, t, (o, t) => o - t, diff); // O - t
 * ```
 * @category Kernels
 */
export function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number, out: Tensor): Tensor {
  assertShape(
    a.size === b.size && out.size === a.size,
    () => `zip: ${fmt(a)}, ${fmt(b)} and out ${fmt(out)} must have one shape.`,
  );
  getBackend().zip(a.data, b.data, out.data, f);
  return out;
}
