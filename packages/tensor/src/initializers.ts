import { DeltaflowError, factoryRegistry } from '@deltaflow/core';
import type { Config, FactoryEntry, Registry } from '@deltaflow/core';
import type { Random } from './random.js';
import type { TypedArray } from './tensor.js';

/**
 * Fills the weights of a layer with `fanIn` inputs and `fanOut` units. Written into `out` (length
 * `fanIn * fanOut` for weights, `fanOut` for biases), drawing from `rng`.
 *
 * @example
 * ```ts
 * // W_ij = 0.1 for every weight
 * const constant: Initializer = (out) => void out.fill(0.1);
 * ```
 * @category Initializers
 */
export type Initializer = (out: TypedArray, fanIn: number, fanOut: number, rng: Random) => void;

/**
 * The built-in initializer names.
 *
 * @example
 * ```ts
 * const name: InitializerName = 'he-normal';
 * const weights = Tensor.zeros([784, 128]);
 * getInitializer(name)(weights.data, 784, 128, new Random(1));
 * ```
 * @category Initializers
 */
export type InitializerName =
  | 'zeros'
  | 'uniform'
  | 'normal'
  | 'glorot-uniform'
  | 'glorot-normal'
  | 'he-uniform'
  | 'he-normal'
  | 'lecun-normal';

function fillUniform(out: TypedArray, rng: Random, bound: number): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.range(-bound, bound);
}

function fillNormal(out: TypedArray, rng: Random, std: number): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, std);
}

/**
 * A parametrised initializer as {@link initializers} keeps it: every parameter with its default, and `create`,
 * which receives the checked config merged over the defaults.
 *
 * @example
 * ```ts
 * const constant: InitializerFactory<{ value: number }> = {
 *   name: 'constant',
 *   defaults: { value: 0.1 },
 *   create: ({ value }) => (out) => void out.fill(value),
 * };
 * initializers.register(constant.name, constant);
 * getInitializer({ name: 'constant', config: { value: 0.5 } });
 * ```
 * @typeParam C - the config type
 * @category Initializers
 */
export type InitializerFactory<C extends Config = Config> = FactoryEntry<Initializer, C>;

/**
 * The initializers known by name, following PyTorch's `torch.nn.init` (gain 1; he uses gain sqrt(2)):
 * - `zeros`: 0
 * - `uniform`: U(-bound, bound), bound 0.05; `normal`: N(0, std^2), std 0.05
 * - `glorot-uniform`: U(-a, a), a = sqrt(6 / (fanIn + fanOut)); `glorot-normal`: std = sqrt(2 / (fanIn + fanOut))
 * - `he-uniform`: a = sqrt(6 / fanIn); `he-normal`: std = sqrt(2 / fanIn)
 * - `lecun-normal`: std = sqrt(1 / fanIn)
 *
 * @example
 * ```ts
 * const w = new Float64Array(2 * 4);
 * initializers.create('glorot-uniform')(w, 2, 4, new Random(1));
 * initializers.create('uniform', { bound: 0.1 })(w, 2, 4, new Random(1));
 * ```
 * @category Initializers
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each factory has its own config type
export const initializers: Registry<Initializer, InitializerFactory<any>> = factoryRegistry<Initializer>(
  'initializer',
  { shared: 'initializer' },
);

/** A parameter-free initializer drawing from `fill` with the spread `scale(fanIn, fanOut)`: made once. */
function scaled(
  name: InitializerName,
  fill: (out: TypedArray, rng: Random, spread: number) => void,
  scale: (fanIn: number, fanOut: number) => number,
): InitializerFactory<Config> {
  const initializer: Initializer = (out, fanIn, fanOut, rng) => fill(out, rng, scale(fanIn, fanOut));
  return { name, defaults: {}, create: () => initializer };
}

/** An initializer drawing from `fill` with the spread given by its one parameter `key` (default `value`). */
function spread(
  name: InitializerName,
  key: string,
  value: number,
  fill: (out: TypedArray, rng: Random, spread: number) => void,
): InitializerFactory<Config> {
  return {
    name,
    defaults: { [key]: value },
    create: (config) => {
      const width = config[key] as number;
      return (out, _fanIn, _fanOut, rng) => fill(out, rng, width);
    },
  };
}

const zeros: Initializer = (out) => void out.fill(0);
const builtins: InitializerFactory<Config>[] = [
  { name: 'zeros', defaults: {}, create: () => zeros },
  spread('uniform', 'bound', 0.05, fillUniform),
  spread('normal', 'std', 0.05, fillNormal),
  scaled('glorot-uniform', fillUniform, (fanIn, fanOut) => Math.sqrt(6 / (fanIn + fanOut))),
  scaled('glorot-normal', fillNormal, (fanIn, fanOut) => Math.sqrt(2 / (fanIn + fanOut))),
  scaled('he-uniform', fillUniform, (fanIn) => Math.sqrt(6 / fanIn)),
  scaled('he-normal', fillNormal, (fanIn) => Math.sqrt(2 / fanIn)),
  scaled('lecun-normal', fillNormal, (fanIn) => Math.sqrt(1 / fanIn)),
];
// A second copy of this package shares the table (see Registry's `shared`): the first copy's built-ins stay.
for (const factory of builtins) {
  if (!initializers.has(factory.name)) initializers.register(factory.name, factory, { source: 'builtin' });
}

/**
 * What {@link getInitializer} accepts: a name, `{ name, config }`, or an initializer function.
 *
 * @example
 * ```ts
 * const ids: InitializerId[] = ['he-normal', { name: 'uniform', config: { bound: 0.1 } }, (out) => void out.fill(0)];
 * ```
 * @category Initializers
 */
export type InitializerId =
  | InitializerName
  | (string & {})
  | { readonly name: InitializerName | (string & {}); readonly config?: object }
  | Initializer;

/**
 * Looks up an initializer by name or `{ name, config }`, or passes a function through.
 *
 * @example
 * ```ts
 * const weights = new Float32Array(784 * 128);
 * const rng = new Random(1);
 * getInitializer('he-normal')(weights, 784, 128, rng);
 * getInitializer({ name: 'normal', config: { std: 0.01 } })(weights, 784, 128, rng);
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the registered initializers; `E_CONFIG` naming a bad config key
 * @category Initializers
 */
export function getInitializer(id: InitializerId): Initializer {
  if (typeof id === 'function') return id;
  if (typeof id === 'string') return initializers.create(id);
  if (id !== null && typeof id === 'object' && typeof id.name === 'string') {
    return initializers.create(id.name, id.config);
  }
  throw new DeltaflowError(
    'E_DEFINITION',
    `An initializer is a name, { name, config } or a function, not ${JSON.stringify(id)}.`,
  );
}
