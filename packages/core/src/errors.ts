/**
 * Every code a {@link DeltaflowError} may carry. The same mistake gives the same code in every package:
 *
 * - `E_CONFIG`: a config or option of a registered thing (activation, loss, optimizer, schedule, initializer)
 *   has an unknown key, a value of the wrong type, a number that is not finite or out of range;
 * - `E_DEFINITION`: what was given to a registry (or in a plugin) is not one of the accepted forms;
 * - `E_DUPLICATE`: a name is taken (or given twice);
 * - `E_UNKNOWN`: a name nobody registered;
 * - `E_PLUGIN`: a plugin that is not an object with a name, or a module that cannot be loaded as one;
 * - `E_PLUGIN_THREW`: a function of an installed plugin (an activation's `f`, an optimizer's `init`, ...) threw;
 *   the message names the plugin, the entry and the function;
 * - `E_VERSION`: two incompatible copies of `@deltaflow/core` in one program;
 * - `E_ENVIRONMENT`: a Node-only entry point (`@deltaflow/<package>/node`) loaded in a browser;
 * - the others name the kind of value that was wrong: shapes, dtypes, files, models, options of a run.
 *
 * @example
 * ```ts
 * function isConfigMistake(error: unknown): boolean {
 *   const code: ErrorCode = 'E_CONFIG';
 *   return error instanceof DeltaflowError && error.code === code;
 * }
 * ```
 * @category Errors
 */
export type ErrorCode =
  | 'E_CONFIG'
  | 'E_CSV'
  | 'E_DEFINITION'
  | 'E_DTYPE'
  | 'E_DUPLICATE'
  | 'E_ENVIRONMENT'
  | 'E_LISTEN'
  | 'E_MODEL'
  | 'E_NOT_BUILT'
  | 'E_OPTION'
  | 'E_PARSE'
  | 'E_PLUGIN'
  | 'E_PLUGIN_THREW'
  | 'E_READ'
  | 'E_SCALER'
  | 'E_SHAPE'
  | 'E_STATE'
  | 'E_UNKNOWN'
  | 'E_VERSION'
  | 'E_WRITE';

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
  readonly code: ErrorCode;

  /**
   * @param code - one of the {@link ErrorCode}s
   * @param message - one sentence: what was wrong, and how to fix it
   * @param options - `cause`: the error this one explains (kept, with its stack)
   */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
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
