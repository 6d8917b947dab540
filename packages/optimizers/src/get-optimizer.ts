import { DeltaflowError } from '@deltaflow/core';
import { Optimizer } from './optimizer.js';
import { checkRule, optimizers } from './registry.js';
import type { BuiltinOptimizerName } from './registry.js';
import type { OptimizerOptions, OptimizerRule, Parameter } from './rule.js';

/**
 * What {@link getOptimizerRule} and {@link createOptimizer} accept: a registered name, a serialised
 * `{ name, config }` (config: options overriding the rule's defaults) or a rule object.
 *
 * @example
 * ```ts
 * const ids: OptimizerId[] = ['adam', { name: 'sgd', config: { lr: 0.5, momentum: 0.9 } }, sgd];
 * ```
 * @category Registry
 */
export type OptimizerId =
  | BuiltinOptimizerName
  | (string & {})
  | {
      /** A registered optimizer name. */
      readonly name: string;
      /** Options overriding the rule's defaults. */
      readonly config?: Partial<OptimizerOptions>;
    }
  | OptimizerRule;

/**
 * Finds a rule by name, by `{ name, config }` (config becomes its defaults), or passes a rule object through.
 *
 * @example
 * ```ts
 * getOptimizerRule('adam').defaults.lr;                                  // 0.001
 * getOptimizerRule({ name: 'sgd', config: { lr: 0.5 } }).defaults.lr;    // 0.5
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the registered optimizers; `E_CONFIG` for a bad config
 * @category Registry
 */
export function getOptimizerRule(id: OptimizerId): OptimizerRule {
  if (typeof id === 'string') return optimizers.create(id);
  if (id !== null && typeof id === 'object' && 'update' in id) {
    checkRule(id);
    return id;
  }
  if (id === null || typeof id !== 'object' || typeof id.name !== 'string') {
    throw new DeltaflowError(
      'E_UNKNOWN',
      `Expected an optimizer name, { name, config } or a rule, got ${JSON.stringify(id)}.`,
    );
  }
  return optimizers.create(id.name, id.config);
}

/**
 * Builds an {@link Optimizer} over `params` from a name, `{ name, config }` or rule, with `options` over the
 * rule's defaults (and over `config`).
 *
 * @example
 * ```ts
 * const optimizer = createOptimizer('sgd', model.parameters(), { lr: 0.5, momentum: 0.9 });
 * const fromJson = createOptimizer({ name: 'adam', config: { lr: 0.01 } }, model.parameters());
 * ```
 * @throws DeltaflowError `E_UNKNOWN` for an unknown name; `E_CONFIG` naming an unknown or invalid option
 * @category Registry
 */
export function createOptimizer(
  id: OptimizerId,
  params: readonly Parameter[],
  options: Partial<OptimizerOptions> = {},
): Optimizer {
  return new Optimizer(getOptimizerRule(id), params, options);
}
