// fromOnnx: deltaflow's own exports come back whole (weights bit for bit), torch.onnx.export's and tf2onnx-style
// graphs are read, anything else is refused naming the node's op and index.
import { readFileSync } from 'node:fs';
import { DeltaflowError } from '@deltaflow/core';
import { denseLayers, mlp, modelFromJSON, modelToJSON } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import { Random, Tensor } from '@deltaflow/tensor';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { maxError, runOnnx } from '../../test/onnx-helpers.js';
import { toOnnx } from './export.js';
import { fromOnnx } from './import.js';
import { onnx } from './proto.js';

const FIXTURES = new URL('../../test-fixtures/torch/', import.meta.url);

/** Every weight and bias of a model file as bit patterns (float64 view), to compare bit for bit. */
function bits(json: ModelJSON): string[] {
  const view = new DataView(new ArrayBuffer(8));
  const hex = (v: number): string => {
    view.setFloat64(0, v);
    return view.getBigUint64(0).toString(16);
  };
  return denseLayers(json).flatMap((l) => [...l.weights.flat().map(hex), ...l.bias.map(hex)]);
}

function trainedLike(dtype: 'float32' | 'float64'): ModelJSON {
  const net = mlp({
    inputs: 3,
    dtype,
    seed: 5,
    layers: [
      { units: 7, activation: { name: 'leaky-relu', config: { negativeSlope: 0.2 } }, dropout: 0.3 },
      { units: 6, activation: { name: 'gelu', config: { approximate: 'tanh' } } },
      { units: 5, activation: { name: 'softplus', config: { beta: 2, threshold: 10 } }, dropout: 0.1 },
      { units: 4, activation: 'swish' },
      { units: 3, activation: 'softmax' },
    ],
  });
  return modelToJSON(net, {
    loss: 'cross-entropy',
    epochs: 12,
    classNames: ['setosa', 'versicolor', 'virginica'],
    scaler: { kind: 'min-max', offset: [4.3, 2, 1], scale: [3.6, 2.4, 5.9] },
  });
}

describe('toOnnx then fromOnnx', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`gives back the same ${dtype} model file: weights bit for bit, activations, dropout, class names, scaler, meta`, () => {
      const json = trainedLike(dtype);
      const back = fromOnnx(toOnnx(json));
      expect(bits(back)).toEqual(bits(json));
      expect(back).toEqual(json);
    });
  }

  it('a float32 model exported as float64 comes back as float64 with the same numbers', () => {
    const json = trainedLike('float32');
    const back = fromOnnx(toOnnx(json, { dtype: 'float64' }));
    expect(back.dtype).toBe('float64');
    expect(bits(back)).toEqual(bits(json));
  });

  it('keeps a model without meta or dropout as it was (version 1)', () => {
    const json = modelToJSON(
      mlp({ inputs: 2, layers: [{ units: 3, activation: 'elu' }, { units: 1 }], seed: 2 }),
    );
    const back = fromOnnx(toOnnx(json));
    expect(back).toEqual(json);
    expect(back.version).toBe(1);
  });
});

interface Expected {
  inputs: number[][];
  outputs: number[][];
}

describe('fromOnnx on files torch.onnx.export wrote (test-fixtures/torch, made by make_fixtures.py)', () => {
  const expected = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')) as Record<
    string,
    Expected
  >;
  for (const [dtype, file, tolerance] of [
    ['float32', 'mlp-float32.onnx', 1e-6],
    ['float64', 'mlp-float64.onnx', 1e-12],
  ] as const) {
    it(`${file} imports and predicts as torch did, within ${tolerance}`, async () => {
      const bytes = new Uint8Array(readFileSync(new URL(file, FIXTURES)));
      const json = fromOnnx(bytes);
      expect(json.dtype).toBe(dtype);
      const model = modelFromJSON(json);
      const { inputs, outputs } = expected[dtype]!;
      const x = Tensor.fromNested(inputs as [number[], ...number[][]], dtype);
      expect(maxError(model.forward(x).toNested() as number[][], outputs)).toBeLessThanOrEqual(tolerance);
      // and ONNX Runtime agrees on the same file (it has no float64 Elu kernel, so float32 only)
      if (dtype === 'float32')
        expect(maxError(await runOnnx(bytes, dtype, inputs), outputs)).toBeLessThanOrEqual(tolerance);
    });
  }

  it('reads the layers torch wrote: Flatten, Gemm with transB, ReLU, Tanh, LeakyReLU(0.2), Softmax', () => {
    const json = fromOnnx(new Uint8Array(readFileSync(new URL('mlp-float32.onnx', FIXTURES))));
    expect(denseLayers(json).map((l) => [l.inputs, l.units, l.activation])).toEqual([
      [4, 8, 'relu'],
      [8, 6, 'tanh'],
      [6, 5, { name: 'leaky-relu', config: { negativeSlope: Math.fround(0.2) } }],
      [5, 3, 'softmax'],
    ]);
    expect(json.meta).toEqual({
      importedFrom: { format: 'onnx', producer: expect.stringMatching(/^pytorch/) },
    });
  });

  it("reads torch's GELU, exact and tanh, written as several nodes, and predicts as torch did", async () => {
    const bytes = new Uint8Array(readFileSync(new URL('mlp-gelu.onnx', FIXTURES)));
    const json = fromOnnx(bytes);
    expect(denseLayers(json).map((l) => l.activation)).toEqual([
      { name: 'gelu', config: { approximate: 'none' } },
      { name: 'gelu', config: { approximate: 'tanh' } },
      'linear',
    ]);
    const { inputs, outputs } = expected['gelu']!;
    const x = Tensor.fromNested(inputs as [number[], ...number[][]], 'float32');
    expect(maxError(modelFromJSON(json).forward(x).toNested() as number[][], outputs)).toBeLessThanOrEqual(
      1e-6,
    );
    expect(maxError(await runOnnx(bytes, 'float32', inputs), outputs)).toBeLessThanOrEqual(1e-6);
  });

  it('refuses elementwise nodes that compute no activation deltaflow has, naming the first', () => {
    // torch's GELU with its 0.5 changed to 0.25: no built-in activation
    const model = onnx.ModelProto.decode(new Uint8Array(readFileSync(new URL('mlp-gelu.onnx', FIXTURES))));
    const constant = model.graph!.node!.find((n) => n.name === '/1/Constant_2')!;
    const tensor = constant.attribute![0]!.t!;
    const view = new DataView(tensor.rawData!.buffer, tensor.rawData!.byteOffset, 4);
    expect(view.getFloat32(0, true)).toBe(0.5);
    view.setFloat32(0, 0.25, true);
    expect(() => fromOnnx(onnx.ModelProto.encode(model).finish())).toThrow(
      /node 1 \(Constant '\/1\/Constant'\) is not supported/,
    );
  });

  it("reads torch's float64 layers: Sigmoid, Elu(0.5), and SiLU written as Mul(x, Sigmoid(x))", () => {
    const json = fromOnnx(new Uint8Array(readFileSync(new URL('mlp-float64.onnx', FIXTURES))));
    expect(denseLayers(json).map((l) => l.activation)).toEqual([
      'sigmoid',
      { name: 'elu', config: { alpha: 0.5 } },
      'swish',
      'linear',
    ]);
  });
});

/** A graph as tf2onnx writes a Keras Dense stack: MatMul + Add, weights [in, out] in float_data. */
function tfStyle(nodes: OnnxTypes.INodeProto[], extra: OnnxTypes.ITensorProto[] = []): Uint8Array {
  const t = (name: string, dims: number[], values: number[]): OnnxTypes.ITensorProto => ({
    name,
    dataType: 1,
    dims,
    floatData: values,
  });
  const info = (name: string, width: number): OnnxTypes.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } },
  });
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'tf2onnx',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tf',
      node: nodes,
      initializer: [
        t('W0', [2, 3], [0.5, -1, 2, 0.25, 0.75, -0.5]),
        t('b0', [3], [0.1, 0.2, 0.3]),
        t('W1', [3, 1], [1, -2, 0.5]),
        t('b1', [1], [-0.25]),
        ...extra,
      ],
      input: [info('dense_input', 2)],
      output: [info('out', 1)],
    },
  }).finish();
}

const TF_NODES: OnnxTypes.INodeProto[] = [
  { opType: 'Identity', input: ['dense_input'], output: ['x'] },
  { opType: 'MatMul', input: ['x', 'W0'], output: ['m0'] },
  { opType: 'Add', input: ['m0', 'b0'], output: ['a0'] },
  { opType: 'Relu', input: ['a0'], output: ['h0'] },
  { opType: 'MatMul', input: ['h0', 'W1'], output: ['m1'] },
  { opType: 'Add', input: ['m1', 'b1'], output: ['a1'] },
  { opType: 'Sigmoid', input: ['a1'], output: ['out'] },
];

describe('fromOnnx on MatMul + Add graphs (as tf2onnx writes Keras Dense layers)', () => {
  it('reads weights [in, out] from float_data, the bias from Add, and the activations', async () => {
    const bytes = tfStyle(TF_NODES);
    const json = fromOnnx(bytes);
    expect(denseLayers(json).map((l) => [l.weights, l.bias, l.activation])).toEqual([
      [
        [
          [0.5, -1, 2],
          [0.25, 0.75, -0.5],
        ],
        [0.1, 0.2, 0.3].map(Math.fround),
        'relu',
      ],
      [[[1], [-2], [0.5]], [-0.25], 'sigmoid'],
    ]);
    const rng = new Random(3);
    const x = Array.from({ length: 9 }, () => [Math.fround(rng.normal()), Math.fround(rng.normal())]);
    const ours = modelFromJSON(json)
      .forward(Tensor.fromNested(x as [number[], ...number[][]]))
      .toNested() as number[][];
    expect(
      maxError(
        ours,
        await runOnnx(
          bytes,
          'float32',
          x.map((r) => r),
        ),
      ),
    ).toBeLessThanOrEqual(1e-6);
  });

  it('refuses an op it does not know, naming the op and the node index', () => {
    const nodes = TF_NODES.map((n, i) => (i === 3 ? { ...n, opType: 'HardSwish' } : n));
    expect(() => fromOnnx(tfStyle(nodes))).toThrow(/node 3 \(HardSwish\) is not supported/);
  });

  it('refuses two activations in a row, a branch off the chain, and a non-initializer weight', () => {
    const twice = [
      ...TF_NODES.slice(0, 4),
      { opType: 'Tanh', input: ['h0'], output: ['h0b'] },
      ...TF_NODES.slice(4),
    ];
    twice[5] = { ...twice[5]!, input: ['h0b', 'W1'] };
    expect(() => fromOnnx(tfStyle(twice))).toThrow(
      /node 4 \(Tanh\) is an activation that does not follow a linear layer/,
    );
    const branch = TF_NODES.map((n, i) => (i === 4 ? { ...n, input: ['a0', 'W1'] } : n));
    expect(() => fromOnnx(tfStyle(branch))).toThrow(/node 4 \(MatMul\) does not take the previous value/);
    const computed = TF_NODES.map((n, i) => (i === 1 ? { ...n, input: ['x', 'x'] } : n));
    expect(() => fromOnnx(tfStyle(computed))).toThrow(
      /node 1 \(MatMul\) takes 'x', which is not an initializer/,
    );
  });

  it('refuses bytes that are not an ONNX model with E_PARSE, and int weights with E_MODEL', () => {
    const error = (() => {
      try {
        fromOnnx(new TextEncoder().encode('{"format":"deltaflow-model"}'));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_PARSE');
    const ints = tfStyle(TF_NODES, [{ name: 'k', dataType: 7, dims: [1], int64Data: [1] }]);
    expect(() => fromOnnx(ints)).toThrow(/initializer 'k' has ONNX data type 7/);
  });
});
