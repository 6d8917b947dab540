import { DeltaflowError } from '@deltaflow/core';
import type { Parameter, ParameterState } from './rule.js';

/**
 * Everything needed to resume an optimizer, as plain JSON-serialisable data: what {@link Optimizer.stateDict}
 * returns and {@link Optimizer.loadStateDict} takes. Typed arrays are stored as number arrays.
 *
 * @example
 * ```ts
 * const saved: OptimizerStateDict = JSON.parse(JSON.stringify(optimizer.stateDict()));
 * // { name: 'adam', step: 2, options: { lr: 0.001, ... }, states: [{ name: 'w', size: 3, state: { expAvg: [...], ... } }] }
 * ```
 * @category Optimizer
 */
export interface OptimizerStateDict {
  /** The rule's registry name, e.g. `'adam'`. */
  name: string;
  /** Steps taken so far (the next `step()` is step `step + 1`). */
  step: number;
  /** The options in force, all of them. */
  options: Record<string, number | boolean>;
  /** One entry per parameter, in the optimizer's parameter order. */
  states: ParameterStateDict[];
}

/**
 * The saved state of one parameter, inside an {@link OptimizerStateDict}.
 *
 * @example
 * ```ts
 * const entry: ParameterStateDict = { name: 'w', size: 3, state: { momentumBuffer: [0.1, 0.2, 0.3] } };
 * ```
 * @category Optimizer
 */
export interface ParameterStateDict {
  /** The parameter's name. */
  name: string;
  /** Its number of elements. */
  size: number;
  /** The rule's state: number arrays for typed arrays, numbers as they are. */
  state: Record<string, number[] | number>;
}

/** Plain-data copy of a parameter's state (typed arrays become number arrays). */
export function saveState(state: ParameterState): Record<string, number[] | number> {
  const out: Record<string, number[] | number> = {};
  for (const [key, value] of Object.entries(state))
    out[key] = typeof value === 'number' ? value : Array.from(value);
  return out;
}

function fail(message: string): never {
  throw new DeltaflowError('E_STATE', message);
}

/**
 * Copies `saved` into `fresh` (a state just made by the rule's `init`), checking that it has the same keys, the
 * same kinds of value and the same array lengths. `where` names the parameter in messages.
 */
export function restoreState(saved: unknown, fresh: ParameterState, where: string): void {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) {
    fail(`loadStateDict: the state of ${where} must be an object of arrays and numbers.`);
  }
  const entries = saved as Record<string, unknown>;
  const expected = Object.keys(fresh);
  for (const key of Object.keys(entries)) {
    if (!Object.hasOwn(fresh, key)) {
      fail(
        `loadStateDict: the state of ${where} has '${key}', which this rule does not keep (it keeps: ${expected.join(', ') || 'nothing'}).`,
      );
    }
  }
  for (const key of expected) {
    const target = fresh[key]!;
    const value = entries[key];
    if (typeof target === 'number') {
      if (typeof value !== 'number')
        fail(`loadStateDict: ${where}.${key} must be a number, got ${JSON.stringify(value)}.`);
      fresh[key] = value;
      continue;
    }
    if (!Array.isArray(value) || value.length !== target.length) {
      const got = Array.isArray(value) ? `${value.length} numbers` : (JSON.stringify(value) ?? 'nothing');
      fail(
        `loadStateDict: ${where}.${key} must be an array of ${target.length} numbers, got ${got}; was the state saved with other options or parameters?`,
      );
    }
    for (let i = 0; i < value.length; i++) {
      const x: unknown = value[i];
      if (typeof x !== 'number')
        fail(`loadStateDict: ${where}.${key}[${i}] must be a number, got ${JSON.stringify(x)}.`);
      target[i] = x;
    }
  }
}

/** Checks the parts of a saved dict that do not depend on parameters: that it is one, its rule name and step. */
export function checkHeader(dict: unknown, ruleName: string): asserts dict is OptimizerStateDict {
  if (dict === null || typeof dict !== 'object')
    fail('loadStateDict: expected an object { name, step, options, states }.');
  const { name, step } = dict as Partial<OptimizerStateDict>;
  if (name !== ruleName) {
    fail(
      `loadStateDict: the state was saved by the optimizer '${String(name)}' but this one is '${ruleName}'; create a '${String(name)}' optimizer to restore it.`,
    );
  }
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    fail(`loadStateDict: step must be an integer >= 0, got ${JSON.stringify(step)}.`);
  }
}

/**
 * The saved entries in `parameters` order, matched by name; refuses missing, extra or repeated names and sizes
 * that differ.
 */
export function matchParameters(saved: unknown, parameters: readonly Parameter[]): ParameterStateDict[] {
  if (!Array.isArray(saved)) fail('loadStateDict: states must be an array with one entry per parameter.');
  const byName = new Map<unknown, ParameterStateDict>();
  for (const entry of saved as ParameterStateDict[]) {
    const name: unknown = entry?.name;
    if (byName.has(name)) fail(`loadStateDict: the saved states name the parameter '${String(name)}' twice.`);
    byName.set(name, entry);
  }
  const ours = parameters.map((p) => p.name);
  const extra = [...byName.keys()].filter((name) => !ours.includes(name as string));
  if (extra.length > 0) {
    fail(
      `loadStateDict: the saved states name parameters this optimizer does not have: ${extra.map((n) => `'${String(n)}'`).join(', ')} (it has: ${ours.join(', ')}).`,
    );
  }
  return parameters.map((p) => {
    const entry = byName.get(p.name);
    if (!entry)
      fail(`loadStateDict: no saved state for parameter '${p.name}'; was it saved from another model?`);
    if (entry.size !== p.value.size) {
      fail(
        `loadStateDict: parameter '${p.name}' has ${p.value.size} values here but ${JSON.stringify(entry.size)} in the saved state.`,
      );
    }
    return entry;
  });
}
