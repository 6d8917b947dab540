import { DeltaflowError } from '@deltaflow/core';
import { checkLr, resolveOptions } from './options.js';
import type { OptimizerOptions, OptimizerRule, Parameter, ParameterState } from './rule.js';
import { checkHeader, matchParameters, restoreState, saveState } from './state-dict.js';
import type { OptimizerStateDict } from './state-dict.js';

function checkParameters(parameters: readonly Parameter[]): void {
  const seen = new Set<string>();
  for (const p of parameters) {
    if (seen.has(p.name)) {
      throw new DeltaflowError(
        'E_DUPLICATE',
        `Optimizer: two parameters are named '${p.name}'; give each a unique name.`,
      );
    }
    seen.add(p.name);
    if (p.value.size !== p.grad.size) {
      throw new DeltaflowError(
        'E_SHAPE',
        `Optimizer: parameter '${p.name}' has ${p.value.size} values but its grad has ${p.grad.size}.`,
      );
    }
    if (p.value.dtype !== p.grad.dtype) {
      throw new DeltaflowError(
        'E_DTYPE',
        `Optimizer: parameter '${p.name}' is ${p.value.dtype} but its grad is ${p.grad.dtype}.`,
      );
    }
  }
}

/**
 * Updates a list of {@link Parameter}s with a per-parameter {@link OptimizerRule}: it owns the step counter, the
 * options and every parameter's state, and saves and restores them ({@link Optimizer.stateDict}).
 *
 * Each `step()` is step t = 1, 2, ... and calls `rule.update(value, grad, state, options, t)` for every
 * parameter, e.g. W <- W - eta * dE/dW for plain sgd. Nothing is allocated per step.
 *
 * @example
 * ```ts
 * import { Tensor } from '@deltaflow/tensor';
 * import { Optimizer, adam } from '@deltaflow/optimizers';
 *
 * // minimise E = 1/2 sum (W - 3)^2, whose gradient dE/dW is W - 3
 * const w = { name: 'w', value: Tensor.fromArray([0, 10], [2], 'float64'), grad: Tensor.zeros([2], 'float64') };
 * const optimizer = new Optimizer(adam, [w], { lr: 0.1 });
 * for (let t = 0; t < 500; t++) {
 *   optimizer.zeroGrad();
 *   for (let i = 0; i < 2; i++) w.grad.data[i] += w.value.data[i] - 3;   // backward
 *   optimizer.step();
 * }
 * w.value.data; // close to [3, 3]
 * ```
 * @typeParam O - the rule's options
 * @category Optimizer
 */
export class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The rule applied to every parameter. */
  readonly rule: OptimizerRule<O, ParameterState>;
  /** The parameters updated, in order. */
  readonly parameters: readonly Parameter[];
  private current: O;
  private states: ParameterState[];
  private steps = 0;

  /**
   * @param rule - the update rule, e.g. {@link adam} (or use {@link createOptimizer} to name it)
   * @param parameters - values and gradients to update; names must be unique
   * @param options - merged over `rule.defaults`
   * @throws DeltaflowError `E_CONFIG` naming an unknown or invalid option; `E_DUPLICATE` for a repeated parameter
   *   name; `E_SHAPE` / `E_DTYPE` when a value and its grad differ
   */
  constructor(
    rule: OptimizerRule<O, ParameterState>,
    parameters: readonly Parameter[],
    options: Partial<O> = {},
  ) {
    checkParameters(parameters);
    this.rule = rule;
    this.parameters = [...parameters];
    this.current = resolveOptions(rule, options);
    this.states = this.parameters.map((p) => rule.init(p.value.size, this.current, p.value.dtype));
  }

  /** The rule's registry name, e.g. `'adam'`. */
  get name(): string {
    return this.rule.name;
  }

  /** The options in force (read-only; change `lr` with the {@link Optimizer.lr} setter). */
  get options(): Readonly<O> {
    return this.current;
  }

  /** Steps taken so far; the next `step()` passes `stepCount + 1` to the rule. */
  get stepCount(): number {
    return this.steps;
  }

  /** The learning rate eta used by the next step. */
  get lr(): number {
    return this.current.lr;
  }

  /**
   * Changes the learning rate from the next step on (for schedules, or a trainer adjusting it while running).
   *
   * @throws DeltaflowError `E_CONFIG` unless a finite number >= 0 (and acceptable to the rule)
   */
  set lr(value: number) {
    checkLr(this.rule.name, value);
    const before = this.current.lr;
    this.current.lr = value;
    try {
      this.rule.validate?.(this.current);
    } catch (error) {
      this.current.lr = before;
      throw error;
    }
  }

  /** Applies one update to every parameter from its current grad. */
  step(): void {
    const t = ++this.steps;
    const { parameters, states, current, rule } = this;
    for (let i = 0; i < parameters.length; i++) {
      const p = parameters[i]!;
      rule.update(p.value.data, p.grad.data, states[i]!, current, t);
    }
  }

  /** Sets every parameter's grad to 0 (gradients accumulate with `+=` during backward). */
  zeroGrad(): void {
    for (const p of this.parameters) p.grad.data.fill(0);
  }

  /**
   * The live state of one parameter (by name or object), as the rule's `update` sees it. Meant for inspection
   * and tests; changing it changes the next update.
   *
   * @throws DeltaflowError `E_UNKNOWN` if no parameter has that name
   */
  stateOf(parameter: Parameter | string): ParameterState {
    const name = typeof parameter === 'string' ? parameter : parameter.name;
    const index = this.parameters.findIndex((p) => p.name === name);
    if (index < 0) {
      const names = this.parameters.map((p) => p.name).join(', ');
      throw new DeltaflowError(
        'E_UNKNOWN',
        `Optimizer: no parameter named '${name}'; parameters: ${names || '(none)'}.`,
      );
    }
    return this.states[index]!;
  }

  /**
   * A JSON-serialisable snapshot: rule name, step count, options and every parameter's state (typed arrays as
   * number arrays). {@link Optimizer.loadStateDict} restores it; continuing then gives bit-identical results.
   *
   * @example
   * ```ts
   * import { writeFileSync } from 'node:fs';
   *
   * writeFileSync('optimizer.json', JSON.stringify(optimizer.stateDict()));
   * ```
   */
  stateDict(): OptimizerStateDict {
    return {
      name: this.rule.name,
      step: this.steps,
      options: { ...this.current },
      states: this.parameters.map((p, i) => ({
        name: p.name,
        size: p.value.size,
        state: saveState(this.states[i]!),
      })),
    };
  }

  /**
   * Restores a {@link Optimizer.stateDict} (also after a JSON round trip) onto this optimizer's parameters,
   * matched by name: the step count, the options and every parameter's state. All or nothing: on an error the
   * optimizer is unchanged.
   *
   * @example
   * ```ts
   * import { readFileSync } from 'node:fs';
   *
   * const optimizer = createOptimizer('adam', model.parameters());
   * optimizer.loadStateDict(JSON.parse(readFileSync('optimizer.json', 'utf8')));
   * ```
   * @throws DeltaflowError `E_STATE` naming what does not match (rule name, parameter names or sizes, state
   *   entries); `E_CONFIG` for a bad option
   */
  loadStateDict(dict: OptimizerStateDict): void {
    checkHeader(dict, this.rule.name);
    const options = resolveOptions(this.rule, dict.options);
    const entries = matchParameters(dict.states, this.parameters);
    const states = this.parameters.map((p, i) => {
      const fresh = this.rule.init(p.value.size, options, p.value.dtype);
      restoreState(entries[i]!.state, fresh, `'${p.name}'`);
      return fresh;
    });
    this.current = options;
    this.states = states;
    this.steps = dict.step;
  }
}
