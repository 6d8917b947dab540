// ONNX Runtime (onnxruntime-node, from npm) runs every exported model and must give what model.forward gives:
// every built-in activation, float32 and float64, with and without a stored scaler. The standalone JavaScript
// module of the same model runs on the same inputs and must match the same way (and in float64, bit for bit).
import type { ActivationIdentifier } from '@deltaflow/activations';
import { pluginRegistries } from '@deltaflow/core';
import type { FloatType } from '@deltaflow/core';
import { mlp, modelFromJSON, modelToJSON } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { maxError, runOnnx } from '../../test/onnx-helpers.js';
import { loadStandalone } from '../../test/standalone-helpers.js';
import { toStandaloneModule } from '../standalone/to-standalone.js';
import { toOnnx } from './export.js';

/** Every built-in by name, with its default config, plus the parametrised ones with other settings. */
const BUILTINS = pluginRegistries.activation
  .names()
  .filter((n) => pluginRegistries.activation.source(n) === 'builtin');
const VARIANTS: ActivationIdentifier[] = [
  ...BUILTINS,
  { name: 'leaky-relu', config: { negativeSlope: 0.2 } },
  { name: 'elu', config: { alpha: 0.5 } },
  { name: 'softplus', config: { beta: 2, threshold: 5 } },
  { name: 'gelu', config: { approximate: 'tanh' } },
];
const TOLERANCE: Record<FloatType, number> = { float32: 1e-6, float64: 1e-12 };
const INPUTS = 4;
const SCALER = { kind: 'standard', offset: [10, -3, 0.5, 100], scale: [2, 0.25, 1, 40] };

function name(a: (typeof VARIANTS)[number]): string {
  if (typeof a === 'string') return a;
  const { name: n, config } = a as { name: string; config?: object };
  return `${n} ${JSON.stringify(config)}`;
}

/** Three dense layers (the first with dropout, left out of the export) of one activation. */
function model(activation: (typeof VARIANTS)[number], dtype: FloatType, scaled: boolean): Sequential {
  const net = mlp({
    inputs: INPUTS,
    dtype,
    seed: 7,
    layers: [
      { units: 6, activation, dropout: 0.25 },
      { units: 5, activation },
      { units: 3, activation },
    ],
  });
  if (scaled) net.meta = { scaler: SCALER, classNames: ['a', 'b', 'c'] };
  return net;
}

/** deltaflow's prediction from raw rows: the scaler in float64 (as Scaler.transform), then model.forward. */
function forward(net: Sequential, rows: number[][], scaled: boolean): number[][] {
  const input = scaled
    ? rows.map((row) => row.map((v, i) => (v - SCALER.offset[i]!) / SCALER.scale[i]!))
    : rows;
  const out = net.forward(Tensor.fromNested(input as [number[], ...number[][]], net.dtype));
  return out.toNested() as number[][];
}

/** Raw input rows, float32-exact for a float32 model (ONNX Runtime receives them as float32). */
function rows(dtype: FloatType, scaled: boolean, count = 64): number[][] {
  const rng = new Random(16);
  return Array.from({ length: count }, () =>
    Array.from({ length: INPUTS }, (_, i) => {
      const v = scaled ? SCALER.offset[i]! + SCALER.scale[i]! * rng.normal(0, 1.5) : rng.normal(0, 1.5);
      return dtype === 'float32' ? Math.fround(v) : v;
    }),
  );
}

/** What the standalone module of `net` predicts for raw `rows` (its scaler, if any, applied inside). */
async function standalone(net: Sequential, rows: number[][]): Promise<number[][]> {
  return (await loadStandalone(toStandaloneModule(net).js)).predictBatch(rows);
}

/** Float64 outputs equal bit for bit; float32 ones within the tolerance. */
function expectMatch(actual: number[][], expected: number[][], dtype: FloatType): void {
  if (dtype === 'float64') expect(actual).toEqual(expected);
  else expect(maxError(actual, expected)).toBeLessThanOrEqual(TOLERANCE[dtype]);
}

describe('toOnnx in ONNX Runtime, and toStandaloneModule, equal model.forward', () => {
  it('covers every built-in activation', () => {
    expect(BUILTINS.length).toBeGreaterThanOrEqual(10);
    expect(BUILTINS).toEqual(expect.arrayContaining(['sigmoid', 'gelu', 'softmax', 'swish', 'softplus']));
  });

  for (const activation of VARIANTS) {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const scaled of [false, true]) {
        it(`${name(activation)}, ${dtype}, ${scaled ? 'with' : 'without'} a scaler: within ${TOLERANCE[dtype]}`, async () => {
          const net = model(activation, dtype, scaled);
          const x = rows(dtype, scaled);
          const expected = forward(net, x, scaled);
          const bytes = toOnnx(net);
          const actual = await runOnnx(bytes, dtype, x);
          expect(maxError(actual, expected)).toBeLessThanOrEqual(TOLERANCE[dtype]);
          // the model file form gives the same bytes
          expect(toOnnx(modelToJSON(net))).toEqual(bytes);
          // the standalone module takes the same raw rows (its scaler inside), and matches the same way
          expectMatch(await standalone(net, x), expected, dtype);
        });
      }
    }
  }

  // one unit with weight 1: the activation itself, at net inputs in every branch of every formula
  const X = [
    0, 1e-9, -1e-9, 0.2, -0.2, 0.7, -0.7, 1, -1, 1.5, -1.5, 2.5, -2.5, 4.5, -4.5, 8, -8, 12, -12, 19.9, 20.1,
    30, -30, 45, -45, 100, -100,
  ];
  for (const activation of VARIANTS) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${name(activation)} at net inputs ${X[0]}..${X.at(-1)} in ${dtype}: within ${TOLERANCE[dtype]}`, async () => {
        const net = modelFromJSON({
          format: 'deltaflow-model',
          version: 1,
          dtype,
          layers: [{ type: 'dense', inputs: 1, units: 1, activation, weights: [[1]], bias: [0] }],
        });
        const x = X.map((v) => [v]);
        const expected = forward(net, x, false);
        expect(maxError(await runOnnx(toOnnx(net), dtype, x), expected)).toBeLessThanOrEqual(
          TOLERANCE[dtype],
        );
        expectMatch(await standalone(net, x), expected, dtype);
      });
    }
  }

  it('exports a float32 model as float64 and the reverse, as asked', async () => {
    const net = model('tanh', 'float32', true);
    const x = rows('float32', true);
    const wide = await runOnnx(toOnnx(net, { dtype: 'float64' }), 'float64', x);
    expect(maxError(wide, forward(net, x, true))).toBeLessThanOrEqual(1e-6);
    const narrow = await runOnnx(
      toOnnx(model('tanh', 'float64', false), { dtype: 'float32' }),
      'float32',
      rows('float32', false),
    );
    expect(
      maxError(narrow, forward(model('tanh', 'float64', false), rows('float32', false), false)),
    ).toBeLessThanOrEqual(1e-6);
  });

  it('has a dynamic batch dimension: one row and 300 rows run in the same file', async () => {
    const net = model('relu', 'float32', false);
    const bytes = toOnnx(net);
    for (const count of [1, 300]) {
      const x = rows('float32', false, count);
      expect(maxError(await runOnnx(bytes, 'float32', x), forward(net, x, false))).toBeLessThanOrEqual(1e-6);
    }
  });
});
