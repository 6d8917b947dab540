import type { Config } from './config.js';
import type { FloatArray, FloatType, TensorLike } from './parameter.js';

/**
 * An elementwise activation given by two scalar functions, the usual plugin form: nothing to import.
 * `df` receives the input x and the output y = f(x), so a derivative such as sigmoid's y (1 - y) is cheap.
 *
 * @example
 * ```ts
 * const softsign: ElementwiseActivationEntry = {
 *   name: 'softsign',
 *   f: (x) => x / (1 + Math.abs(x)),
 *   df: (x) => 1 / (1 + Math.abs(x)) ** 2,
 * };
 * ```
 * @category Plugins
 */
export interface ElementwiseActivationEntry {
  /** The registry name. */
  readonly name: string;
  /** y = f(x). */
  readonly f: (x: number) => number;
  /** dy/dx, from x and y = f(x). */
  readonly df: (x: number, y: number) => number;
  /** Parameters, kept for serialisation. */
  readonly config?: Config;
  /** Points x where f is not smooth (relu's 0), which a gradient check steps around. */
  readonly kinks?: readonly number[];
  /** Optional: how ONNX export writes f as ONNX nodes (see {@link OnnxLowering}); without it, export refuses. */
  readonly onnx?: OnnxLowering;
}

/**
 * What a factory's `create` may return for an elementwise activation: the two scalar functions alone. The
 * framework names it after the factory and keeps the config `create` received, so `create` needs nothing
 * imported; a `name` or `config` given here is kept.
 *
 * @example
 * ```ts
 * const isru: FactoryEntry<ElementwiseActivationFunctions, { a: number }> = {
 *   name: 'isru',
 *   defaults: { a: 1 },
 *   create: ({ a }) => ({
 *     f: (x) => x / Math.sqrt(1 + a * x * x),
 *     df: (x) => (1 / Math.sqrt(1 + a * x * x)) ** 3,
 *   }),
 * };
 * ```
 * @category Plugins
 */
export interface ElementwiseActivationFunctions {
  /** The registry name; default the factory's. */
  readonly name?: string;
  /** y = f(x). */
  readonly f: (x: number) => number;
  /** dy/dx, from x and y = f(x). */
  readonly df: (x: number, y: number) => number;
  /** The parameters; default the config `create` received. */
  readonly config?: Config;
  /** Points x where f is not smooth (relu's 0), which a gradient check steps around. */
  readonly kinks?: readonly number[];
  /** Optional: how ONNX export writes f as ONNX nodes (see {@link OnnxLowering}). */
  readonly onnx?: OnnxLowering;
}

/**
 * A full activation over whole batches, for anything not elementwise (softmax): O = f(x) forward, and
 * dE/dx from x, O and dE/dO backward.
 *
 * @example
 * ```ts
 * const identity: ActivationEntry = {
 *   name: 'identity',
 *   config: {},
 *   forward: (x, out) => out.data.set(x.data),
 *   backward: (_x, _y, dy, dx) => dx.data.set(dy.data),
 * };
 * ```
 * @category Plugins
 */
export interface ActivationEntry {
  /** The registry name. */
  readonly name: string;
  /** The parameters it was built with. */
  readonly config: Config;
  /** Points x where it is not smooth, which a gradient check steps around. */
  readonly kinks?: readonly number[];
  /** Writes O = f(x) into `out`. */
  forward(x: TensorLike, out: TensorLike): void;
  /** Writes dE/dx into `dx` from `x`, `y` = f(x) and `dy` = dE/dO. */
  backward(x: TensorLike, y: TensorLike, dy: TensorLike, dx: TensorLike): void;
  /** Optional: how ONNX export writes this activation as ONNX nodes (see {@link OnnxLowering}). */
  readonly onnx?: OnnxLowering;
}

/**
 * A parametrised entry: every parameter with its default, and `create`, which receives the defaults merged with
 * the user's config after {@link checkConfig} has checked it.
 *
 * @example
 * ```ts
 * const scaled: FactoryEntry<ElementwiseActivationEntry, { a: number }> = {
 *   name: 'scaled',
 *   defaults: { a: 1 },
 *   create: ({ a }) => ({ name: 'scaled', config: { a }, f: (x) => a * x, df: () => a }),
 * };
 * ```
 * @typeParam T - what `create` builds
 * @typeParam C - the parameters and their types
 * @category Plugins
 */
export interface FactoryEntry<T, C extends Config = Config> {
  /** The registry name. */
  readonly name: string;
  /** Every parameter with its default value; a parameter's type is its default's type. */
  readonly defaults: C;
  /** Keys without a usable default, which the user must give (their default is an example of the type). */
  readonly required?: readonly (keyof C & string)[];
  /** Builds the thing from the checked config. */
  create(config: C): T;
}

/**
 * Any activation a plugin may give: elementwise `{ name, f, df }`, a full activation, or a factory.
 *
 * @example
 * ```ts
 * const entries: ActivationPluginEntry[] = [{ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x }];
 * ```
 * @typeParam C - a factory's parameters
 * @category Plugins
 */
export type ActivationPluginEntry<C extends Config = Config> =
  | ElementwiseActivationEntry
  | ActivationEntry
  | (FactoryEntry<ElementwiseActivationEntry | ElementwiseActivationFunctions | ActivationEntry, C> & {
      /** Optional: how ONNX export writes the activation built from `config` (see {@link OnnxLowering}). */
      readonly onnx?: OnnxLowering<C>;
    });

/**
 * An ONNX attribute's value in {@link OnnxLoweringBuilder.op}: a `number` is a FLOAT attribute, a `bigint` an INT
 * (`{ axis: -1n }`), a `string` a STRING, and arrays of either are FLOATS or INTS.
 *
 * @example
 * ```ts
 * const attributes: Record<string, OnnxAttributeValue> = { alpha: 0.2, axis: -1n };
 * ```
 * @category Plugins
 */
export type OnnxAttributeValue = number | bigint | string | readonly number[] | readonly bigint[];

/**
 * What an {@link OnnxLowering} writes ONNX nodes with. Values are named by strings (tensor names in the graph);
 * every value has the exported model's dtype and the shape [batch, units] of the layer's net inputs.
 *
 * @example
 * ```ts
 * // softsign: O = x / (1 + |x|)
 * const lower = (b: OnnxLoweringBuilder, x: string): string =>
 *   b.op('Div', [x, b.op('Add', [b.op('Abs', [x]), b.constant(1)])]);
 * ```
 * @category Plugins
 */
export interface OnnxLoweringBuilder {
  /** The element type of every value: `'float32'` (ONNX FLOAT) or `'float64'` (ONNX DOUBLE). */
  readonly dtype: FloatType;
  /**
   * Adds one node of the default ONNX domain (opset 17) and returns the name of its (first) output.
   *
   * @param opType - the ONNX operator, e.g. `'Tanh'`, `'Mul'`, `'Where'`
   * @param inputs - the names of its inputs, from `input`, {@link OnnxLoweringBuilder.constant} or earlier ops
   * @param attributes - its attributes, typed as {@link OnnxAttributeValue} says
   */
  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, OnnxAttributeValue>>,
  ): string;
  /** A constant of the model's dtype (a scalar, or a 1-D tensor from an array) that broadcasts; returns its name. */
  constant(value: number | readonly number[]): string;
}

/**
 * An activation's ONNX lowering: given the builder, the name of the net input x ([batch, units]) and the
 * activation's config, it adds the nodes computing O = f(x) and returns the name of O. Give it as `onnx` on a
 * plugin's activation entry (elementwise, full or factory); ONNX export refuses an activation without one.
 *
 * @example
 * ```ts
 * const softsign: ElementwiseActivationEntry = {
 *   name: 'softsign',
 *   f: (x) => x / (1 + Math.abs(x)),
 *   df: (x) => 1 / (1 + Math.abs(x)) ** 2,
 *   onnx: (b, x) => b.op('Div', [x, b.op('Add', [b.op('Abs', [x]), b.constant(1)])]),
 * };
 * ```
 * @typeParam C - the activation's parameters
 * @category Plugins
 */
export type OnnxLowering<C extends Config = Config> = (
  builder: OnnxLoweringBuilder,
  input: string,
  config: C,
) => string;

/**
 * A loss given per sample, the usual plugin form: `f(o, t)` is one sample's loss, `df(o, t, out)` writes that
 * sample's dE/dO into `out`; the framework averages over the batch.
 *
 * @example
 * ```ts
 * const l1: PerSampleLossEntry = {
 *   name: 'l1',
 *   f: (o, t) => { let s = 0; for (let k = 0; k < o.length; k++) s += Math.abs(o[k]! - t[k]!); return s; },
 *   df: (o, t, out) => { for (let k = 0; k < o.length; k++) out[k] = Math.sign(o[k]! - t[k]!); },
 * };
 * ```
 * @category Plugins
 */
export interface PerSampleLossEntry {
  /** The registry name. */
  readonly name: string;
  /** One sample's loss from its outputs `o` and targets `t` (views valid during the call only). */
  readonly f: (o: FloatArray, t: FloatArray) => number;
  /** Writes (overwrites) one sample's dE/dO into `out`. */
  readonly df: (o: FloatArray, t: FloatArray, out: FloatArray) => void;
  /** Parameters, kept for serialisation. */
  readonly config?: Config;
}

/**
 * A full loss over whole batches: the batch mean of the per-sample loss forward, its gradient backward.
 *
 * @example
 * ```ts
 * const zero: LossEntry = { name: 'zero', config: {}, forward: () => 0, backward: (_o, _t, g) => g.data.fill(0) };
 * ```
 * @category Plugins
 */
export interface LossEntry {
  /** The registry name. */
  readonly name: string;
  /** The parameters it was built with. */
  readonly config: Config;
  /** The mean over the batch of the per-sample loss. */
  forward(output: TensorLike, target: TensorLike): number;
  /** Writes dE/dO of the batch mean into `grad`. */
  backward(output: TensorLike, target: TensorLike, grad: TensorLike): void;
}

/**
 * Any loss a plugin may give: per sample `{ name, f, df }`, a full loss, or a factory.
 *
 * @example
 * ```ts
 * const l1: LossPluginEntry = {
 *   name: 'l1',
 *   f: (o, t) => {
 *     let sum = 0;
 *     for (let k = 0; k < o.length; k++) sum += Math.abs(o[k]! - t[k]!);
 *     return sum;
 *   },
 *   df: (o, t, out) => {
 *     for (let k = 0; k < o.length; k++) out[k] = Math.sign(o[k]! - t[k]!);
 *   },
 * };
 * const entries: LossPluginEntry[] = [l1];
 * ```
 * @typeParam C - a factory's parameters
 * @category Plugins
 */
export type LossPluginEntry<C extends Config = Config> =
  | PerSampleLossEntry
  | LossEntry
  // a factory's create may leave out the name: the loss is named after the factory
  | FactoryEntry<
      PerSampleLossEntry | (Omit<PerSampleLossEntry, 'name'> & { readonly name?: string }) | LossEntry,
      C
    >;

/**
 * Hyperparameters of an optimizer: always a learning rate `lr` (eta), plus the rule's own numbers and switches
 * (`momentum`, `beta1`, `nesterov`, ...). Plain data, so they serialise as they are.
 *
 * @example
 * ```ts
 * const options: OptimizerOptions = { lr: 0.01, momentum: 0.9, nesterov: true };
 * ```
 * @category Plugins
 */
export type OptimizerOptions = {
  /** eta, the learning rate. */
  lr: number;
} & Record<string, number | boolean>;

/**
 * One parameter's optimizer state: typed arrays (moments, buffers) and numbers.
 *
 * @example
 * ```ts
 * const state: ParameterState = { expAvg: new Float64Array(3), expAvgSq: new Float64Array(3) };
 * ```
 * @category Plugins
 */
export type ParameterState = Record<string, FloatArray | number>;

/**
 * A per-parameter update rule, the only thing an optimizer author writes (the form built-ins use too). The
 * optimizer owns step counting, state storage and serialisation; the rule says how to create one parameter's
 * state and how to update one parameter W from its gradient dE/dW.
 *
 * `update` runs once per parameter per step and must allocate nothing: keep buffers in the state made by
 * `init`, and never write into `grad`.
 *
 * @example
 * ```ts
 * // plain gradient descent: W <- W - eta * dE/dW
 * const gd: OptimizerRule = {
 *   name: 'gd',
 *   defaults: { lr: 0.5 },
 *   init: () => ({}),
 *   update: (param, grad, _state, options) => {
 *     for (let i = 0; i < param.length; i++) param[i] -= options.lr * grad[i]!;
 *   },
 * };
 * ```
 * @typeParam O - the rule's options, `{ lr }` plus its own
 * @typeParam S - the shape of one parameter's state
 * @category Plugins
 */
export interface OptimizerRule<
  O extends OptimizerOptions = OptimizerOptions,
  S extends ParameterState = ParameterState,
> {
  /** The registry name, e.g. `'adam'`. */
  readonly name: string;
  /** Default hyperparameters (PyTorch's, for the built-ins); they also list the option names accepted. */
  readonly defaults: O;
  /**
   * Creates the state of one parameter of `size` numbers (zeroed moments, for instance), in the parameter's
   * `dtype`. Called once per parameter when the optimizer is built or restored.
   */
  init(size: number, options: O, dtype: FloatType): S;
  /** Updates `param` in place from `grad` (dE/dparam) and `state`; `step` counts from 1. Allocates nothing. */
  update(param: FloatArray, grad: FloatArray, state: S, options: O, step: number): void;
  /**
   * Optional: refuses bad options by throwing a `DeltaflowError` (code `E_CONFIG`) that names the option.
   * Called when an optimizer is built, restored, or its `lr` changed; option names and types are already checked.
   */
  validate?(options: O): void;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null;
const isFunction = (value: unknown): boolean => typeof value === 'function';

/** What is wrong with `entry`'s name, or undefined. */
function nameProblem(entry: unknown): string | undefined {
  if (!isObject(entry)) return `it is ${entry === null ? 'null' : typeof entry}, not an object`;
  if (typeof entry['name'] !== 'string' || entry['name'] === '') return 'it has no name (a non-empty string)';
  return undefined;
}

function isConfigObject(value: unknown): boolean {
  return isObject(value) && !Array.isArray(value) && typeof value !== 'function';
}

function factoryProblem(entry: Record<string, unknown>): string | undefined {
  if (!isConfigObject(entry['defaults']))
    return 'its defaults must be an object of numbers, strings and booleans';
  for (const [key, value] of Object.entries(entry['defaults'] as object)) {
    const ok =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok) return `its default '${key}' must be a finite number, a string or a boolean`;
  }
  return undefined;
}

function kinksProblem(entry: Record<string, unknown>): string | undefined {
  const kinks = entry['kinks'];
  if (kinks === undefined) return undefined;
  return Array.isArray(kinks) && kinks.every((k) => typeof k === 'number' && Number.isFinite(k))
    ? undefined
    : 'its kinks must be an array of finite numbers';
}

/**
 * What is wrong with an entry of one of the three forms shared by activations and losses: scalar functions
 * `{ name, f, df }` (whose signatures `f` and `df` name), full `{ name, config, forward, backward }`, or a
 * factory `{ name, defaults, create }`; `extra` checks what a valid entry of the first two forms may add.
 */
function threeFormsProblem(
  entry: unknown,
  f: string,
  df: string,
  extra: (entry: Record<string, unknown>) => string | undefined,
): string | undefined {
  const named = nameProblem(entry);
  if (named !== undefined) return named;
  const e = entry as Record<string, unknown>;
  if (isFunction(e['create'])) return factoryProblem(e);
  if (isFunction(e['forward']) || isFunction(e['backward'])) {
    if (!isFunction(e['forward']) || !isFunction(e['backward'])) return 'it needs both forward and backward';
    return extra(e);
  }
  if (isFunction(e['f']) || isFunction(e['df'])) {
    if (!isFunction(e['f'])) return `it needs ${f} beside ${df}`;
    if (!isFunction(e['df'])) return `it needs ${df} beside ${f}`;
    if (e['config'] !== undefined && !isConfigObject(e['config'])) return 'its config must be an object';
    return extra(e);
  }
  return 'it is none of { name, f, df }, { name, config, forward, backward } or { name, defaults, create }';
}

/**
 * What is wrong with an activation entry, as a clause, or undefined when it is one of the three forms:
 * elementwise `{ name, f, df }`, full `{ name, config, forward, backward }`, factory `{ name, defaults, create }`.
 *
 * @example
 * ```ts
 * activationEntryProblem({ name: 'cube', f: (x: number) => x ** 3 }); // 'it needs df(x, y) beside f(x)'
 * ```
 * @param entry - anything
 * @category Plugins
 */
export function activationEntryProblem(entry: unknown): string | undefined {
  const problem = threeFormsProblem(entry, 'f(x)', 'df(x, y)', kinksProblem);
  if (problem !== undefined) return problem;
  const onnx = (entry as Record<string, unknown>)['onnx'];
  return onnx === undefined || isFunction(onnx)
    ? undefined
    : 'its onnx lowering must be a function (builder, input, config) => output';
}

/**
 * What is wrong with a loss entry, as a clause, or undefined when it is one of the three forms: per sample
 * `{ name, f, df }`, full `{ name, config, forward, backward }`, factory `{ name, defaults, create }`.
 *
 * @example
 * ```ts
 * lossEntryProblem({ name: 'l1', f: () => 0 }); // 'it needs df(o, t, out) beside f(o, t)'
 * ```
 * @param entry - anything
 * @category Plugins
 */
export function lossEntryProblem(entry: unknown): string | undefined {
  return threeFormsProblem(entry, 'f(o, t)', 'df(o, t, out)', () => undefined);
}

/**
 * What is wrong with an optimizer rule, as a clause, or undefined when it is `{ name, defaults, init, update }`
 * with a number `lr` among its defaults.
 *
 * @example
 * ```ts
 * optimizerEntryProblem({ name: 'x', defaults: {}, init: () => ({}), update: () => {} }); // 'its defaults must include a number lr'
 * ```
 * @param entry - anything
 * @category Plugins
 */
export function optimizerEntryProblem(entry: unknown): string | undefined {
  const named = nameProblem(entry);
  if (named !== undefined) return named;
  const e = entry as Record<string, unknown>;
  if (!isConfigObject(e['defaults'])) return 'its defaults must be an object with a number lr';
  const defaults = e['defaults'] as Record<string, unknown>;
  if (typeof defaults['lr'] !== 'number') return 'its defaults must include a number lr';
  for (const [key, value] of Object.entries(defaults)) {
    if (!(typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) {
      return `its default '${key}' must be a finite number or a boolean`;
    }
  }
  if (!isFunction(e['init']) || !isFunction(e['update'])) return 'init and update must be functions';
  if (e['validate'] !== undefined && !isFunction(e['validate'])) return 'validate must be a function';
  return undefined;
}
