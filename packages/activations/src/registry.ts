import { DeltaflowError, Registry, activationEntryProblem, checkConfig } from '@deltaflow/core';
import type { ElementwiseActivationFunctions } from '@deltaflow/core';
import type { Activation, ActivationConfig, ActivationSpec } from './activation.js';
import { isActivation, toActivation } from './elementwise.js';

/**
 * The names of the built-in activations, so editors complete them.
 *
 * @example
 * ```ts
 * const name: BuiltinActivationName = 'gelu';
 * getActivation(name);
 * ```
 * @category Registry
 */
export type BuiltinActivationName =
  'sigmoid' | 'tanh' | 'relu' | 'leaky-relu' | 'elu' | 'softplus' | 'gelu' | 'swish' | 'softmax' | 'linear';

/**
 * A parametrised activation: default parameters and a function that builds the activation from them. The
 * registry merges a user's config over `defaults` and checks it (known keys only, same types, finite numbers)
 * before `create` sees it. The built-ins with parameters (leaky-relu, elu, softplus, gelu) are written this way.
 *
 * @example
 * ```ts
 * const scaledTanh: ActivationFactory<{ scale: number }> = {
 *   name: 'scaled-tanh',
 *   defaults: { scale: 1 },
 *   create: (config) =>
 *     elementwise({
 *       name: 'scaled-tanh',
 *       config,
 *       f: (x) => config.scale * Math.tanh(x),
 *       df: (_x, y) => config.scale - (y * y) / config.scale, // d/dx scale tanh x = scale (1 - tanh^2 x)
 *     }),
 * };
 * registerActivation(scaledTanh);
 * getActivation({ name: 'scaled-tanh', config: { scale: 2 } });
 * ```
 * @typeParam C - the parameters and their types
 * @category Registry
 */
export interface ActivationFactory<C extends ActivationConfig = ActivationConfig> {
  /** The registry name. */
  readonly name: string;
  /** Every parameter with its default value; a parameter's type is its default's type. */
  readonly defaults: C;
  /**
   * Builds the activation from the defaults merged with the user's (checked) config, stored as its `config`:
   * a full {@link Activation}, or just `{ f, df }`, which is named after the factory and wrapped with
   * {@link elementwise}. Refuse a bad value by throwing an `Error` whose message names the parameter.
   */
  create(config: C): Activation | ElementwiseActivationFunctions;
}

/**
 * What {@link registerActivation} accepts: a fixed activation (either form) or a factory.
 *
 * @example
 * ```ts
 * const cube: ActivationDefinition = { name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x };
 * const scaled: ActivationDefinition<{ a: number }> = {
 *   name: 'scaled',
 *   defaults: { a: 1 },
 *   create: ({ a }) => elementwise({ name: 'scaled', f: (x) => a * x, df: () => a }),
 * };
 * registerActivation(cube);
 * registerActivation(scaled);
 * ```
 * @category Registry
 */
export type ActivationDefinition<C extends ActivationConfig = ActivationConfig> =
  ActivationSpec | ActivationFactory<C>;

/**
 * Options of {@link registerActivation}.
 *
 * @example
 * ```ts
 * registerActivation({ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x }, { source: 'my-plugin' });
 * registerActivation({ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x ** 2 }, { replace: true });
 * ```
 * @category Registry
 */
export interface RegisterActivationOptions {
  /** Replace an activation already registered under the same name (otherwise that is an error). */
  readonly replace?: boolean;
  /** Where it comes from: `'builtin'`, a plugin's name, or `'user'` (the default). */
  readonly source?: string;
}

/**
 * Every activation known by name: the built-ins (source `'builtin'`) and whatever plugins registered. It reads
 * the activation table of `@deltaflow/core` (the one `installPlugin` writes to) and turns its definitions into
 * activations; a factory's config is checked (known keys, same types, finite numbers) and merged over its
 * defaults.
 *
 * @example
 * ```ts
 * activations.names();                 // ['sigmoid', 'tanh', ..., 'linear']
 * activations.source('relu');          // → 'builtin'
 * activations.create('elu', { alpha: 0.5 });
 * ```
 * @category Registry
 */
export const activations: Registry<Activation, ActivationDefinition> = new Registry<
  Activation,
  ActivationDefinition
>('activation', { shared: 'activation', check: activationEntryProblem, build: toFactory });

function isFactory(definition: object): definition is ActivationFactory {
  const { create, defaults } = definition as Partial<ActivationFactory>;
  return typeof create === 'function' && typeof defaults === 'object' && defaults !== null;
}

/** A fixed activation accepts no config beyond the one it was made with. */
function fixedFactory(instance: Activation): (config?: object) => Activation {
  const own = instance.config ?? {};
  return (config) => {
    const merged = checkConfig('activation', instance.name, config, own);
    for (const key of Object.keys(own)) {
      if (merged[key] !== own[key]) {
        throw new DeltaflowError(
          'E_CONFIG',
          `The activation '${instance.name}' was registered with the fixed config { ${key}: ${String(own[key])} }; register ` +
            `{ name, defaults, create } to make '${key}' a parameter.`,
        );
      }
    }
    return instance;
  };
}

/**
 * What a factory's `create` built, as a spec with a name and a config: `{ f, df }` alone (no name, no config,
 * nothing imported) gets the factory's name and the config it was built from; a full activation, or a spec
 * that names itself, is kept as it is.
 */
function completeSpec(
  built: ActivationSpec | ElementwiseActivationFunctions,
  name: string,
  config: object,
): ActivationSpec {
  if (isActivation(built) || typeof built !== 'object' || built === null) return built as ActivationSpec;
  const parts = built as ElementwiseActivationFunctions;
  if (typeof parts.name === 'string' && parts.name !== '' && parts.config !== undefined)
    return parts as ActivationSpec;
  return {
    name: typeof parts.name === 'string' && parts.name !== '' ? parts.name : name,
    config: (parts.config ?? config) as ActivationConfig,
    f: parts.f,
    df: parts.df,
    ...(parts.kinks !== undefined ? { kinks: parts.kinks } : {}),
    ...(parts.onnx !== undefined ? { onnx: parts.onnx } : {}),
  };
}

/** What `activations.create` calls for a (checked) definition. */
function toFactory(definition: ActivationDefinition): (config?: object) => Activation {
  if (isFactory(definition)) {
    const factory = definition;
    return (config) => {
      const checked = checkConfig('activation', factory.name, config, factory.defaults);
      return toActivation(completeSpec(factory.create(checked), factory.name, checked));
    };
  }
  return fixedFactory(toActivation(definition as ActivationSpec));
}

/**
 * Makes an activation available by name everywhere: `getActivation`, model files, the apps.
 * Give an elementwise spec `{ name, f, df }` (the usual plugin form), a full {@link Activation} (for anything
 * not elementwise, like softmax), or an {@link ActivationFactory} `{ name, defaults, create }` for one with
 * parameters.
 *
 * @example
 * ```ts
 * registerActivation({
 *   name: 'softsign',
 *   f: (x) => x / (1 + Math.abs(x)),
 *   df: (x) => 1 / (1 + Math.abs(x)) ** 2,
 * });
 * getActivation('softsign');
 * ```
 * @throws DeltaflowError `E_DUPLICATE` if the name is taken and `options.replace` is not set; `E_DEFINITION` if
 * the definition is none of the three forms
 * @category Registry
 */
export function registerActivation<C extends ActivationConfig>(
  definition: ActivationDefinition<C>,
  options: RegisterActivationOptions = {},
): void {
  const name = (definition as { name?: unknown } | null)?.name;
  activations.register(typeof name === 'string' ? name : '', definition as ActivationDefinition, options);
}
