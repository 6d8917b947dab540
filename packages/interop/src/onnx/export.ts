import { DeltaflowError } from '@deltaflow/core';
import type { FloatType } from '@deltaflow/core';
import { activationToJSON } from '@deltaflow/activations';
import { Sequential, modelFromJSON } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { GraphBuilder, elementType } from './builder.js';
import { loweringOf } from './lowerings.js';
import { META, storedClassNames, storedScaler } from './metadata.js';
import { IR_VERSION, OPSET, onnx } from './proto.js';

/**
 * Options of {@link toOnnx}.
 *
 * @example
 * ```ts
 * const options: ToOnnxOptions = { dtype: 'float64' };
 * ```
 * @category ONNX
 */
export interface ToOnnxOptions {
  /** The element type of the ONNX model's input, weights and output; default: the model's own dtype. */
  dtype?: FloatType;
}

/** The graph's input and output names. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

function valueInfo(name: string, dtype: FloatType, width: number): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elementType(dtype),
        shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] },
      },
    },
  };
}

/**
 * Writes a model as an ONNX file (the bytes of a `ModelProto`, opset 17) that ONNX Runtime and other ONNX engines
 * run without deltaflow.
 *
 * The graph takes raw inputs `input` [batch, n] and gives `output` [batch, m], the batch dimension dynamic:
 *
 * - the stored input scaler (`meta.scaler`), if any, as the first nodes: (x_i - offset_i) / scale_i (Sub, Div;
 *   in float64, between two Casts, for a float32 model, so it rounds as deltaflow's own scaling does);
 * - per dense layer a Gemm, net_j = sum_i O_i W_ij + theta_j (initializers `layers.K.weight` [n, m], W_ij at
 *   row i, and `layers.K.bias`), then its activation as ONNX nodes; dropout layers are left out (the identity
 *   at inference);
 * - the class names, the scaler, each layer's activation and dropout rate, and the rest of the meta in
 *   `metadata_props` (`deltaflow.classNames`, `deltaflow.scaler`, ...), which {@link fromOnnx} reads back.
 *
 * Built-in activations are written with ops ONNX Runtime runs in both dtypes; a plugin activation needs an
 * `onnx` lowering on its entry (see the plugin guide).
 *
 * @example
 * ```ts
 * import { mlp } from '@deltaflow/network';
 * import { toOnnx } from '@deltaflow/interop';
 *
 * const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }], seed: 1 });
 * const bytes: Uint8Array = toOnnx(model);                       // float32, as the model
 * const wide: Uint8Array = toOnnx(model, { dtype: 'float64' });  // float64 weights and input
 * ```
 * @param model - a model, or a model file's data (checked as `modelFromJSON` checks it)
 * @param options - `dtype`
 * @returns the `.onnx` file's bytes
 * @throws DeltaflowError `E_DEFINITION` naming an activation that has no ONNX lowering; `E_MODEL` for a bad
 *   model file or stored scaler; `E_OPTION` for an unknown dtype
 * @category ONNX
 */
export function toOnnx(model: Sequential | ModelJSON, options: ToOnnxOptions = {}): Uint8Array {
  const net = model instanceof Sequential ? model : modelFromJSON(model);
  const dtype = options.dtype ?? net.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new DeltaflowError(
      'E_OPTION',
      `toOnnx: dtype must be 'float32' or 'float64', got '${String(dtype)}'.`,
    );
  }
  const meta = net.meta ?? {};
  const scaler = storedScaler(meta['scaler'], net.inputs, 'toOnnx');
  const classNames = storedClassNames(meta['classNames']);
  const b = new GraphBuilder(dtype);
  let value = b.reserve(ONNX_INPUT);
  b.reserve(ONNX_OUTPUT);

  if (scaler) {
    b.scope = '/scaler/';
    // (x - offset) / scale in float64, as Scaler.transform computes it, rounded once to float32 if need be.
    const wide = dtype === 'float64' ? value : b.cast(value, 'float64');
    const offset = b.tensor('scaler.offset', [scaler.offset.length], scaler.offset, 'float64');
    const scale = b.tensor('scaler.scale', [scaler.scale.length], scaler.scale, 'float64');
    const scaled = b.op('Div', [b.op('Sub', [wide, offset]), scale]);
    value = dtype === 'float64' ? scaled : b.cast(scaled, dtype);
  }

  net.layers.forEach((layer, k) => {
    b.scope = `/layers.${k}/`;
    const weight = b.tensor(`layers.${k}.weight`, [layer.inputs, layer.units], layer.weights.data);
    const bias = b.tensor(`layers.${k}.bias`, [layer.units], layer.bias.data);
    value = b.op('Gemm', [value, weight, bias]);
    b.scope = `/layers.${k}/activation/`;
    const lowered = loweringOf(layer.activation)(b, value, layer.activation.config ?? {});
    if (typeof lowered !== 'string' || lowered === '') {
      throw new DeltaflowError(
        'E_DEFINITION',
        `The ONNX lowering of the activation '${layer.activation.name}' must return the name of its output value.`,
      );
    }
    value = lowered;
  });
  // The last value becomes the graph's output (an Identity when a lowering returned a value no node made).
  if (!b.rename(value, ONNX_OUTPUT)) {
    b.nodes.push({ name: '/output/Identity', opType: 'Identity', input: [value], output: [ONNX_OUTPUT] });
  }

  const { scaler: _s, classNames: _c, ...rest } = meta;
  const props: Record<string, string> = {
    [META.activations]: JSON.stringify(
      net.layers.map((layer) => simplify(activationToJSON(layer.activation))),
    ),
    [META.dropout]: JSON.stringify(net.layers.map((layer) => layer.dropout)),
  };
  if (classNames) props[META.classNames] = JSON.stringify(classNames);
  if (scaler) props[META.scaler] = JSON.stringify(scaler);
  if (Object.keys(rest).length > 0) props[META.meta] = JSON.stringify(rest);

  const message = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'deltaflow',
    domain: 'dev.deltaflow',
    docString: 'A multilayer perceptron exported by deltaflow.',
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'deltaflow',
      node: b.nodes,
      initializer: b.initializers,
      input: [valueInfo(ONNX_INPUT, dtype, net.inputs)],
      output: [valueInfo(ONNX_OUTPUT, dtype, net.outputs)],
    },
  });
  return onnx.ModelProto.encode(message).finish();
}

/** `{ name }` as the plain name, as model files write it. */
function simplify(json: { name: string; config?: object }): string | { name: string; config?: object } {
  return json.config === undefined ? json.name : json;
}
