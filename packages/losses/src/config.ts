import { DeltaflowError } from '@deltaflow/tensor';
import type { LossConfig } from './loss.js';

/**
 * Merges `config` over `defaults`, refusing keys `defaults` does not have and values of another type.
 *
 * @param name - the loss name, for the message
 * @throws DeltaflowError `E_CONFIG` naming the offending key
 * @internal
 */
export function resolveConfig<C extends LossConfig>(name: string, defaults: C, config?: object): C {
  if (config === undefined || config === null) return defaults;
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new DeltaflowError(
      'E_CONFIG',
      `The config of loss '${name}' must be an object such as { delta: 1 }, not ${JSON.stringify(config)}.`,
    );
  }
  const known = Object.keys(defaults);
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(config)) {
    if (!Object.hasOwn(defaults, key)) {
      throw new DeltaflowError(
        'E_CONFIG',
        `Unknown config key '${key}' for loss '${name}'; it takes ${known.length ? known.join(', ') : 'no config'}.`,
      );
    }
    const expected = typeof defaults[key];
    if (typeof value !== expected) {
      throw new DeltaflowError(
        'E_CONFIG',
        `The config key '${key}' of loss '${name}' must be a ${expected}, not ${JSON.stringify(value)}.`,
      );
    }
    merged[key] = value;
  }
  return Object.freeze(merged) as C;
}
