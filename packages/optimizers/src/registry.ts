import { DeltaflowError, Registry } from '@deltaflow/tensor';
import { resolveOptions } from './options.js';
import { Optimizer } from './optimizer.js';
import type { OptimizerOptions, OptimizerRule, Parameter, ParameterState } from './rule.js';

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
export const optimizers = new Registry<OptimizerRule>('optimizer');

function checkRule(rule: unknown): asserts rule is OptimizerRule {
  const r = rule as Partial<OptimizerRule> | null;
  const problem =
    r === null || typeof r !== 'object'
      ? 'it is not an object'
      : typeof r.name !== 'string' || r.name === ''
        ? 'its name is not a non-empty string'
        : r.defaults === null || typeof r.defaults !== 'object' || typeof r.defaults.lr !== 'number'
          ? 'its defaults do not include a number lr'
          : typeof r.init !== 'function' || typeof r.update !== 'function'
            ? 'init and update must be functions'
            : undefined;
  if (problem) {
    const name = typeof r?.name === 'string' ? ` '${r.name}'` : '';
    throw new DeltaflowError(
      'E_RULE',
      `Optimizer rule${name} is malformed: ${problem}; see OptimizerRule { name, defaults, init, update }.`,
    );
  }
}

/** The rule with `config` merged over its defaults (checked), or the rule itself when there is no config. */
function withConfig(rule: OptimizerRule, config: object | undefined): OptimizerRule {
  if (config === undefined || Object.keys(config).length === 0) return rule;
  const defaults = resolveOptions(rule, config, `optimizer '${rule.name}'`);
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
 * @throws DeltaflowError `E_DUPLICATE` if the name is taken and `replace` is not set; `E_RULE` for a malformed rule
 * @category Registry
 */
export function registerOptimizer<O extends OptimizerOptions, S extends ParameterState>(
  rule: OptimizerRule<O, S>,
  options: { replace?: boolean; source?: string } = {},
): void {
  checkRule(rule);
  const checked = rule as unknown as OptimizerRule;
  optimizers.register(checked.name, (config) => withConfig(checked, config), options);
}

/**
 * Finds a rule by name, by `{ name, config }` (config becomes its defaults), or passes a rule object through.
 *
 * @example
 * ```ts
 * getOptimizerRule('adam').defaults.lr;                                  // → 0.001
 * getOptimizerRule({ name: 'sgd', config: { lr: 0.5 } }).defaults.lr;    // → 0.5
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the registered optimizers; `E_OPTION` for a bad config
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
 * @throws DeltaflowError `E_UNKNOWN` for an unknown name; `E_OPTION` naming an unknown or invalid option
 * @category Registry
 */
export function createOptimizer(
  id: OptimizerId,
  params: readonly Parameter[],
  options: Partial<OptimizerOptions> = {},
): Optimizer {
  return new Optimizer(getOptimizerRule(id), params, options);
}
