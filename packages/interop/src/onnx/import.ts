import { DeltaflowError } from '@deltaflow/core';
import type { FloatType } from '@deltaflow/core';
import { modelFromJSON } from '@deltaflow/network';
import type { DenseLayerJSON, LayerJSON, ModelJSON } from '@deltaflow/network';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { recognizeComposite } from './composite.js';
import { META } from './metadata.js';
import { ATTRIBUTE, DOUBLE, FLOAT, onnx, toNumber } from './proto.js';

/** An initializer read into numbers. */
interface Constant {
  dtype: FloatType;
  dims: number[];
  values: number[];
}

function refuse(message: string): never {
  throw new DeltaflowError('E_MODEL', message);
}

/** The numbers of a TensorProto: raw_data (little-endian) or float_data / double_data. */
function readTensor(t: OnnxTypes.ITensorProto): Constant {
  const name = t.name ?? '?';
  const dtype: FloatType | undefined =
    t.dataType === FLOAT ? 'float32' : t.dataType === DOUBLE ? 'float64' : undefined;
  if (dtype === undefined) {
    refuse(
      `fromOnnx: the initializer '${name}' has ONNX data type ${t.dataType ?? '?'}; deltaflow reads float (1) and double (11) weights.`,
    );
  }
  const dims = (t.dims ?? []).map((d) => toNumber(d));
  const count = dims.reduce((a, d) => a * d, 1);
  const width = dtype === 'float64' ? 8 : 4;
  let values: number[];
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    if (raw.length !== count * width) {
      refuse(`fromOnnx: the initializer '${name}' holds ${raw.length} bytes, expected ${count * width}.`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    values = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      values[i] = dtype === 'float64' ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
    }
  } else {
    const list = dtype === 'float64' ? (t.doubleData ?? []) : (t.floatData ?? []);
    if (list.length !== count) {
      refuse(`fromOnnx: the initializer '${name}' holds ${list.length} numbers, expected ${count}.`);
    }
    // float_data holds float32 values; Math.fround keeps them exact whatever the decoder gave
    values = list.map((v) => (dtype === 'float32' ? Math.fround(v) : v));
  }
  return { dtype, dims, values };
}

/** An attribute's number (FLOAT or INT), or `fallback` when the node does not have it. */
function attr(node: OnnxTypes.INodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return fallback;
  if (a.type === ATTRIBUTE.FLOAT) return a.f ?? 0;
  if (a.type === ATTRIBUTE.INT) return toNumber(a.i);
  return NaN;
}

function attrString(node: OnnxTypes.INodeProto, name: string, fallback: string): string {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.s ? new TextDecoder().decode(a.s) : fallback;
}

/** What a single ONNX activation node is in deltaflow, or undefined. */
function activationOf(node: OnnxTypes.INodeProto): DenseLayerJSON['activation'] | undefined {
  switch (node.opType) {
    case 'Relu':
      return 'relu';
    case 'Sigmoid':
      return 'sigmoid';
    case 'Tanh':
      return 'tanh';
    case 'Softmax': {
      const axis = attr(node, 'axis', -1);
      return axis === -1 || axis === 1 ? 'softmax' : undefined;
    }
    case 'LeakyRelu':
      return { name: 'leaky-relu', config: { negativeSlope: attr(node, 'alpha', 0.01) } };
    case 'Elu':
      return { name: 'elu', config: { alpha: attr(node, 'alpha', 1) } };
    case 'Softplus':
      return 'softplus';
    case 'Gelu':
      return { name: 'gelu', config: { approximate: attrString(node, 'approximate', 'none') } };
    default:
      return undefined;
  }
}

/** The model file's parts a deltaflow export stored in metadata_props. */
interface StoredMeta {
  activations?: unknown[];
  dropout?: unknown[];
  classNames?: unknown;
  scaler?: unknown;
  meta?: Record<string, unknown>;
}

function readMetadata(model: OnnxTypes.IModelProto): StoredMeta {
  const props = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const json = (key: string): unknown => {
    const text = props.get(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return refuse(
        `fromOnnx: metadata_props '${key}' is not valid JSON; remove it or export the model again.`,
      );
    }
  };
  const stored: StoredMeta = {};
  const activations = json(META.activations);
  if (Array.isArray(activations)) stored.activations = activations;
  const dropout = json(META.dropout);
  if (Array.isArray(dropout)) stored.dropout = dropout;
  const classNames = json(META.classNames);
  if (classNames !== undefined) stored.classNames = classNames;
  const scaler = json(META.scaler);
  if (scaler !== undefined) stored.scaler = scaler;
  const meta = json(META.meta);
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta))
    stored.meta = meta as Record<string, unknown>;
  return stored;
}

/** A layer being read: its weights W_ij [inputs][units], bias, and the nodes of its activation. */
interface PendingLayer {
  weights: number[][];
  bias: number[];
  activation?: DenseLayerJSON['activation'];
  /** The node indexes of a deltaflow-exported activation (nodes named /layers.K/activation/...). */
  composed: number[];
  dtype: FloatType;
}

/**
 * Reads an ONNX multilayer perceptron into a deltaflow model file: the graphs `torch.onnx.export` writes for an
 * `nn.Sequential` of `nn.Linear` and activations (Gemm with transB = 1) and those tf2onnx writes for Keras Dense
 * layers (MatMul then Add), each linear op optionally followed by one activation node (Relu, Sigmoid, Tanh,
 * Softmax, LeakyRelu, Elu, Softplus, Gelu; Mul(x, Sigmoid(x)), torch's SiLU, is swish; none, or Identity, is
 * linear), or by elementwise nodes that compute a built-in activation (torch writes GELU as Div, Erf, Add, Mul,
 * Mul), recognized by evaluating them at probe points. Flatten and Identity nodes are allowed
 * where they change nothing. Weights may be stored as raw_data or float_data / double_data; their type (float or
 * double) gives the model's dtype.
 *
 * A file written by {@link toOnnx} comes back whole: the same weights bit for bit, the activations (also those
 * exported as several nodes), dropout rates, class names, scaler and meta, from its `metadata_props`.
 * Anything else is refused with an error naming the node's op and index.
 *
 * @example
 * ```ts
 * import { mlp, modelFromJSON } from '@deltaflow/network';
 * import { fromOnnx, toOnnx } from '@deltaflow/interop';
 *
 * const model = mlp({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1 }], seed: 1 });
 * const json = fromOnnx(toOnnx(model)); // a model file: { format: 'deltaflow-model', ... }
 * const again = modelFromJSON(json);
 * ```
 * @param bytes - the contents of a `.onnx` file
 * @returns the model file's data, checked as `modelFromJSON` checks it
 * @throws DeltaflowError `E_PARSE` when the bytes are not an ONNX model; `E_MODEL` naming the node (op and index)
 *   or initializer deltaflow cannot read
 * @category ONNX
 */
export function fromOnnx(bytes: Uint8Array): ModelJSON {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new DeltaflowError(
      'E_PARSE',
      `fromOnnx: the bytes are not an ONNX model (${(error as Error).message.replace(/\.$/, '')}); give the contents of a .onnx file.`,
      { cause: error },
    );
  }
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0) {
    refuse('fromOnnx: the file has no graph nodes; give an ONNX model (a .onnx file with a graph).');
  }
  const stored = readMetadata(model);
  const constants = new Map<string, Constant>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', readTensor(t));
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  if (inputs.length !== 1) {
    refuse(
      `fromOnnx: the graph has ${inputs.length} inputs besides its weights; deltaflow reads graphs with one input.`,
    );
  }
  if ((graph.output ?? []).length !== 1) {
    refuse(
      `fromOnnx: the graph has ${(graph.output ?? []).length} outputs; deltaflow reads graphs with one output.`,
    );
  }
  const output = graph.output![0]!.name ?? '';

  let current = inputs[0]!.name ?? '';
  const layers: PendingLayer[] = [];
  const nodes = graph.node!;
  /** The index of the first node after the scaler's nodes, which a deltaflow export names /scaler/. */
  let start = 0;
  if (stored.scaler !== undefined) {
    while (start < nodes.length && (nodes[start]!.name ?? '').startsWith('/scaler/')) start++;
    if (start > 0) current = nodes[start - 1]!.output?.[0] ?? '';
  }
  /** An initializer holding one number (a constant of an activation's nodes). */
  const scalarOf = (name: string): number | undefined => {
    const c = constants.get(name);
    return c && c.values.length === 1 ? c.values[0] : undefined;
  };
  const weight = (name: string | undefined, i: number, node: OnnxTypes.INodeProto): Constant => {
    const c = constants.get(name ?? '');
    if (!c)
      refuse(
        `fromOnnx: node ${i} (${node.opType}) takes '${name}', which is not an initializer; deltaflow reads weights stored as initializers.`,
      );
    return c;
  };
  function unsupported(i: number, node: OnnxTypes.INodeProto, why: string): never {
    return refuse(
      `fromOnnx: node ${i} (${node.opType ?? '?'}${node.name ? ` '${node.name}'` : ''}) ${why}; deltaflow imports multilayer perceptrons: Gemm or MatMul + Add, each followed by at most one activation (Relu, Sigmoid, Tanh, Softmax, LeakyRelu, Elu, Softplus, Gelu, or x Sigmoid(x)), with Flatten and Identity.`,
    );
  }

  for (let i = start; i < nodes.length; i++) {
    const node = nodes[i]!;
    const ins = node.input ?? [];
    const outs = node.output ?? [];
    const last = layers.at(-1);
    const composedPrefix = `/layers.${layers.length - 1}/activation/`;
    if (
      last &&
      last.activation === undefined &&
      stored.activations !== undefined &&
      (node.name ?? '').startsWith(composedPrefix)
    ) {
      // a deltaflow export's activation written as several nodes; the metadata names it
      last.composed.push(i);
      current = outs[0] ?? '';
      continue;
    }
    if (node.domain && node.domain !== 'ai.onnx') unsupported(i, node, `is of the domain '${node.domain}'`);
    switch (node.opType) {
      case 'Identity':
        if (constants.has(ins[0] ?? '')) constants.set(outs[0] ?? '', constants.get(ins[0]!)!);
        else if (ins[0] === current) current = outs[0] ?? '';
        else unsupported(i, node, 'does not take the previous value');
        continue;
      case 'Flatten': {
        if (ins[0] !== current || layers.length > 0 || attr(node, 'axis', 1) !== 1) {
          unsupported(i, node, 'flattens something else than the graph input from axis 1');
        }
        current = outs[0] ?? '';
        continue;
      }
      case 'Gemm': {
        if (ins[0] !== current) unsupported(i, node, 'does not take the previous value as its input A');
        if (attr(node, 'alpha', 1) !== 1 || attr(node, 'beta', 1) !== 1 || attr(node, 'transA', 0) !== 0) {
          unsupported(i, node, 'has alpha, beta or transA other than 1, 1, 0');
        }
        const b = weight(ins[1], i, node);
        const transB = attr(node, 'transB', 0) === 1;
        if (b.dims.length !== 2) unsupported(i, node, 'has a weight that is not a matrix');
        const [rows, cols] = b.dims as [number, number];
        const n = transB ? cols : rows;
        const m = transB ? rows : cols;
        const weights: number[][] = [];
        for (let r = 0; r < n; r++) {
          const row = new Array<number>(m);
          for (let j = 0; j < m; j++) row[j] = transB ? b.values[j * cols + r]! : b.values[r * cols + j]!;
          weights.push(row);
        }
        let bias = new Array<number>(m).fill(0);
        if (ins[2]) {
          const c = weight(ins[2], i, node);
          if (c.values.length !== m)
            unsupported(i, node, `has a bias of ${c.values.length} numbers for ${m} units`);
          bias = [...c.values];
        }
        layers.push({ weights, bias, composed: [], dtype: b.dtype });
        current = outs[0] ?? '';
        continue;
      }
      case 'MatMul': {
        if (ins[0] !== current) unsupported(i, node, 'does not take the previous value as its first input');
        const b = weight(ins[1], i, node);
        if (b.dims.length !== 2) unsupported(i, node, 'has a weight that is not a matrix');
        const [n, m] = b.dims as [number, number];
        const weights: number[][] = [];
        for (let r = 0; r < n; r++) weights.push(b.values.slice(r * m, r * m + m));
        layers.push({ weights, bias: new Array<number>(m).fill(0), composed: [], dtype: b.dtype });
        current = outs[0] ?? '';
        const next = nodes[i + 1];
        if (next?.opType === 'Add' && (next.input ?? []).includes(current)) {
          const other = next.input!.find((name) => name !== current);
          const c = weight(other, i + 1, next);
          if (c.values.length !== m)
            unsupported(i + 1, next, `adds ${c.values.length} numbers to ${m} units`);
          layers.at(-1)!.bias = [...c.values];
          current = next.output?.[0] ?? '';
          i++;
        }
        continue;
      }
      default: {
        const activation = activationOf(node);
        if (activation === undefined && last && last.activation === undefined && last.composed.length === 0) {
          // an activation written as several elementwise nodes (torch's GELU): recognized by its values
          const match = recognizeComposite(nodes, i, current, scalarOf, (t) => readTensor(t).values);
          if (match) {
            last.activation = match.activation;
            current = match.output;
            i = match.last;
            continue;
          }
        }
        if (activation === undefined) unsupported(i, node, 'is not supported');
        if (ins[0] !== current) unsupported(i, node, 'does not take the previous value');
        if (!last || last.activation !== undefined || last.composed.length > 0) {
          unsupported(i, node, 'is an activation that does not follow a linear layer');
        }
        last.activation = activation;
        current = outs[0] ?? '';
        // SiLU as torch.onnx.export writes it: Mul(x, Sigmoid(x)) is swish
        const next = nodes[i + 1];
        const mulInputs = next?.opType === 'Mul' ? (next.input ?? []) : [];
        if (activation === 'sigmoid' && mulInputs.includes(current) && mulInputs.includes(ins[0]!)) {
          last.activation = 'swish';
          current = next!.output?.[0] ?? '';
          i++;
        }
      }
    }
  }
  if (layers.length === 0) refuse('fromOnnx: the graph has no Gemm or MatMul node, so no layer to read.');
  if (current !== output) {
    refuse(
      `fromOnnx: the graph's output '${output}' is not the value its last node computes ('${current}').`,
    );
  }
  const dtype = layers[0]!.dtype;
  const json: LayerJSON[] = [];
  layers.forEach((layer, k) => {
    if (layer.dtype !== dtype)
      refuse(`fromOnnx: layer ${k}'s weights are ${layer.dtype} but layer 0's are ${dtype}.`);
    const storedActivation = stored.activations?.[k];
    let activation = layer.activation;
    if (layer.composed.length > 0 || (activation === undefined && storedActivation !== undefined)) {
      if (!(
        typeof storedActivation === 'string' ||
        (typeof storedActivation === 'object' && storedActivation !== null)
      )) {
        const i = layer.composed[0] ?? 0;
        unsupported(i, nodes[i]!, 'belongs to an activation that metadata_props does not name');
      }
      activation = storedActivation as DenseLayerJSON['activation'];
    }
    json.push({
      type: 'dense',
      inputs: layer.weights.length,
      units: layer.bias.length,
      activation: activation ?? 'linear',
      weights: layer.weights,
      bias: layer.bias,
    });
    const rate = stored.dropout?.[k];
    if (typeof rate === 'number' && rate > 0 && k < layers.length - 1) json.push({ type: 'dropout', rate });
  });
  const meta: Record<string, unknown> = { ...(stored.meta ?? {}) };
  if (stored.classNames !== undefined) meta['classNames'] = stored.classNames;
  // the scaler only when the graph's first nodes apply it (a deltaflow export's /scaler/ nodes)
  if (stored.scaler !== undefined && start > 0) meta['scaler'] = stored.scaler;
  else delete meta['scaler'];
  if (stored.activations === undefined) {
    meta['importedFrom'] = {
      format: 'onnx',
      ...(model.producerName
        ? { producer: `${model.producerName} ${model.producerVersion ?? ''}`.trim() }
        : {}),
    };
  }
  const file: ModelJSON = {
    format: 'deltaflow-model',
    version: json.some((l) => l.type === 'dropout') ? 2 : 1,
    dtype,
    layers: json,
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
  modelFromJSON(file, 'fromOnnx');
  return file;
}
