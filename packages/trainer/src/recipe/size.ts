import { DeltaflowError } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';

/**
 * The largest typed array a JavaScript engine (V8: Node, Chromium) makes: 2^32 values. A weight matrix W_jk of
 * more values cannot exist.
 *
 * @example
 * ```ts
 * MAX_ARRAY_VALUES; // → 4294967296
 * ```
 * @category Recipe
 */
export const MAX_ARRAY_VALUES = 2 ** 32;

/**
 * How many copies of every parameter training keeps: the weights W_jk and thetas, their gradients, and up to two
 * optimizer state buffers (adam's moments; sgd's momentum is one).
 *
 * @example
 * ```ts
 * TRAINING_COPIES; // → 4
 * ```
 * @category Recipe
 */
export const TRAINING_COPIES = 4;

/**
 * The shape of a model before it is built, for {@link checkModelSize}.
 *
 * @example
 * ```ts
 * const shape: ModelShape = { inputs: 4, layers: [8], outputs: 3, dtype: 'float32' };
 * ```
 * @category Recipe
 */
export interface ModelShape {
  /** Input columns. */
  inputs: number;
  /** Units of each hidden layer, input side first. */
  layers: readonly number[];
  /** Output units. */
  outputs: number;
  /** Element type; float32 takes 4 bytes a value, float64 8. */
  dtype: DType;
}

/**
 * The memory a process may still use, in bytes: `process.availableMemory()` under Node (free memory, or the
 * container's limit), `undefined` where the platform does not tell (a browser).
 *
 * @example
 * ```ts
 * const bytes = availableMemory(); // e.g. 22685597696, or undefined in a browser
 * ```
 * @category Recipe
 */
export function availableMemory(): number | undefined {
  const proc = (globalThis as { process?: { availableMemory?: () => number } }).process;
  const bytes = typeof proc?.availableMemory === 'function' ? proc.availableMemory() : undefined;
  return bytes !== undefined && Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Bytes as the largest fitting unit (GB, MB, kB), one decimal. */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ] as const) {
    if (bytes >= size) return `${(bytes / size).toFixed(1)} ${unit}`;
  }
  return `${bytes} bytes`;
}

/**
 * The parameters of a dense network: per layer, inputs × units weights W_jk plus one theta per unit.
 *
 * @example
 * ```ts
 * parameterCount({ inputs: 2, layers: [4], outputs: 1, dtype: 'float32' }); // 2·4 + 4 + 4·1 + 1 → 17
 * ```
 * @category Recipe
 */
export function parameterCount(shape: ModelShape): number {
  let total = 0;
  let inputs = shape.inputs;
  for (const units of [...shape.layers, shape.outputs]) {
    total += inputs * units + units;
    inputs = units;
  }
  return total;
}

/**
 * Refuses, before anything is allocated, a model too large to train here, with a message stating the rule:
 *
 * - no weight matrix may hold more than {@link MAX_ARRAY_VALUES} values (inputs × units of a layer);
 * - parameters × bytes per value × {@link TRAINING_COPIES} copies (weights, gradients, two optimizer buffers)
 *   must not exceed `memory`, the memory available to the process (default {@link availableMemory}; when the
 *   platform does not tell, only the first rule applies). Data, activations and the event stream come on top:
 *   a model that passes may still not fit.
 *
 * {@link prepareRun} calls it for every model it builds.
 *
 * @example
 * ```ts
 * checkModelSize({ inputs: 4, layers: [8], outputs: 3, dtype: 'float32' }); // fine
 * // throws E_OPTION: `layers` 40000,40000 needs 25.6 GB (1,600,360,003 parameters × 4 bytes × 4 copies ...
 * // checkModelSize({ inputs: 4, layers: [40000, 40000], outputs: 3, dtype: 'float32' }, 16e9);
 * ```
 * @param shape - the network to build
 * @param memory - bytes available; default {@link availableMemory}; null when not known (only the array rule
 *   applies)
 * @throws DeltaflowError `E_OPTION` naming `layers`, the size, the rule and the limit
 * @category Recipe
 */
export function checkModelSize(shape: ModelShape, memory: number | null = availableMemory() ?? null): void {
  const layers = shape.layers.join(',');
  let inputs = shape.inputs;
  for (const units of [...shape.layers, shape.outputs]) {
    const values = inputs * units;
    if (values > MAX_ARRAY_VALUES) {
      throw new DeltaflowError(
        'E_OPTION',
        `\`layers\` ${layers} is too large: a ${inputs}×${units} weight matrix has ${count(values)} values, more than the ${count(MAX_ARRAY_VALUES)} of the largest array JavaScript can make; use smaller layers.`,
      );
    }
    inputs = units;
  }
  if (memory === null) return;
  const parameters = parameterCount(shape);
  const bytesPerValue = shape.dtype === 'float64' ? 8 : 4;
  const needed = parameters * bytesPerValue * TRAINING_COPIES;
  if (needed > memory) {
    throw new DeltaflowError(
      'E_OPTION',
      `\`layers\` ${layers} needs ${formatBytes(needed)} (${count(parameters)} parameters × ${bytesPerValue} bytes (${shape.dtype}) × ${TRAINING_COPIES} copies: weights, gradients, optimizer state), more than the ${formatBytes(memory)} of memory available; use smaller layers.`,
    );
  }
}
