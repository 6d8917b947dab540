import { DeltaflowError, activationEntryProblem } from '@deltaflow/core';
import type { Tensor, TypedArray } from '@deltaflow/tensor';
import type { Activation, ActivationSpec, ElementwiseActivationSpec } from './activation.js';

/** Throws `E_SHAPE` unless `out` holds as many numbers as `x`. */
export function checkForward(name: string, x: Tensor, out: Tensor): void {
  // A plain test, not assertShape: its message closure would be allocated on every call of this hot path.
  if (out.size !== x.size) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${name}.forward: out [${out.shape.join(', ')}] must match x [${x.shape.join(', ')}].`,
    );
  }
}

/** Throws `E_SHAPE` unless `y`, `dy` and `dx` hold as many numbers as `x`. */
export function checkBackward(name: string, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): void {
  const size = x.size;
  if (y.size !== size || dy.size !== size || dx.size !== size) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${name}.backward: x [${x.shape.join(', ')}], y [${y.shape.join(', ')}], dy [${dy.shape.join(', ')}] and ` +
        `dx [${dx.shape.join(', ')}] must have one shape.`,
    );
  }
}

function checkSpec(spec: ElementwiseActivationSpec): void {
  const problem = activationEntryProblem(spec);
  const elementwiseForm =
    typeof spec === 'object' &&
    spec !== null &&
    typeof spec.f === 'function' &&
    typeof spec.df === 'function';
  if (problem !== undefined || !elementwiseForm) {
    throw new DeltaflowError(
      'E_DEFINITION',
      `An elementwise activation needs a non-empty name and two functions f(x) and df(x, y) and, if any, kinks as an array of finite numbers; check ${describe(spec)}.`,
    );
  }
}

/** A short description of a value that may be anything, for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const name = (value as { name?: unknown }).name;
    return typeof name === 'string' ? `'${name}'` : `the object with keys ${Object.keys(value).join(', ')}`;
  }
  return String(value);
}

/**
 * Wraps two scalar functions into an {@link Activation} whose forward and backward are loops over the tensors'
 * typed arrays, allocating nothing: O = f(x) for every element, then delta = f'(x, O) * dE/dO.
 *
 * This is how plugins add an activation, and how the built-ins are written.
 *
 * @example
 * ```ts
 * const softsign = elementwise({
 *   name: 'softsign',
 *   f: (x) => x / (1 + Math.abs(x)),
 *   df: (x) => 1 / (1 + Math.abs(x)) ** 2,
 * });
 * softsign.forward(x, o);
 * softsign.backward(x, o, dO, dx);
 * ```
 * @param spec - the name, f(x) and df(x, y) with y = f(x), and the config it was made with
 * @returns an activation with `config` = `spec.config` (or `{}`)
 * @throws DeltaflowError `E_DEFINITION` when the name, `f` or `df` is missing
 * @category Activation
 */
export function elementwise(spec: ElementwiseActivationSpec): Activation {
  checkSpec(spec);
  const { name, f, df } = spec;
  return Object.freeze({
    name,
    config: Object.freeze({ ...spec.config }),
    ...(spec.kinks ? { kinks: Object.freeze([...spec.kinks]) } : {}),
    ...(spec.onnx ? { onnx: spec.onnx } : {}),
    forward(x: Tensor, out: Tensor): void {
      checkForward(name, x, out);
      const xs = x.data;
      const os = out.data;
      for (let i = 0; i < xs.length; i++) os[i] = f(xs[i]!);
    },
    backward(x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): void {
      checkBackward(name, x, y, dy, dx);
      const xs = x.data;
      const ys = y.data;
      const dys = dy.data;
      const dxs = dx.data;
      for (let i = 0; i < xs.length; i++) dxs[i] = df(xs[i]!, ys[i]!) * dys[i]!;
    },
  });
}

/** A batch kernel over typed arrays: forward `(x, out)` or backward `(x, y, dy, dx)`. */
export interface Kernels {
  forward(x: TypedArray, out: TypedArray): void;
  backward(x: TypedArray, y: TypedArray, dy: TypedArray, dx: TypedArray): void;
}

/**
 * An elementwise activation whose batch loops are hand-written `kernels` (tight loops the JIT compiles for this
 * one function) instead of calls to `spec.f` and `spec.df`; the spec stays the definition they must agree with.
 */
export function withKernels(spec: ElementwiseActivationSpec, kernels: Kernels): Activation {
  const { name, config, kinks, onnx } = elementwise(spec);
  return Object.freeze({
    name,
    config,
    ...(kinks ? { kinks } : {}),
    ...(onnx ? { onnx } : {}),
    forward(x: Tensor, out: Tensor): void {
      checkForward(name, x, out);
      kernels.forward(x.data, out.data);
    },
    backward(x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): void {
      checkBackward(name, x, y, dy, dx);
      kernels.backward(x.data, y.data, dy.data, dx.data);
    },
  });
}

/** Whether `spec` is a full {@link Activation} (it has `forward` and `backward`). */
export function isActivation(spec: unknown): spec is Activation {
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof (spec as Activation).forward === 'function' &&
    typeof (spec as Activation).backward === 'function'
  );
}

/**
 * Turns either form a plugin may give into an {@link Activation}: a full activation is returned as it is, an
 * elementwise spec is wrapped with {@link elementwise}.
 *
 * @example
 * ```ts
 * toActivation({ name: 'square', f: (x) => x * x, df: (x) => 2 * x });
 * toActivation(getActivation('relu')); // the same object
 * ```
 * @throws DeltaflowError `E_DEFINITION` when `spec` is neither form
 * @category Activation
 */
export function toActivation(spec: ActivationSpec): Activation {
  return isActivation(spec) ? spec : elementwise(spec);
}
