// Each activation's onnx lowering: toOnnx of @deltaflow/interop exports it, and ONNX Runtime (onnxruntime-node)
// computes what deltaflow does, in float32 (within 1e-6) and float64 (within 1e-12).
import { activations } from '@deltaflow/activations';
import { toOnnx } from '@deltaflow/interop';
import { installPlugin, modelFromJSON } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import activationsPlugin from './index.js';

const names = ['mish', 'softsign', 'hard-sigmoid'];
beforeAll(() => installPlugin(activationsPlugin));
afterAll(() => names.forEach((name) => activations.unregister(name)));

/** Net inputs across every branch: both sides of hard-sigmoid's kinks, large |x| for mish's softplus. */
const X = [-800, -40, -6, -3, -2.5, -1, -0.25, -1e-8, 0, 1e-8, 0.25, 1, 2.5, 3, 6, 40, 800];

describe("the plugin's ONNX lowerings in ONNX Runtime", () => {
  for (const name of names) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${name} (${dtype}) equals model.forward at net inputs ${X[0]}..${X.at(-1)}`, async () => {
        // one unit with weight 1 and bias 0: the output is the activation itself
        const model = modelFromJSON({
          format: 'deltaflow-model',
          version: 1,
          dtype,
          layers: [{ type: 'dense', inputs: 1, units: 1, activation: name, weights: [[1]], bias: [0] }],
        });
        const input = Tensor.fromArray(dtype === 'float64' ? Float64Array.from(X) : Float32Array.from(X), [
          X.length,
          1,
        ]);
        const expected = Array.from(model.forward(input).data);
        const session = await ort.InferenceSession.create(toOnnx(model));
        const result = await session.run({ input: new ort.Tensor(dtype, input.data, [X.length, 1]) });
        const actual = Array.from(result['output']!.data as Float32Array | Float64Array);
        const tolerance = dtype === 'float32' ? 1e-6 : 1e-12;
        actual.forEach((v, i) =>
          expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(
            tolerance * Math.max(1, Math.abs(expected[i]!)),
          ),
        );
        await session.release();
      });
    }
  }
});
