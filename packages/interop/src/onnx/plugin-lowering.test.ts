// A plugin activation with an `onnx` lowering exports and runs in ONNX Runtime; one without is refused by name.
import { getActivation } from '@deltaflow/activations';
import { DeltaflowError, definePlugin, installPlugin } from '@deltaflow/core';
import type { Config, OnnxLoweringBuilder } from '@deltaflow/core';
import { mlp } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { maxError, runOnnx } from '../../test/onnx-helpers.js';
import { toOnnx } from './export.js';
import { fromOnnx } from './import.js';

installPlugin(
  definePlugin({
    name: 'onnx-test-plugin',
    activations: [
      {
        name: 'onnx-test-softsign',
        f: (x: number) => x / (1 + Math.abs(x)),
        df: (x: number) => 1 / (1 + Math.abs(x)) ** 2,
        onnx: (b: OnnxLoweringBuilder, x: string) =>
          b.op('Div', [x, b.op('Add', [b.op('Abs', [x]), b.constant(1)])]),
      },
      {
        // a factory: the lowering receives the config the model was built with
        name: 'onnx-test-scaled-tanh',
        defaults: { scale: 1 },
        create: ({ scale }: { scale: number }) => ({
          name: 'onnx-test-scaled-tanh',
          config: { scale },
          f: (x: number) => scale * Math.tanh(x),
          df: (_x: number, y: number) => scale - (y * y) / scale,
        }),
        onnx: (b: OnnxLoweringBuilder, x: string, config: Config) =>
          b.op('Mul', [b.op('Tanh', [x]), b.constant(config.scale as number)]),
      },
      { name: 'onnx-test-no-lowering', f: (x: number) => x * x, df: (x: number) => 2 * x },
    ],
  }),
);

const rows = [
  [0.5, -1, 2],
  [3, 0, -0.25],
  [-2, 1.5, 1],
].map((r) => r.map(Math.fround));

describe("a plugin activation's onnx lowering", () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`is used by toOnnx, and ONNX Runtime matches model.forward (${dtype})`, async () => {
      const model = mlp({
        inputs: 3,
        dtype,
        seed: 4,
        layers: [
          { units: 4, activation: 'onnx-test-softsign' },
          { units: 2, activation: { name: 'onnx-test-scaled-tanh', config: { scale: 2.5 } } },
        ],
      });
      const expected = model
        .forward(Tensor.fromNested(rows as [number[], ...number[][]], dtype))
        .toNested() as number[][];
      const actual = await runOnnx(toOnnx(model), dtype, rows);
      expect(maxError(actual, expected)).toBeLessThanOrEqual(dtype === 'float32' ? 1e-6 : 1e-12);
      expect(fromOnnx(toOnnx(model)).layers.map((l) => (l.type === 'dense' ? l.activation : l.type))).toEqual(
        ['onnx-test-softsign', { name: 'onnx-test-scaled-tanh', config: { scale: 2.5 } }],
      );
    });
  }

  it('travels with an elementwise spec given to a layer directly (not registered)', async () => {
    const cube = {
      name: 'onnx-test-cube',
      f: (x: number) => x * x * x,
      df: (x: number) => 3 * x * x,
      onnx: (b: OnnxLoweringBuilder, x: string) => b.op('Mul', [b.op('Mul', [x, x]), x]),
    };
    const model = mlp({ inputs: 3, dtype: 'float64', seed: 2, layers: [{ units: 2, activation: cube }] });
    const expected = model
      .forward(Tensor.fromNested(rows as [number[], ...number[][]], 'float64'))
      .toNested() as number[][];
    expect(maxError(await runOnnx(toOnnx(model), 'float64', rows), expected)).toBeLessThanOrEqual(1e-12);
  });

  it('is required: export fails naming an activation that has none', () => {
    const model = mlp({
      inputs: 2,
      seed: 1,
      layers: [{ units: 2, activation: 'onnx-test-no-lowering' }, { units: 1 }],
    });
    expect(() => toOnnx(model)).toThrow(DeltaflowError);
    expect(() => toOnnx(model)).toThrow(/The activation 'onnx-test-no-lowering' has no ONNX lowering/);
  });

  it('is refused when it is not a function, and when it returns no value name', () => {
    expect(() =>
      installPlugin({
        name: 'bad-onnx',
        activations: [{ name: 'bad-onnx-a', f: (x) => x, df: () => 1, onnx: 3 as never }],
      }),
    ).toThrow(/onnx lowering must be a function/);
    // a full activation object carries its own lowering (an unregistered one, given to the layer directly)
    const linear = getActivation('linear');
    const broken = {
      ...linear,
      name: 'returns-nothing',
      forward: linear.forward,
      backward: linear.backward,
      onnx: () => '',
    };
    const model = mlp({ inputs: 1, seed: 1, layers: [{ units: 1, activation: broken }] });
    expect(() => toOnnx(model)).toThrow(/must return the name of its output value/);
  });
});
