import { ERF_COEFFICIENTS } from '@deltaflow/activations';
import { DeltaflowError, pluginRegistries } from '@deltaflow/core';
import type { Config, OnnxLowering, OnnxLoweringBuilder } from '@deltaflow/core';

/** sqrt(1 / 2): GELU's Phi(x) = (1 + erf(x / sqrt 2)) / 2. */
const SQRT1_2 = Math.SQRT1_2;
/** sqrt(2 / pi), the scale inside GELU's tanh approximation. */
const SQRT_2_OVER_PI = 0.7978845608028654;
const KAPPA = 0.044715;

/** Where(x > 0, x, negative): relu-like functions with a left branch. */
function positiveOr(b: OnnxLoweringBuilder, x: string, negative: string): string {
  return b.op('Where', [b.op('Greater', [x, b.constant(0)]), x, negative]);
}

/**
 * The ONNX lowering of every built-in activation, written with ops of opset 17 that ONNX Runtime runs in float32
 * and float64 alike (so no LeakyRelu, Elu, Softplus or Gelu nodes, which it has in float32 only): each follows
 * the formula of its `@deltaflow/activations` module, branches included (see `docs/guides/the-math.md`).
 */
export const BUILTIN_LOWERINGS: Readonly<Record<string, OnnxLowering>> = Object.freeze({
  sigmoid: (b, x) => b.op('Sigmoid', [x]),
  tanh: (b, x) => b.op('Tanh', [x]),
  relu: (b, x) => b.op('Relu', [x]),
  linear: (_b, x) => x,
  // O = x for x > 0, else negativeSlope * x
  'leaky-relu': (b, x, config) =>
    positiveOr(b, x, b.op('Mul', [x, b.constant(num(config, 'negativeSlope'))])),
  // O = x for x > 0, else alpha (e^x - 1)
  elu: (b, x, config) =>
    positiveOr(
      b,
      x,
      b.op('Mul', [b.constant(num(config, 'alpha')), b.op('Sub', [b.op('Exp', [x]), b.constant(1)])]),
    ),
  // O = log(1 + e^(beta x)) / beta, and x where beta x > threshold (PyTorch's)
  softplus: (b, x, config) => {
    const beta = num(config, 'beta');
    const bx = beta === 1 ? x : b.op('Mul', [x, b.constant(beta)]);
    const log = b.op('Log', [b.op('Add', [b.op('Exp', [bx]), b.constant(1)])]);
    const soft = beta === 1 ? log : b.op('Div', [log, b.constant(beta)]);
    return b.op('Where', [b.op('Greater', [bx, b.constant(num(config, 'threshold'))]), x, soft]);
  },
  // exact: O = x Phi(x) = x erfc(-x / sqrt 2) / 2 (float32: x (1 + erf(x / sqrt 2)) / 2 with ONNX's Erf);
  // tanh: O = x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) / 2
  gelu: (b, x, config) => {
    const half = b.op('Mul', [x, b.constant(0.5)]);
    if (config['approximate'] === 'tanh') {
      const cube = b.op('Mul', [b.op('Mul', [x, x]), x]);
      const u = b.op('Mul', [
        b.constant(SQRT_2_OVER_PI),
        b.op('Add', [x, b.op('Mul', [cube, b.constant(KAPPA)])]),
      ]);
      return b.op('Mul', [half, b.op('Add', [b.op('Tanh', [u]), b.constant(1)])]);
    }
    if (b.dtype === 'float64') {
      // ONNX Runtime has Erf in float32 only: erfc in float64 from the same rational approximations as erf.ts
      return b.op('Mul', [half, erfcNodes(b, b.op('Mul', [x, b.constant(-SQRT1_2)]))]);
    }
    const erf = b.op('Erf', [b.op('Mul', [x, b.constant(SQRT1_2)])]);
    return b.op('Mul', [half, b.op('Add', [erf, b.constant(1)])]);
  },
  // swish (SiLU): O = x sigmoid(x); in float64 as x / (1 + e^-x), which ONNX Runtime does not fuse into its
  // float32-only QuickGelu kernel
  swish: (b, x) =>
    b.dtype === 'float64'
      ? b.op('Div', [x, b.op('Add', [b.op('Exp', [b.op('Neg', [x])]), b.constant(1)])])
      : b.op('Mul', [x, b.op('Sigmoid', [x])]),
  // over each row (one sample's outputs)
  softmax: (b, x) => b.op('Softmax', [x], { axis: -1n }),
});

// fdlibm's (s_erf.c) rational approximations, the numbers of packages/activations/src/erf.ts
const { ERX, PP, QQ, PA, QA, RA, SA, RB, SB } = ERF_COEFFICIENTS;

/** c[0] + c[1] z + c[2] z^2 + ... as nodes, by Horner's rule. */
function polyNodes(b: OnnxLoweringBuilder, c: readonly number[], z: string): string {
  let r = b.constant(c[c.length - 1]!);
  for (let i = c.length - 2; i >= 0; i--) r = b.op('Add', [b.op('Mul', [r, z]), b.constant(c[i]!)]);
  return r;
}

const ratio = (b: OnnxLoweringBuilder, p: readonly number[], q: readonly number[], z: string): string =>
  b.op('Div', [polyNodes(b, p, z), polyNodes(b, q, z)]);

/**
 * erfc(z) as float64 nodes, branch for branch as `erfc` of packages/activations/src/erf.ts: every branch is
 * computed for every element and Where picks the one for its range.
 */
function erfcNodes(b: OnnxLoweringBuilder, z: string): string {
  const c = (v: number): string => b.constant(v);
  const less = (u: string, v: number): string => b.op('Less', [u, c(v)]);
  const ax = b.op('Abs', [z]);
  // |z| < 0.84375: y = z P(z^2) / Q(z^2); 1 - (z + y) for z < 1/4, else 0.5 - ((z - 0.5) + y)
  const y = b.op('Mul', [z, ratio(b, PP, QQ, b.op('Mul', [z, z]))]);
  const small = b.op('Where', [
    less(z, 0.25),
    b.op('Sub', [c(1), b.op('Add', [z, y])]),
    b.op('Sub', [c(0.5), b.op('Add', [b.op('Sub', [z, c(0.5)]), y])]),
  ]);
  // 0.84375 <= |z| < 1.25: with n = P(|z| - 1) / Q(|z| - 1), 1 - ERX - n for z > 0, else 1 + (ERX + n)
  const n = ratio(b, PA, QA, b.op('Sub', [ax, c(1)]));
  const near = b.op('Where', [
    b.op('Greater', [z, c(0)]),
    b.op('Sub', [c(1 - ERX), n]),
    b.op('Add', [c(1), b.op('Add', [c(ERX), n])]),
  ]);
  // 1.25 <= |z|: tail = e^(-s^2 - 0.5625) e^((s - |z|)(s + |z|) + R(w) / S(w)) / |z|, w = 1 / z^2, s = |z| in float32
  const w = b.op('Reciprocal', [b.op('Mul', [ax, ax])]);
  const correction = b.op('Where', [less(ax, 1 / 0.35), ratio(b, RA, SA, w), ratio(b, RB, SB, w)]);
  const s = b.op('Cast', [b.op('Cast', [ax], { to: 1n })], { to: 11n });
  const first = b.op('Exp', [b.op('Sub', [b.op('Neg', [b.op('Mul', [s, s])]), c(0.5625)])]);
  const second = b.op('Exp', [
    b.op('Add', [b.op('Mul', [b.op('Sub', [s, ax]), b.op('Add', [s, ax])]), correction]),
  ]);
  const tail = b.op('Div', [b.op('Mul', [first, second]), ax]);
  const negative = b.op('Where', [b.op('LessOrEqual', [z, c(-6)]), c(2), b.op('Sub', [c(2), tail])]);
  const positive = b.op('Where', [less(ax, 28), tail, c(0)]);
  const far = b.op('Where', [less(z, 0), negative, positive]);
  return b.op('Where', [less(ax, 0.84375), small, b.op('Where', [less(ax, 1.25), near, far])]);
}

function num(config: Config, key: string): number {
  const value = config[key];
  if (typeof value !== 'number') {
    throw new DeltaflowError(
      'E_CONFIG',
      `The activation config needs a number '${key}', got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * The lowering of an activation by name: the built-in one, else the `onnx` field of the activation object itself
 * or of the definition registered under its name (a plugin's entry).
 *
 * @throws DeltaflowError `E_DEFINITION` naming the activation when it has no ONNX lowering
 */
export function loweringOf(activation: { readonly name: string }): OnnxLowering {
  const builtin = pluginRegistries.activation.source(activation.name) === 'builtin';
  if (builtin && Object.hasOwn(BUILTIN_LOWERINGS, activation.name))
    return BUILTIN_LOWERINGS[activation.name]!;
  const own = (activation as { onnx?: unknown }).onnx;
  if (typeof own === 'function') return own as OnnxLowering;
  const registered = pluginRegistries.activation.has(activation.name)
    ? (pluginRegistries.activation.definition(activation.name) as { onnx?: unknown } | undefined)?.onnx
    : undefined;
  if (typeof registered === 'function') return registered as OnnxLowering;
  throw new DeltaflowError(
    'E_DEFINITION',
    `The activation '${activation.name}' has no ONNX lowering, so the model cannot be exported to ONNX; give its plugin entry an onnx(builder, input, config) function (see the plugin guide).`,
  );
}
