import { DeltaflowError, checkConfig, pluginRegistries } from '@deltaflow/core';
import type { Config } from '@deltaflow/core';
import { getActivation } from '@deltaflow/activations';
import type { ActivationChoice } from '@deltaflow/trainer';
import { UsageError, registeredName } from '../errors.js';

// Activation config (`--activation isru:a=0.5,b=2`, `{ "name": "isru", "config": { "a": 0.5 } }`) and optimizer
// options (`--opt beta1=0.8`, `"optimizerOptions": { "beta1": 0.8 }`): parsed, then checked against the registered
// entry's `defaults`, so an unknown key is named with the closest accepted one.

/** The optimizer options that have their own flag: `--opt` refuses them, naming the flag. */
export const NAMED_OPTIMIZER_FLAGS: Readonly<Record<string, string>> = {
  lr: '--lr',
  momentum: '--momentum',
  nesterov: '--nesterov',
  weightDecay: '--weight-decay',
};

type Value = number | boolean | string;

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/** A `key=value` text as the type of `like` (the default's value) says: a finite number, true/false, or text. */
function typed(flag: string, key: string, text: string, like: unknown): Value {
  if (typeof like === 'string') return text;
  if (typeof like === 'boolean' || text === 'true' || text === 'false') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw new UsageError(`${flag}: ${key} must be true or false, got '${text}'.`);
  }
  const n = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`${flag}: ${key} must be a finite number, got '${text}'.`);
  return n;
}

/**
 * `key=value` pairs separated by commas (`a=0.5,b=2`), each value typed like the default of its key.
 *
 * @example
 * ```ts
 * keyValues('--opt', 'beta1=0.8,amsgrad=true', { beta1: 0.9, amsgrad: false }); // → { beta1: 0.8, amsgrad: true }
 * ```
 */
export function keyValues(
  flag: string,
  text: string,
  defaults: Record<string, unknown>,
): Record<string, Value> {
  const result: Record<string, Value> = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(part);
    if (!match) {
      throw new UsageError(
        `${flag}: '${part}' is not key=value; write the settings as key=value separated by commas, such as a=0.5,b=2.`,
      );
    }
    const [, key, value] = match as unknown as [string, string, string];
    result[key] = typed(flag, key, value, defaults[key]);
  }
  return result;
}

/** The defaults of a registered entry (`{}` for one without parameters, such as `{ name, f, df }`). */
function defaultsOf(kind: 'activation' | 'optimizer', name: string): Record<string, unknown> {
  const definition = pluginRegistries[kind].definition(name) as { defaults?: unknown } | undefined;
  const defaults = definition?.defaults;
  return typeof defaults === 'object' && defaults !== null ? (defaults as Record<string, unknown>) : {};
}

const lower = (message: string): string => `${message.charAt(0).toLowerCase()}${message.slice(1)}`;

/**
 * An activation with its config: a registered name (`tanh`), `name:key=value,...` (`isru:a=0.5`), or (from a
 * config file or a checkpoint) `{ name, config }`. The name must be registered and the config keys among the
 * activation's `defaults` (a typo is answered with the closest key), values of the defaults' types.
 *
 * @example
 * ```ts
 * import '@deltaflow/activations'; // registers the built-ins
 *
 * activationChoice('--activation', 'tanh'); // → 'tanh'
 * activationChoice('--activation', 'elu:alpha=0.5'); // → { name: 'elu', config: { alpha: 0.5 } }
 * ```
 * @throws UsageError naming the flag: an unknown name or key (with a suggestion), a value of the wrong type
 */
export function activationChoice(flag: string, value: unknown): ActivationChoice {
  let name: string;
  let config: Record<string, unknown> | undefined;
  if (typeof value === 'string') {
    const colon = value.indexOf(':');
    name = registeredName(flag, 'activation', (colon < 0 ? value : value.slice(0, colon)).trim());
    if (colon >= 0) config = keyValues(flag, value.slice(colon + 1), defaultsOf('activation', name));
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const given = value as { name?: unknown; config?: unknown };
    const extra = Object.keys(given).filter((key) => key !== 'name' && key !== 'config');
    if (typeof given.name !== 'string' || extra.length > 0) {
      throw new UsageError(
        `${flag} must be a name, name:key=value,... or { "name": ..., "config": { ... } }, got ${JSON.stringify(value)}.`,
      );
    }
    name = registeredName(flag, 'activation', given.name);
    if (given.config !== undefined) {
      if (typeof given.config !== 'object' || given.config === null || Array.isArray(given.config))
        throw new UsageError(
          `${flag}: config must be an object such as { "a": 0.5 }, got ${show(given.config)}.`,
        );
      config = given.config as Record<string, unknown>;
    }
  } else {
    throw new UsageError(`${flag} needs an activation name such as tanh or isru:a=0.5, got ${show(value)}.`);
  }
  if (config === undefined) return name;
  try {
    // builds it once: the registry checks the keys and types, the factory its own ranges
    getActivation({ name, config: config as Record<string, Value> });
  } catch (error) {
    if (!(error instanceof DeltaflowError)) throw error;
    throw new UsageError(`${flag}: ${lower(error.message)}`, { cause: error });
  }
  return { name, config: config as Record<string, Value> };
}

/**
 * The `--opt key=value` flags (repeatable; a value may hold several pairs separated by commas) as one object.
 *
 * @example
 * ```ts
 * optFlags(['beta1=0.8', 'beta2=0.99']); // → { beta1: '0.8', beta2: '0.99' }
 * ```
 */
export function optFlags(value: unknown): Record<string, string> {
  const list = [value].flat();
  const result: Record<string, string> = {};
  for (const item of list) {
    if (typeof item !== 'string')
      throw new UsageError(`--opt takes key=value, such as --opt beta1=0.8; got ${show(item)}.`);
    for (const part of item.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new UsageError(`--opt takes key=value, such as --opt beta1=0.8; got '${part}'.`);
      result[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return result;
}

/**
 * The optimizer's options given by `--opt` and `optimizerOptions`, checked against the optimizer's `defaults`:
 * an unknown key is named with the closest accepted one, a value must have its default's type (numbers finite).
 * Keys with their own flag (`lr`, `momentum`, `nesterov`, `weightDecay`) are refused from `--opt`, naming the flag.
 *
 * @example
 * ```ts
 * import '@deltaflow/optimizers'; // registers the built-ins
 *
 * optimizerOptions('adam', { beta1: '0.8' }); // → { beta1: 0.8 }
 * // optimizerOptions('adam', { beat1: '0.8' }) throws: "--opt beat1: the optimizer 'adam' has no config key 'beat1'; did you mean 'beta1'? ..."
 * ```
 * @param texts - from `--opt` (text, typed here) and `optimizerOptions` (JSON values)
 * @throws UsageError naming the key
 */
export function optimizerOptions(
  optimizer: string,
  texts: Record<string, unknown>,
): Record<string, number | boolean> {
  const defaults = defaultsOf('optimizer', optimizer);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(texts)) {
    const flag = `--opt ${key}`;
    if (NAMED_OPTIMIZER_FLAGS[key])
      throw new UsageError(`${flag}: ${key} has its own flag; write ${NAMED_OPTIMIZER_FLAGS[key]} instead.`);
    options[key] = typeof value === 'string' ? typed(flag, key, value, defaults[key]) : value;
    try {
      checkConfig('optimizer', optimizer, { [key]: options[key] }, defaults as Config);
    } catch (error) {
      if (!(error instanceof DeltaflowError)) throw error;
      throw new UsageError(`${flag}: ${lower(error.message)}`, { cause: error });
    }
  }
  return options as Record<string, number | boolean>;
}
