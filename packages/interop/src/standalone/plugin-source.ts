import { activations } from '@deltaflow/activations';
import { DeltaflowError, unguarded } from '@deltaflow/core';

/** Inputs on which a serialised function must give what the original gives. */
const SAMPLES = [-7.5, -3, -1, -0.5, -0.1, -0, 0, 0.1, 0.5, 1, 2.25, 3, 7.5, 1e-8, -1e-8, 40, -40];

function refuse(name: string, why: string): never {
  throw new DeltaflowError(
    'E_DEFINITION',
    `The plugin activation '${name}' cannot go into a standalone module: ${why}; write its f as a self-contained function (an arrow or function expression using only its argument and globals such as Math), or export with --format onnx.`,
  );
}

const same = (a: number, b: number): boolean => Object.is(a, b);

/**
 * The JavaScript expression of a plugin activation's `f`, from `Function.prototype.toString`, checked: the
 * source is evaluated on its own (global scope only) and must give exactly what `f` gives on sample inputs. A
 * native or bound function, a function that uses variables around it, and an activation without a scalar `f`
 * (a full activation over tensors, or a factory with a config) are refused with an `E_DEFINITION` error naming it.
 *
 * @returns an expression that evaluates to the function, e.g. `((x) => x / (1 + Math.abs(x)))`
 */
export function pluginFunctionSource(name: string): string {
  const definition = activations.definition(name) as
    { f?: unknown; create?: unknown; forward?: unknown } | undefined;
  if (definition === undefined) {
    refuse(name, 'it is not registered, so its function is unknown (install its plugin before exporting)');
  }
  const f = definition.f;
  if (typeof f !== 'function') {
    refuse(
      name,
      typeof definition.create === 'function'
        ? 'it is a factory with a config, whose function exists only inside create()'
        : 'it has no scalar function f(x) (it works on whole tensors)',
    );
  }
  // the plugin's own function, not the guard installPlugin put around it
  const source = Function.prototype.toString.call(unguarded(f as (x: number) => number));
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    refuse(name, 'its f is a native or bound function, whose source is not available');
  }
  // An arrow or function expression evaluates as it is; a method (`f(x) { ... }`) inside an object literal.
  const candidates = [`(${source})`, `(Object.values({ ${source} })[0])`];
  let expression: string | undefined;
  let isolated: ((x: number) => number) | undefined;
  for (const candidate of candidates) {
    try {
      const made = new Function(`"use strict"; return ${candidate};`)() as unknown;
      if (typeof made === 'function') {
        expression = candidate;
        isolated = made as (x: number) => number;
        break;
      }
    } catch {
      // try the next form
    }
  }
  if (expression === undefined || isolated === undefined) {
    refuse(name, 'the source of its f does not evaluate to a function on its own');
  }
  for (const x of SAMPLES) {
    let expected: number;
    let got: number;
    try {
      expected = (f as (x: number) => number)(x);
    } catch {
      continue; // the original refuses this input: nothing to compare
    }
    try {
      got = isolated(x);
    } catch (error) {
      refuse(
        name,
        `its f uses something outside itself (evaluated alone it throws ${(error as Error).message.replace(/\.$/, '')})`,
      );
    }
    if (!same(got, expected)) {
      refuse(
        name,
        `its f depends on something outside itself (evaluated alone, f(${x}) is ${got}, not ${expected})`,
      );
    }
  }
  return expression;
}
