/**
 * The error every deltaflow package throws for bad input: a sentence that says what was wrong and how to fix
 * it, plus a stable machine-readable {@link DeltaflowError.code}.
 *
 * @example
 * ```ts
 * try {
 *   Tensor.fromNested([[1, 2], [3]]);
 * } catch (error) {
 *   if (error instanceof DeltaflowError) console.error(error.code, error.message); // 'E_SHAPE' ...
 * }
 * ```
 * @category Errors
 */
export class DeltaflowError extends Error {
  /** A stable code such as `'E_SHAPE'` or `'E_DUPLICATE'`, for programs that branch on the kind of error. */
  readonly code: string;

  /**
   * @param code - stable error code, `E_` followed by an upper-case word
   * @param message - one sentence: what was wrong, and how to fix it
   */
  constructor(code: string, message: string) {
    super(message);
    this.name = 'DeltaflowError';
    this.code = code;
  }
}

/**
 * Throws a {@link DeltaflowError} with code `E_SHAPE` when `condition` is false.
 *
 * @example
 * ```ts
 * const a = Tensor.zeros([2, 3]);
 * const b = Tensor.zeros([3, 4]);
 * assertShape(a.cols === b.rows, () => `matmul: [${a.shape}] cannot multiply [${b.shape}]`);
 * ```
 * @param condition - what must hold
 * @param message - builds the message lazily, so the happy path allocates nothing
 * @category Errors
 */
export function assertShape(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new DeltaflowError('E_SHAPE', message());
}
