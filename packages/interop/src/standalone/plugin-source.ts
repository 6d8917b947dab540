import { activations } from '@deltaflow/activations';
import { DeltaflowError, unguarded } from '@deltaflow/core';
import { parseFunction } from './free-names.js';

/** Inputs on which a serialised function must give what the original gives. */
const SAMPLES = [-7.5, -3, -1, -0.5, -0.1, -0, 0, 0.1, 0.5, 1, 2.25, 3, 7.5, 1e-8, -1e-8, 40, -40];

function refuse(name: string, why: string): never {
  throw new DeltaflowError(
    'E_DEFINITION',
    `The plugin activation '${name}' cannot go into a standalone module: ${why}; write its f as a self-contained function (an arrow or function expression using only its argument and globals such as Math), or export with --format onnx.`,
  );
}

const same = (a: number, b: number): boolean => Object.is(a, b);

/** The globals a serialised function may read: the pure built-ins of the language, nothing of its host. */
const GLOBALS = new Set([
  'Math',
  'Number',
  'Infinity',
  'NaN',
  'undefined',
  'isFinite',
  'isNaN',
  'parseFloat',
  'parseInt',
  'Array',
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Uint8Array',
  'Object',
  'Boolean',
  'String',
  'BigInt',
  'JSON',
  'Error',
  'RangeError',
  'TypeError',
  'arguments',
]);

/** Evaluates a function expression alone (global scope only); the page's CSP may forbid it (an EvalError). */
export type EvaluateAlone = (expression: string) => unknown;

/** Stands in for evaluation where it is forbidden: throws the EvalError a CSP gives, without trying. */
export const forbidEval: EvaluateAlone = () => {
  throw new EvalError('evaluating code is forbidden here');
};

const evaluateAlone: EvaluateAlone = (expression) => new Function(`"use strict"; return ${expression};`)();

/**
 * The JavaScript expression of a plugin activation's `f`, from `Function.prototype.toString`, checked twice:
 * parsed (acorn), it may read no name from outside itself but the language's pure built-ins (Math, Number, ...);
 * evaluated on its own (global scope only), it must give exactly what `f` gives on sample inputs. Where a
 * Content-Security-Policy forbids evaluating code (the dashboard's page), the parse alone decides. A native or
 * bound function, a function that uses variables around it, and an activation without a scalar `f` (a full
 * activation over tensors, or a factory with a config) are refused with an `E_DEFINITION` error naming it.
 *
 * @param evaluate - how a source is evaluated alone (tests stand in for a page that forbids eval)
 * @returns an expression that evaluates to the function, e.g. `((x) => x / (1 + Math.abs(x)))`
 */
export function pluginFunctionSource(name: string, evaluate: EvaluateAlone = evaluateAlone): string {
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
  const parsed = parseFunction(source);
  if (parsed === undefined) {
    refuse(name, 'the source of its f does not evaluate to a function on its own');
  }
  if (parsed.notScalar) refuse(name, 'its f is async or a generator, so it returns no number');
  const outside = [...parsed.free].filter((n) => !GLOBALS.has(n));
  if (outside.length > 0) {
    refuse(name, `its f uses something outside itself (${outside.map((n) => `'${n}'`).join(', ')})`);
  }
  let isolated: (x: number) => number;
  try {
    isolated = evaluate(parsed.expression) as (x: number) => number;
  } catch (error) {
    // a page whose Content-Security-Policy forbids eval: the parse above is the check
    if (error instanceof EvalError) return parsed.expression;
    refuse(name, 'the source of its f does not evaluate to a function on its own');
  }
  if (typeof isolated !== 'function') {
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
  return parsed.expression;
}
