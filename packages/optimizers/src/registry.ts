import { DeltaflowError, Registry, optimizerEntryProblem } from '@deltaflow/core';
import { resolveOptions } from './options.js';
import type { OptimizerOptions, OptimizerRule, ParameterState } from './rule.js';

/**
 * The built-in optimizer names, a string-literal union so editors complete them.
 *
 * @example
 * ```ts
 * const name: BuiltinOptimizerName = 'adamw';
 * createOptimizer(name, model.parameters());
 * ```
 * @category Registry
 */
export type BuiltinOptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/**
 * Every optimizer rule available by name: the built-ins (source `'builtin'`) and whatever plugins registered.
 * An entry built with a config is the rule with those options as its defaults.
 *
 * @example
 * ```ts
 * optimizers.names();          // ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', ...]
 * optimizers.source('adam');   // → 'builtin'
 * ```
 * @category Registry
 */
export const optimizers: Registry<OptimizerRule, OptimizerRule> = new Registry<OptimizerRule, OptimizerRule>(
  'optimizer',
  {
    shared: 'optimizer',
    check: optimizerEntryProblem,
    build: (rule) => (config) => withConfig(rule, config),
  },
);

/** Refuses a rule object that is not `{ name, defaults, init, update }`. */
export function checkRule(rule: unknown): asserts rule is OptimizerRule {
  const problem = optimizerEntryProblem(rule);
  if (problem !== undefined) {
    const name = (rule as { name?: unknown } | null)?.name;
    throw new DeltaflowError(
      'E_DEFINITION',
      `The optimizer${typeof name === 'string' ? ` '${name}'` : ''} is malformed: ${problem}; see OptimizerRule { name, defaults, init, update }.`,
    );
  }
}

/** The rule with `config` merged over its defaults (checked), or the rule itself when there is no config. */
function withConfig(rule: OptimizerRule, config: object | undefined): OptimizerRule {
  if (config === undefined || config === null || Object.keys(config).length === 0) return rule;
  const defaults = resolveOptions(rule, config);
  return Object.create(rule, { defaults: { value: defaults, enumerable: true } }) as OptimizerRule;
}

/**
 * Makes `rule` available by its name everywhere a built-in's works (code, CLI, dashboard).
 *
 * @example
 * ```ts
 * registerOptimizer({
 *   name: 'signsgd',
 *   defaults: { lr: 0.01 },
 *   init: () => ({}),
 *   update: (param, grad, _state, options) => {
 *     for (let i = 0; i < param.length; i++) param[i] -= options.lr * Math.sign(grad[i]);
 *   },
 * });
 * createOptimizer('signsgd', model.parameters());
 * ```
 * @param rule - the per-parameter rule; its `name` is the registry name
 * @param options - `replace` overwrites an existing name; `source` says where it came from (a plugin name)
 * @throws DeltaflowError `E_DUPLICATE` if the name is taken and `replace` is not set; `E_DEFINITION` for a malformed rule
 * @category Registry
 */
export function registerOptimizer<O extends OptimizerOptions, S extends ParameterState>(
  rule: OptimizerRule<O, S>,
  options: { replace?: boolean; source?: string } = {},
): void {
  const name = (rule as { name?: unknown } | null)?.name;
  optimizers.register(typeof name === 'string' ? name : '', rule as unknown as OptimizerRule, options);
}
