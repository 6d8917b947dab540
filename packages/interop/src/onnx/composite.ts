import { activationToJSON, erf, getActivation } from '@deltaflow/activations';
import type { ActivationConfig, ActivationIdentifier } from '@deltaflow/activations';
import { pluginRegistries } from '@deltaflow/core';
import { Tensor } from '@deltaflow/tensor';
import type { onnx as OnnxTypes } from 'onnx-proto';

/** Elementwise ops an activation written as several nodes may use, as scalar functions of their inputs. */
const OPS: Readonly<Record<string, (a: number, b: number) => number>> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Pow: (a, b) => a ** b,
  Neg: (a) => -a,
  Abs: (a) => Math.abs(a),
  Exp: (a) => Math.exp(a),
  Log: (a) => Math.log(a),
  Sqrt: (a) => Math.sqrt(a),
  Reciprocal: (a) => 1 / a,
  Tanh: (a) => Math.tanh(a),
  Sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  Erf: (a) => erf(a),
  Relu: (a) => Math.max(a, 0),
  Softplus: (a) => Math.log1p(Math.exp(a)),
  Identity: (a) => a,
};

/** Net inputs where the candidates are told apart (GELU's two forms differ by up to 5e-4 near |x| = 2). */
const PROBES = [-6, -3, -2, -1.5, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 1.5, 2, 3, 6];

/** The built-in activations an elementwise subgraph may be, with their default configs, plus GELU's tanh form. */
function candidates(): ActivationIdentifier[] {
  const names = pluginRegistries.activation
    .names()
    .filter((n) => pluginRegistries.activation.source(n) === 'builtin' && n !== 'softmax');
  return [...names, { name: 'gelu', config: { approximate: 'tanh' } }];
}

/** One scalar of a Constant node's `value`, or undefined. */
function constantNodeValue(
  node: OnnxTypes.INodeProto,
  read: (t: OnnxTypes.ITensorProto) => number[],
): number | undefined {
  const value = node.attribute?.find((a) => a.name === 'value')?.t;
  if (value) {
    const numbers = read(value);
    return numbers.length === 1 ? numbers[0] : undefined;
  }
  const f = node.attribute?.find((a) => a.name === 'value_float');
  return f ? (f.f ?? 0) : undefined;
}

/** What {@link recognizeComposite} found: the activation, and the index and output of the segment's last node. */
export interface CompositeMatch {
  activation: string | { name: string; config?: ActivationConfig };
  last: number;
  output: string;
}

/**
 * Recognizes an activation written as several elementwise nodes (torch.onnx.export writes GELU as Div, Erf, Add,
 * Mul, Mul, its tanh form as a dozen nodes): the nodes from `start` that compute from `input` and scalar
 * constants (initializers, Constant nodes) are evaluated at probe points and compared with every built-in
 * activation; the one they match (within 1e-6) is the layer's activation.
 *
 * @returns undefined when the nodes are not such a segment or match no built-in activation
 */
export function recognizeComposite(
  nodes: readonly OnnxTypes.INodeProto[],
  start: number,
  input: string,
  scalar: (name: string) => number | undefined,
  read: (t: OnnxTypes.ITensorProto) => number[],
): CompositeMatch | undefined {
  const constants = new Map<string, number>();
  const segment: OnnxTypes.INodeProto[] = [];
  const produced = new Set<string>([input]);
  let last = start - 1;
  for (let i = start; i < nodes.length; i++) {
    const node = nodes[i]!;
    const out = node.output?.[0];
    if (!out) break;
    if (node.opType === 'Constant') {
      const value = constantNodeValue(node, read);
      if (value === undefined) break;
      constants.set(out, value);
      last = i;
      continue;
    }
    const op = OPS[node.opType ?? ''];
    const ins = node.input ?? [];
    const known = (name: string): boolean =>
      produced.has(name) || constants.has(name) || scalar(name) !== undefined;
    if (!op || ins.length === 0 || ins.length > 2 || !ins.every(known) || !ins.some((n) => produced.has(n)))
      break;
    segment.push(node);
    produced.add(out);
    last = i;
  }
  if (segment.length === 0) return undefined;
  const output = segment.at(-1)!.output![0]!;
  const f = (x: number): number => {
    const values = new Map<string, number>([[input, x]]);
    const value = (name: string): number => values.get(name) ?? constants.get(name) ?? scalar(name)!;
    for (const node of segment) {
      const [a, b] = (node.input ?? []).map(value);
      values.set(node.output![0]!, OPS[node.opType!]!(a!, b ?? NaN));
    }
    return values.get(output)!;
  };
  const actual = PROBES.map(f);
  for (const id of candidates()) {
    const activation = getActivation(id);
    const x = Tensor.fromArray(Float64Array.from(PROBES), [1, PROBES.length], 'float64');
    const y = Tensor.zeros([1, PROBES.length], 'float64');
    activation.forward(x, y);
    const close = actual.every(
      (v, k) => Math.abs(v - y.data[k]!) <= 1e-6 * Math.max(1, Math.abs(y.data[k]!)),
    );
    if (close) {
      const { name, config } = activationToJSON(activation);
      return { activation: config ? { name, config } : name, last, output };
    }
  }
  return undefined;
}
