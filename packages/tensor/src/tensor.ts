import { DeltaflowError, assertShape } from '@deltaflow/core';

/**
 * The element types a tensor can hold. float32 is the default; float64 is used by gradient checks.
 *
 * @example
 * ```ts
 * const dtype: DType = 'float64';
 * Tensor.zeros([2, 2], dtype);
 * ```
 * @category Tensor
 */
export type DType = 'float32' | 'float64';

/**
 * The typed arrays behind tensors.
 *
 * @example
 * ```ts
 * const data: TypedArray = new Float32Array([1, 2, 3, 4]);
 * new Tensor(data, [2, 2]);
 * ```
 * @category Tensor
 */
export type TypedArray = Float32Array | Float64Array;

/**
 * The rank of a tensor: 1 (a vector `[n]`) or 2 (a matrix `[rows, cols]`).
 *
 * @example
 * ```ts
 * const rank: Rank = Tensor.zeros([2, 3]).rank; // 2
 * ```
 * @category Tensor
 */
export type Rank = 1 | 2;

/**
 * The shape of a tensor of rank `R`: `readonly [n]` for rank 1, `readonly [rows, cols]` for rank 2, and either of
 * them when the rank is not known (`Shape`, the default).
 *
 * @example
 * ```ts
 * const batch: Shape<2> = [32, 784]; // 32 samples of 784 features
 * const features: number = batch[1];
 * const any: Shape = [10];
 * ```
 * @category Tensor
 */
export type Shape<R extends Rank = Rank> = R extends 1 ? readonly [number] : readonly [number, number];

/**
 * A matrix: a rank-2 tensor, whose `shape` is `[rows, cols]` (tfjs's name). Batches and datasets are matrices.
 *
 * @example
 * ```ts
 * const x: Tensor2D = Tensor.fromNested([[0, 0], [0, 1]]);
 * const [rows, cols] = x.shape; // numbers, not number | undefined
 * ```
 * @category Tensor
 */
export type Tensor2D = Tensor<2>;

/**
 * A vector: a rank-1 tensor, whose `shape` is `[n]` (tfjs's name). A Dense layer's bias is one.
 *
 * @example
 * ```ts
 * const bias: Tensor1D = Tensor.zeros([4]);
 * bias.shape[0]; // 4
 * ```
 * @category Tensor
 */
export type Tensor1D = Tensor<1>;

/**
 * Nested plain arrays a tensor can be made from or turned into.
 *
 * @example
 * ```ts
 * const rows: NestedArray = [[0, 0], [0, 1]];
 * Tensor.fromNested(rows).toNested(); // → [[0, 0], [0, 1]]
 * ```
 * @category Tensor
 */
export type NestedArray = readonly number[] | readonly (readonly number[])[];

/**
 * Allocates a zeroed typed array of `dtype`.
 *
 * @example
 * ```ts
 * allocate('float64', 3); // Float64Array [0, 0, 0]
 * ```
 * @category Tensor
 */
export function allocate(dtype: DType, length: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/**
 * The dtype of a typed array.
 *
 * @example
 * ```ts
 * dtypeOf(new Float64Array(3)); // → 'float64'
 * ```
 * @category Tensor
 */
export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

function checkShape(shape: readonly number[], where: string): Shape {
  const ok = (shape.length === 1 || shape.length === 2) && shape.every((d) => Number.isInteger(d) && d >= 0);
  if (!ok) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${where}: shape [${shape.join(', ')}] is not a rank-1 or rank-2 shape of non-negative integers.`,
    );
  }
  return shape.length === 1 ? [shape[0]!] : [shape[0]!, shape[1]!];
}

/**
 * A dense, row-major, rank-1 or rank-2 array of float32 or float64 numbers.
 *
 * A batch is a `[batchSize, features]` tensor; element (i, j) of a rank-2 tensor lives at
 * `data[i * cols + j]`. A rank-1 tensor of length n behaves as one row: `rows = 1`, `cols = n`.
 * Tensors are thin views: `data` is the typed array itself, and kernels write into caller-given outputs.
 *
 * The type parameter `R` is the rank, when it is known (a type only: nothing is checked or stored for it).
 * `Tensor` alone is a tensor of either rank; {@link Tensor2D} (`Tensor<2>`) is a matrix, whose `shape[0]` and
 * `shape[1]` are numbers. Datasets and batches are matrices, and so is whatever `fromNested`, `zeros`,
 * `fromArray` and `reshape` make from a literal `[rows, cols]`.
 *
 * @example
 * ```ts
 * const x = Tensor.fromNested([[0, 0], [0, 1], [1, 0], [1, 1]]); // Tensor2D, float32 [4, 2]
 * const [samples, features] = x.shape; // 4, 2
 * x.get(3, 1); // 1
 * ```
 * @category Tensor
 */
export class Tensor<R extends Rank = Rank> {
  /** The elements, row-major. */
  readonly data: TypedArray;
  /** `[n]` or `[rows, cols]`. */
  readonly shape: Shape<R>;
  /** Rows of a rank-2 tensor; 1 for rank 1 (a field, not a getter: kernels read it on every call). */
  readonly rows: number;
  /** Columns of a rank-2 tensor; the length for rank 1. */
  readonly cols: number;
  /** `'float32'` or `'float64'`, the element type of `data` (a field: every kernel call compares it). */
  readonly dtype: DType;

  /**
   * Wraps `data` (not copied) with `shape`. `new Tensor<2>(data, [rows, cols])` types it as a matrix.
   *
   * @param shape - any number array when the rank is left open (checked at run time); `[rows, cols]` or `[n]`
   * when `R` is given
   * @throws DeltaflowError `E_SHAPE` when the shape's size differs from `data.length`
   */
  constructor(data: TypedArray, shape: Rank extends R ? readonly number[] : Shape<R>) {
    const dims: readonly number[] = shape;
    const checked = checkShape(dims, 'Tensor');
    const size = checked.length === 1 ? checked[0] : checked[0] * checked[1];
    assertShape(
      size === data.length,
      () => `Tensor: shape [${dims.join(', ')}] holds ${size} numbers but the data has ${data.length}.`,
    );
    this.data = data;
    this.shape = checked as Shape<R>;
    this.rows = checked.length === 2 ? checked[0] : 1;
    this.cols = checked.length === 2 ? checked[1] : checked[0];
    this.dtype = dtypeOf(data);
  }

  /**
   * A zero-filled tensor.
   *
   * @example
   * ```ts
   * Tensor.zeros([2, 3], 'float64'); // Tensor2D
   * ```
   */
  static zeros(shape: readonly [number, number], dtype?: DType): Tensor2D;
  static zeros(shape: readonly [number], dtype?: DType): Tensor1D;
  static zeros(shape: readonly number[], dtype?: DType): Tensor;
  static zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const checked = checkShape(shape, 'Tensor.zeros');
    return new Tensor(allocate(dtype, checked.length === 1 ? checked[0] : checked[0] * checked[1]), checked);
  }

  /**
   * A tensor over a typed array (not copied) or a copy of a plain number array; without `shape`, a vector.
   *
   * @example
   * ```ts
   * Tensor.fromArray(new Float64Array([1, 2, 3, 4]), [2, 2]); // Tensor2D
   * ```
   */
  static fromArray(
    data: TypedArray | readonly number[],
    shape: readonly [number, number],
    dtype?: DType,
  ): Tensor2D;
  static fromArray(data: TypedArray | readonly number[], shape?: readonly [number], dtype?: DType): Tensor1D;
  static fromArray(data: TypedArray | readonly number[], shape?: readonly number[], dtype?: DType): Tensor;
  static fromArray(data: TypedArray | readonly number[], shape?: readonly number[], dtype?: DType): Tensor {
    const typed =
      data instanceof Float32Array || data instanceof Float64Array
        ? dtype && dtype !== dtypeOf(data)
          ? allocateFrom(dtype, data)
          : data
        : allocateFrom(dtype ?? 'float32', data);
    return new Tensor(typed, shape ?? [typed.length]);
  }

  /**
   * A copy of nested arrays: `[1, 2]` gives shape `[2]`, `[[1, 2], [3, 4]]` gives `[2, 2]` (and `[]` gives
   * `[0]`). Written out row by row, the rows make a {@link Tensor2D}.
   *
   * @throws DeltaflowError `E_SHAPE` naming the first row whose length differs
   */
  static fromNested(values: readonly number[], dtype?: DType): Tensor1D;
  static fromNested(values: readonly [readonly number[], ...(readonly number[])[]], dtype?: DType): Tensor2D;
  static fromNested(values: NestedArray, dtype?: DType): Tensor;
  static fromNested(values: NestedArray, dtype: DType = 'float32'): Tensor {
    if (values.length > 0 && Array.isArray(values[0])) {
      const rows = values as readonly (readonly number[])[];
      const cols = rows[0]!.length;
      const data = allocate(dtype, rows.length * cols);
      rows.forEach((row, i) => {
        assertShape(
          Array.isArray(row) && row.length === cols,
          () =>
            `Tensor.fromNested: row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, row 0 has ${cols}.`,
        );
        for (let j = 0; j < cols; j++) data[i * cols + j] = row[j]!;
      });
      return new Tensor(data, [rows.length, cols]);
    }
    return new Tensor(allocateFrom(dtype, values as readonly number[]), [values.length]);
  }

  /** 1 or 2. */
  get rank(): R {
    return this.shape.length as R;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Element `(i, j)` of a rank-2 tensor, or element `i` of a rank-1 tensor. */
  get(i: number, j = 0): number {
    return this.data[this.shape.length === 1 ? i : i * this.cols + j]!;
  }

  /** Sets element `(i, j)` (or `i` for rank 1). */
  set(value: number, i: number, j = 0): void {
    this.data[this.shape.length === 1 ? i : i * this.cols + j] = value;
  }

  /** A deep copy, optionally converted to `dtype`, of the same rank. */
  clone(dtype: DType = this.dtype): Tensor<R> {
    return new Tensor<Rank>(allocateFrom(dtype, this.data), this.shape) as Tensor<R>;
  }

  /** The same data seen with another shape of the same size (no copy). */
  reshape(shape: readonly [number, number]): Tensor2D;
  reshape(shape: readonly [number]): Tensor1D;
  reshape(shape: readonly number[]): Tensor;
  reshape(shape: readonly number[]): Tensor {
    return new Tensor(this.data, shape);
  }

  /** Plain nested arrays: `number[]` for rank 1, `number[][]` for rank 2. */
  toNested(): R extends 1 ? number[] : number[][] {
    if (this.shape.length === 1) return Array.from(this.data) as R extends 1 ? number[] : number[][];
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++)
      out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out as R extends 1 ? number[] : number[][];
  }

  /** A short description such as `Tensor(float32 [4, 2])`. */
  toString(): string {
    return `Tensor(${this.dtype} [${this.shape.join(', ')}])`;
  }
}

function allocateFrom(dtype: DType, values: ArrayLike<number>): TypedArray {
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

/**
 * Throws `E_SHAPE` unless `tensor` has exactly `shape`, naming `where` and both shapes. Given a literal
 * `[rows, cols]` (or `[n]`), it also narrows `tensor` to a {@link Tensor2D} (or {@link Tensor1D}).
 *
 * @example
 * ```ts
 * const units = 4;
 * const bias = Tensor.zeros([units]);
 * expectShape(bias, [units], 'Dense.bias');
 * ```
 * @category Errors
 */
export function expectShape(
  tensor: Tensor,
  shape: readonly [number, number],
  where: string,
): asserts tensor is Tensor2D;
export function expectShape(
  tensor: Tensor,
  shape: readonly [number],
  where: string,
): asserts tensor is Tensor1D;
export function expectShape(tensor: Tensor, shape: readonly number[], where: string): void;
export function expectShape(tensor: Tensor, shape: readonly number[], where: string): void {
  const same = tensor.shape.length === shape.length && tensor.shape.every((d, i) => d === shape[i]);
  assertShape(
    same,
    () => `${where}: expected shape [${shape.join(', ')}] but got [${tensor.shape.join(', ')}].`,
  );
}
