// Models the interop tests export: every built-in activation (and the parametrised ones with other parameters),
// both dtypes, with and without a stored scaler, with random biases so that every parameter matters.
import type { ActivationConfig } from '@deltaflow/activations';
import { mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { Random, Tensor, jsBackend, setBackend } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';

/** An activation as the tests name it. */
export type TestActivation = string | { name: string; config: ActivationConfig };

/** Every built-in activation, and the parametrised ones again with parameters other than PyTorch's defaults. */
export const ACTIVATIONS: TestActivation[] = [
  'sigmoid',
  'tanh',
  'relu',
  'leaky-relu',
  { name: 'leaky-relu', config: { negativeSlope: 0.2 } },
  'elu',
  { name: 'elu', config: { alpha: 0.5 } },
  'softplus',
  { name: 'softplus', config: { beta: 2, threshold: 3 } },
  'gelu',
  { name: 'gelu', config: { approximate: 'tanh' } },
  'swish',
  'softmax',
  'linear',
];

/** A readable label of an activation. */
export const label = (a: TestActivation): string =>
  typeof a === 'string' ? a : `${a.name} ${JSON.stringify(a.config)}`;

/** Options of {@link testModel}. */
export interface TestModelOptions {
  dtype: DType;
  scaler?: boolean;
  classNames?: string[];
  /** The sizes, inputs first; default 3-16-12-3 (60 rows of 16 x 12 take the packed kernel). */
  sizes?: number[];
  dropout?: number;
  seed?: number;
}

/** A model with `activation` on every layer, random weights and biases, and optionally a stored scaler. */
export function testModel(activation: TestActivation, options: TestModelOptions): Sequential {
  const sizes = options.sizes ?? [3, 16, 12, 3];
  const seed = options.seed ?? 7;
  const model = mlp({
    inputs: sizes[0]!,
    layers: sizes.slice(1).map((units, i) => ({
      units,
      activation,
      ...(options.dropout && i < sizes.length - 2 ? { dropout: options.dropout } : {}),
    })),
    seed,
    dtype: options.dtype,
  });
  const rng = new Random(seed + 1);
  for (const layer of model.layers) {
    const b = layer.bias.data;
    for (let j = 0; j < b.length; j++) b[j] = rng.range(-1, 1);
  }
  const meta: Record<string, unknown> = {};
  if (options.scaler) {
    const n = sizes[0]!;
    meta['scaler'] = {
      kind: 'standard',
      offset: Array.from({ length: n }, () => rng.range(-2, 2)),
      scale: Array.from({ length: n }, () => rng.range(0.25, 3.25)),
    };
  }
  if (options.classNames) meta['classNames'] = options.classNames;
  if (Object.keys(meta).length > 0) model.meta = meta;
  return model;
}

/** `rows` random raw inputs of `n` features in [-4, 4). */
export function randomInputs(rows: number, n: number, seed = 99): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: rows }, () => Array.from({ length: n }, () => rng.range(-4, 4)));
}

/**
 * What deltaflow's predict gives for raw inputs: the rows in the model's dtype, the stored scaler's
 * (x - offset) / scale (as the data package's Scaler computes it), then the forward pass. With `js`, the forward
 * pass runs on the TypeScript kernels (float64 always does: the WebAssembly backend is float32 only), whose
 * arithmetic a standalone module mirrors; the WebAssembly kernels sum float32 products in another order.
 */
export function reference(
  model: Sequential,
  rows: readonly (readonly number[])[],
  { js = false }: { js?: boolean } = {},
): number[][] {
  const x = Tensor.fromNested(
    rows.map((r) => [...r]),
    model.dtype,
  );
  const scaler = model.meta?.['scaler'] as { offset: number[]; scale: number[] } | undefined;
  if (scaler) {
    const d = x.data;
    const n = scaler.offset.length;
    for (let i = 0; i < d.length; i += n) {
      for (let j = 0; j < n; j++) d[i + j] = (d[i + j]! - scaler.offset[j]!) / scaler.scale[j]!;
    }
  }
  const previous = js ? setBackend(jsBackend) : undefined;
  try {
    return model.forward(x).toNested() as number[][];
  } finally {
    if (previous) setBackend(previous);
  }
}
