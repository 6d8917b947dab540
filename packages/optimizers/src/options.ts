import { DeltaflowError, checkConfig } from '@deltaflow/core';
import type { OptimizerOptions, OptimizerRule } from './rule.js';

// Option checking shared by the Optimizer, the registry and the built-in rules (internal, not exported).

function fail(message: string): never {
  throw new DeltaflowError('E_CONFIG', message);
}

/**
 * Merges `given` over `rule.defaults` and checks it with the one config checker of `@deltaflow/core` (known
 * keys with a suggestion for a typo, same types, finite numbers), then `lr` >= 0, then the rule's own
 * `validate`. `undefined` values count as not given. The result is a mutable copy (the `lr` setter writes it).
 */
export function resolveOptions<O extends OptimizerOptions>(
  rule: Pick<OptimizerRule<O>, 'name' | 'defaults' | 'validate'>,
  given: object | undefined,
): O {
  const options = { ...checkConfig('optimizer', rule.name, given, rule.defaults) } as O;
  checkLr(rule.name, options.lr);
  rule.validate?.(options);
  return options;
}

/** Refuses a learning rate that is not a finite number >= 0. */
export function checkLr(ruleName: string, lr: unknown): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    fail(
      `The optimizer '${ruleName}': invalid learning rate lr = ${String(lr)}; it must be a finite number >= 0.`,
    );
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
    fail(`The optimizer '${ruleName}': invalid ${key} = ${value}; it must be ${range}.`);
  }
}

/** Refuses when `condition` is false, with `message` (one sentence naming the option and the fix). */
export function checkOption(condition: boolean, message: string): void {
  if (!condition) fail(message);
}
