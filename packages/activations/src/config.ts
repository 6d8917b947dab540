import { DeltaflowError } from '@deltaflow/tensor';
import type { ActivationConfig } from './activation.js';

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/**
 * Merges a user's `config` over `defaults` after checking it: every key must be one of the defaults' keys and
 * hold a value of the same type (numbers finite). Returns a frozen copy.
 *
 * @param name - the activation, named in error messages
 * @throws DeltaflowError `E_CONFIG` naming the offending key
 */
export function readConfig<C extends ActivationConfig>(name: string, defaults: C, config: unknown): C {
  if (config === undefined || config === null) return Object.freeze({ ...defaults });
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new DeltaflowError(
      'E_CONFIG',
      `${name}: config must be an object such as { ${exampleOf(defaults)} }, got ${show(config)}.`,
    );
  }
  const merged: Record<string, number | string | boolean> = { ...defaults };
  for (const [key, value] of Object.entries(config)) {
    if (!Object.hasOwn(defaults, key)) {
      const accepted = Object.keys(defaults);
      throw new DeltaflowError(
        'E_CONFIG',
        `${name}: unknown config key '${key}'; ` +
          (accepted.length ? `accepted keys: ${accepted.join(', ')}.` : 'it takes no parameters.'),
      );
    }
    const expected = typeof defaults[key];
    const ok = typeof value === expected && (expected !== 'number' || Number.isFinite(value));
    if (!ok) {
      throw new DeltaflowError(
        'E_CONFIG',
        `${name}: config key '${key}' must be a ${expected === 'number' ? 'finite number' : expected}, got ${show(value)}.`,
      );
    }
    merged[key] = value as number | string | boolean;
  }
  return Object.freeze(merged) as C;
}

function exampleOf(defaults: ActivationConfig): string {
  return Object.entries(defaults)
    .map(([key, value]) => `${key}: ${show(value)}`)
    .join(', ');
}

/** Throws `E_CONFIG` unless `condition`: for range checks a factory makes after {@link readConfig}. */
export function checkConfig(condition: boolean, name: string, message: string): void {
  if (!condition) throw new DeltaflowError('E_CONFIG', `${name}: ${message}`);
}
