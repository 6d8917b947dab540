import { DeltaflowError } from '@deltaflow/tensor';
import type { OptimizerOptions, OptimizerRule } from './rule.js';

// Option checking shared by the Optimizer, the registry and the built-in rules (internal, not exported).

function fail(message: string): never {
  throw new DeltaflowError('E_OPTION', message);
}

/**
 * Merges `given` over `rule.defaults` and checks it: every key is one of the defaults' keys, of the same type
 * (finite number or boolean), `lr` >= 0, then the rule's own `validate`. `undefined` values count as not given.
 */
export function resolveOptions<O extends OptimizerOptions>(
  rule: Pick<OptimizerRule<O>, 'name' | 'defaults' | 'validate'>,
  given: object | undefined,
  where: string,
): O {
  const merged: Record<string, number | boolean> = { ...rule.defaults };
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    fail(`${where}: options must be an object such as { lr: 0.01 }, got ${JSON.stringify(given)}.`);
  }
  const known = Object.keys(rule.defaults);
  for (const [key, value] of Object.entries(given ?? {}) as [string, unknown][]) {
    if (value === undefined) continue;
    if (!Object.hasOwn(rule.defaults, key)) {
      fail(`${where}: unknown ${rule.name} option '${key}'; known options: ${known.join(', ')}.`);
    }
    const expected = typeof rule.defaults[key];
    if (expected === 'boolean' && typeof value !== 'boolean') {
      fail(`${where}: ${rule.name} option ${key} must be true or false, got ${JSON.stringify(value)}.`);
    }
    if (expected === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(`${where}: ${rule.name} option ${key} must be a finite number, got ${JSON.stringify(value)}.`);
    }
    merged[key] = value as number | boolean;
  }
  const options = merged as O;
  checkLr(rule.name, options.lr);
  rule.validate?.(options);
  return options;
}

/** Refuses a learning rate that is not a finite number >= 0. */
export function checkLr(ruleName: string, lr: unknown): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    fail(`${ruleName}: invalid learning rate lr = ${String(lr)}; it must be a finite number >= 0.`);
  }
}

/** Refuses `options[key]` unless `min <= value` (and `value < below` when given), naming the option. */
export function checkRange(
  ruleName: string,
  key: string,
  value: number,
  min: number,
  below = Number.POSITIVE_INFINITY,
): void {
  if (!(value >= min && value < below)) {
    const range = below === Number.POSITIVE_INFINITY ? `>= ${min}` : `in [${min}, ${below})`;
    fail(`${ruleName}: invalid ${key} = ${value}; it must be ${range}.`);
  }
}

/** Refuses when `condition` is false, with `message` (one sentence naming the option and the fix). */
export function checkOption(condition: boolean, message: string): void {
  if (!condition) fail(message);
}
