import { DeltaflowError } from '@deltaflow/core';
import { registerActivation } from '@deltaflow/activations';
import { mlp, modelFromJSON, modelToJSON } from '@deltaflow/network';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, label, randomInputs, reference, testModel } from '../testing/models.js';
import { fromSafetensors } from './from-safetensors.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';
import { toTorch } from './to-torch.js';

function refusal(run: () => unknown, code: string): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe(code);
    return (error as DeltaflowError).message;
  }
  return expect.fail('expected a DeltaflowError');
}

describe('toTorch then fromSafetensors: the same model, bit for bit', () => {
  for (const activation of ACTIVATIONS) {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const scaler of [false, true]) {
        it(`${label(activation)}, ${dtype}, ${scaler ? 'with' : 'without'} a scaler`, () => {
          const model = testModel(activation, { dtype, scaler, dropout: 0.25, classNames: ['a', 'b', 'c'] });
          const json = fromSafetensors(toTorch(model).safetensors);
          // toEqual compares numbers with Object.is: every weight, bias, scaler entry and -0 as it was
          expect(json).toEqual(modelToJSON(model));
          const again = modelFromJSON(json);
          for (let l = 0; l < model.layers.length; l++) {
            expect(new Uint8Array(again.layers[l]!.weights.data.buffer)).toEqual(
              new Uint8Array(model.layers[l]!.weights.data.buffer),
            );
          }
          const rows = randomInputs(6, 3);
          expect(reference(again, rows)).toEqual(reference(model, rows));
        });
      }
    }
  }
});

describe('toTorch: the nn.Sequential layout', () => {
  it('names N.weight [out, in] = W transposed, N.bias, with activations and dropout taking indices', () => {
    const model = testModel('tanh', { dtype: 'float32', sizes: [2, 3, 1], dropout: 0.5, scaler: true });
    const { tensors } = decodeSafetensors(toTorch(model).safetensors);
    // 0 Standardize, 1 Linear, 2 Tanh, 3 Dropout, 4 Linear, 5 Tanh
    expect([...tensors.keys()]).toEqual(['0.offset', '0.scale', '1.weight', '1.bias', '4.weight', '4.bias']);
    const w = tensors.get('1.weight')!;
    expect(w.dtype).toBe('F32');
    expect(w.shape).toEqual([3, 2]);
    const W = model.layers[0]!.weights.data; // [2, 3]: W_ij at i * 3 + j
    for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) expect(w.data[j * 2 + i]).toBe(W[i * 3 + j]);
    expect(tensors.get('0.offset')!.dtype).toBe('F64');
    expect(tensors.get('4.weight')!.shape).toEqual([1, 3]);
  });

  it('writes a model.py with the modules, the dtype and the class names', () => {
    const model = testModel(
      { name: 'softplus', config: { beta: 2, threshold: 3 } },
      {
        dtype: 'float64',
        dropout: 0.1,
        classNames: ['x', 'y', "z'"],
      },
    );
    const { python } = toTorch(model);
    expect(python).toContain('DTYPE = torch.float64');
    expect(python).toContain('nn.Softplus(beta=2.0, threshold=3.0)');
    expect(python).toContain('nn.Dropout(p=0.1)');
    expect(python).toContain('CLASS_NAMES = ["x", "y", "z\'"]');
    expect(python).not.toContain('Standardize(3)');
  });

  it('refuses a plugin activation, naming it', () => {
    registerActivation({ name: 'torch-test-softsign', f: (x) => x / (1 + Math.abs(x)), df: () => 1 });
    const model = mlp({ inputs: 2, layers: [{ units: 2 }, { units: 1, activation: 'torch-test-softsign' }] });
    expect(refusal(() => toTorch(model), 'E_DEFINITION')).toMatch(
      /activation 'torch-test-softsign' of layer 1 comes from a plugin and has no PyTorch module/,
    );
  });
});

describe('fromSafetensors: files from elsewhere, and the layer spec', () => {
  /** A state dict as PyTorch saves it: `model.0.weight` etc., F64, no metadata. */
  function torchFile(shapes: [number, number][], extra: Record<string, SafetensorsTensor> = {}): Uint8Array {
    const tensors = new Map<string, SafetensorsTensor>();
    shapes.forEach(([out, inp], l) => {
      const n = out * inp;
      tensors.set(`model.${2 * l}.weight`, {
        dtype: 'F64',
        shape: [out, inp],
        data: Float64Array.from({ length: n }, (_, k) => (k + 1) / 8),
      });
      tensors.set(`model.${2 * l}.bias`, {
        dtype: 'F64',
        shape: [out],
        data: new Float64Array(out).fill(-0.5),
      });
    });
    for (const [k, v] of Object.entries(extra)) tensors.set(k, v);
    return encodeSafetensors(tensors, { format: 'pt' });
  }

  it('reads a prefixed state dict given the activations, transposing [out, in] into W_ij', () => {
    const json = fromSafetensors(
      torchFile([
        [3, 2],
        [1, 3],
      ]),
      {
        layers: [3],
        activation: 'relu',
        outputActivation: 'sigmoid',
      },
    );
    expect(json.dtype).toBe('float64');
    expect(json.layers.map((l) => (l.type === 'dense' ? l.activation : 'dropout'))).toEqual([
      'relu',
      'sigmoid',
    ]);
    const first = json.layers[0]!;
    if (first.type !== 'dense') throw new Error('dense expected');
    // weight [3, 2] = 1/8, 2/8 / 3/8, 4/8 / 5/8, 6/8; W_ij = weight[j][i]
    expect(first.weights).toEqual([
      [0.125, 0.375, 0.625],
      [0.25, 0.5, 0.75],
    ]);
    expect(first.bias).toEqual([-0.5, -0.5, -0.5]);
  });

  it('takes a missing bias (nn.Linear(bias=False)) as zeros', () => {
    const tensors = new Map<string, SafetensorsTensor>([
      ['0.weight', { dtype: 'F32', shape: [1, 2], data: new Float32Array([1, 2]) }],
    ]);
    const json = fromSafetensors(encodeSafetensors(tensors), { activation: 'linear' });
    expect(json.layers[0]).toMatchObject({ inputs: 2, units: 1, bias: [0] });
    expect(json.dtype).toBe('float32');
  });

  it('lets the options override the activations a deltaflow file stores', () => {
    const model = testModel('tanh', { dtype: 'float64' });
    const json = fromSafetensors(toTorch(model).safetensors, { activation: 'elu' });
    expect(json.layers.map((l) => (l.type === 'dense' ? l.activation : ''))).toEqual(['elu', 'elu', 'elu']);
  });

  it('takes one activation per layer, and refuses a list of the wrong length', () => {
    const json = fromSafetensors(
      torchFile([
        [3, 2],
        [1, 3],
      ]),
      { activations: ['elu', { name: 'leaky-relu', config: { negativeSlope: 0.3 } }] },
    );
    expect(json.layers.map((l) => (l.type === 'dense' ? l.activation : ''))).toEqual([
      'elu',
      { name: 'leaky-relu', config: { negativeSlope: 0.3 } },
    ]);
    expect(
      refusal(
        () =>
          fromSafetensors(
            torchFile([
              [3, 2],
              [1, 3],
            ]),
            { activations: ['elu'] },
          ),
        'E_SHAPE',
      ),
    ).toMatch(/has 2 layers but the layer spec names 1 activations; give one per layer/);
  });

  it('refuses hidden layers that differ from the layer spec', () => {
    const message = refusal(
      () =>
        fromSafetensors(
          torchFile([
            [3, 2],
            [1, 3],
          ]),
          { layers: [4], activation: 'relu' },
        ),
      'E_SHAPE',
    );
    expect(message).toBe(
      'The safetensors file has the hidden layers 3 but the layer spec says 4; give the sizes the file has, or leave the layers out.',
    );
  });

  it('refuses layers that do not chain, and biases of the wrong size', () => {
    expect(
      refusal(
        () =>
          fromSafetensors(
            torchFile([
              [3, 2],
              [1, 4],
            ]),
            { activation: 'relu' },
          ),
        'E_SHAPE',
      ),
    ).toMatch(/model\.2\.weight takes 4 inputs but the layer before gives 3; the layers must chain/);
    const badBias = torchFile([[3, 2]], {
      'model.0.bias': { dtype: 'F64', shape: [2], data: new Float64Array(2) },
    });
    expect(refusal(() => fromSafetensors(badBias, { activation: 'relu' }), 'E_SHAPE')).toMatch(
      /model\.0\.bias has shape \[2\], expected \[3\]/,
    );
  });

  it("refuses keys that are not a Sequential module's, mixed dtypes and files without weights", () => {
    const tensors = new Map<string, SafetensorsTensor>([
      ['encoder.attention.weight', { dtype: 'F32', shape: [1, 1], data: new Float32Array(1) }],
    ]);
    expect(
      refusal(() => fromSafetensors(encodeSafetensors(tensors), { activation: 'relu' }), 'E_PARSE'),
    ).toMatch(/has the tensor encoder\.attention\.weight, which is not an nn\.Sequential module's/);
    const mixed = new Map<string, SafetensorsTensor>([
      ['0.weight', { dtype: 'F32', shape: [1, 1], data: new Float32Array(1) }],
      ['2.weight', { dtype: 'F64', shape: [1, 1], data: new Float64Array(1) }],
    ]);
    expect(
      refusal(() => fromSafetensors(encodeSafetensors(mixed), { activation: 'relu' }), 'E_PARSE'),
    ).toMatch(/mixes F32 and F64 layers \(2\)/);
    expect(refusal(() => fromSafetensors(encodeSafetensors(new Map())), 'E_PARSE')).toMatch(
      /holds no layer weights/,
    );
  });

  it('asks for the activation when the file does not name it, and refuses unknown ones', () => {
    expect(
      refusal(() => fromSafetensors(torchFile([[1, 2]]), { source: 'state.safetensors' }), 'E_OPTION'),
    ).toBe(
      'The safetensors file state.safetensors does not say which activation its layers use (it was not written by deltaflow); give the activation (--activation, and --output-activation for the output layer).',
    );
    expect(refusal(() => fromSafetensors(torchFile([[1, 2]]), { activation: 'nope' }), 'E_MODEL')).toMatch(
      /Unknown activation 'nope'/,
    );
  });

  it("refuses a broken file with the reader's message", () => {
    expect(refusal(() => fromSafetensors(new Uint8Array([1, 2, 3])), 'E_PARSE')).toMatch(
      /not a usable safetensors file/,
    );
  });
});
