import { activations } from '@deltaflow/activations';
import type { Sequential } from '@deltaflow/network';
import type { TypedArray } from '@deltaflow/tensor';
import type { LayerPart, ModelParts } from '../model-parts.js';
import { modelParts } from '../model-parts.js';
import { ERFC_SOURCE } from './erfc-source.js';
import { forbidEval, pluginFunctionSource } from './plugin-source.js';

/**
 * A model as one dependency-free ES module and its type declarations.
 *
 * @example
 * ```ts
 * const { js, dts }: StandaloneModule = toStandaloneModule(mlp({ inputs: 2, layers: [{ units: 1 }] }));
 * ```
 * @category Standalone JavaScript
 */
export interface StandaloneModule {
  /** The module (`model.js`): exports `predict`, `predictBatch`, `classify` and the model's facts. */
  js: string;
  /** Its declarations (`model.d.ts`, beside `model.js`). */
  dts: string;
}

/**
 * Options of {@link toStandaloneModule}.
 *
 * @example
 * ```ts
 * const options: StandaloneOptions = { evaluate: false }; // in a page whose CSP forbids eval
 * ```
 * @category Standalone JavaScript
 */
export interface StandaloneOptions {
  /**
   * Whether a plugin activation's `f` may be checked by evaluating its source alone (default true). Pass
   * false where evaluating code is forbidden, as in a page whose Content-Security-Policy has no
   * `'unsafe-eval'` (the dashboard's): the source is then checked by parsing alone, and the browser logs no
   * refused evaluation.
   */
  evaluate?: boolean;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The little-endian bytes of `data` (float32 or float64 as stored) in base64. */
function base64(data: TypedArray): string {
  const size = data instanceof Float32Array ? 4 : 8;
  const bytes = new Uint8Array(data.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    if (size === 4) view.setFloat32(i * 4, data[i]!, true);
    else view.setFloat64(i * 8, data[i]!, true);
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += BASE64[b0 >> 2]! + BASE64[((b0 & 3) << 4) | (b1 >> 4)]!;
    out += i + 1 < bytes.length ? BASE64[((b1 & 15) << 2) | (b2 >> 6)]! : '=';
    out += i + 2 < bytes.length ? BASE64[b2 & 63]! : '=';
  }
  return out;
}

/** A number as JavaScript source, exactly (shortest round-trip form; -0 kept). */
const num = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

/**
 * The forward kernel `(x, out, cols)` of one layer's activation, as JavaScript source: the same arithmetic, in
 * the same order, as the activation's forward in @deltaflow/activations (x: net inputs, out: outputs, both of
 * the model's typed array, so float32 rounds where the network does).
 */
function activationKernel(layer: LayerPart, needs: Set<string>, plugins: Map<string, string>): string {
  const c = layer.config;
  const loop = (body: string): string =>
    `(x, out) => {\n    for (let i = 0; i < x.length; i++) {\n      const v = x[i];\n      ${body}\n    }\n  }`;
  const builtin = activations.source(layer.activation) === 'builtin';
  switch (builtin ? layer.activation : '') {
    case 'sigmoid':
      return loop(
        'if (v >= 0) {\n        out[i] = 1 / (1 + Math.exp(-v));\n      } else {\n        const e = Math.exp(v);\n        out[i] = e / (1 + e);\n      }',
      );
    case 'tanh':
      return loop('out[i] = Math.tanh(v);');
    case 'relu':
      return loop('out[i] = Math.max(v, 0);');
    case 'leaky-relu':
      return loop(`out[i] = v > 0 ? v : ${num(c['negativeSlope'] as number)} * v;`);
    case 'elu':
      return loop(`out[i] = v > 0 ? v : ${num(c['alpha'] as number)} * Math.expm1(v);`);
    case 'softplus': {
      const beta = num(c['beta'] as number);
      return loop(
        `out[i] = ${beta} * v > ${num(c['threshold'] as number)} ? v : Math.log1p(Math.exp(${beta} * v)) / ${beta};`,
      );
    }
    case 'gelu':
      if (c['approximate'] === 'tanh') {
        return loop('out[i] = 0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));');
      }
      needs.add('erfc');
      return loop(`out[i] = 0.5 * v * erfc(-v * ${num(Math.SQRT1_2)});`);
    case 'swish':
      needs.add('logistic');
      return loop('out[i] = v * logistic(v);');
    case 'softmax':
      return `(x, out, cols) => {
    for (let base = 0; base < x.length; base += cols) {
      const end = base + cols;
      let m = -Infinity;
      for (let i = base; i < end; i++) if (x[i] > m) m = x[i];
      let sum = 0;
      for (let i = base; i < end; i++) {
        out[i] = Math.exp(x[i] - m);
        sum += out[i];
      }
      for (let i = base; i < end; i++) out[i] /= sum;
    }
  }`;
    case 'linear':
      return '(x, out) => {\n    out.set(x);\n  }';
    default: {
      let id = plugins.get(layer.activation);
      if (id === undefined) {
        id = `plugin${plugins.size}`;
        plugins.set(layer.activation, id);
      }
      return loop(`out[i] = ${id}(v);`);
    }
  }
}

const LOGISTIC_SOURCE = `function logistic(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
`;

function header(parts: ModelParts): string {
  const sizes = [parts.inputs, ...parts.layers.map((l) => l.units)].join('-');
  const acts = parts.layers.map((l) => l.activation).join(', ');
  return `// A deltaflow model (${sizes}, ${acts}; ${parts.dtype}) as a dependency-free ES module, written by
// \`deltaflow export --format js\`. predict(input) takes one sample's raw features${parts.scaler ? ' (the stored scaler is applied here)' : ''}
// and returns the outputs O_k; predictBatch(inputs) does the same for many. The arithmetic is the network's, in
// the same order: in float64 the outputs equal deltaflow's predict bit for bit.
`;
}

function moduleSource(parts: ModelParts, options: StandaloneOptions): string {
  const needs = new Set<string>();
  const plugins = new Map<string, string>();
  const store = parts.dtype === 'float64' ? 'Float64Array' : 'Float32Array';
  const layers = parts.layers.map(
    (layer) => `  {
    inputs: ${layer.inputs},
    units: ${layer.units},
    weights: decode(${JSON.stringify(base64(layer.weights))}, ${layer.inputs * layer.units}),
    bias: decode(${JSON.stringify(base64(layer.bias))}, ${layer.units}),
    activation: ${activationKernel(layer, needs, plugins)},
  },`,
  );
  const pluginLines = [...plugins].map(
    ([name, id]) =>
      `// the plugin activation '${name}': its f, serialised\nconst ${id} = ${pluginFunctionSource(name, options.evaluate === false ? forbidEval : undefined)};\n`,
  );
  const scaler = parts.scaler;
  return `${header(parts)}
/** 'float32' or 'float64': the numbers the network computes with. */
export const dtype = ${JSON.stringify(parts.dtype)};
/** The number of input features. */
export const inputs = ${parts.inputs};
/** The number of outputs O_k. */
export const outputs = ${parts.outputs};
/** The class names, one per output (for a single output: the classes 0 and 1), or null. */
export const classNames = ${parts.classNames ? `Object.freeze(${JSON.stringify(parts.classNames)})` : 'null'};
/** The stored input scaler, x' = (x - offset) / scale, applied by predict; or null. */
export const scaler = ${
    scaler
      ? `Object.freeze({ kind: ${JSON.stringify(scaler.kind)}, offset: Object.freeze([${scaler.offset.map(num).join(', ')}]), scale: Object.freeze([${scaler.scale.map(num).join(', ')}]) })`
      : 'null'
  };

const Store = ${store};
const ALPHABET = ${JSON.stringify(BASE64)};

/** Decodes base64 little-endian ${parts.dtype === 'float64' ? 'float64' : 'float32'} numbers. */
function decode(text, count) {
  const codes = new Uint8Array(128);
  for (let i = 0; i < 64; i++) codes[ALPHABET.charCodeAt(i)] = i;
  const bytes = new Uint8Array(count * ${parts.dtype === 'float64' ? 8 : 4});
  let o = 0;
  for (let i = 0; i < text.length && o < bytes.length; i += 4) {
    const n =
      (codes[text.charCodeAt(i)] << 18) |
      (codes[text.charCodeAt(i + 1)] << 12) |
      (codes[text.charCodeAt(i + 2)] << 6) |
      codes[text.charCodeAt(i + 3)];
    bytes[o++] = n >> 16;
    if (o < bytes.length) bytes[o++] = (n >> 8) & 255;
    if (o < bytes.length) bytes[o++] = n & 255;
  }
  const view = new DataView(bytes.buffer);
  const out = new Store(count);
  for (let i = 0; i < count; i++) out[i] = view.${parts.dtype === 'float64' ? 'getFloat64(i * 8, true)' : 'getFloat32(i * 4, true)'};
  return out;
}
${needs.has('erfc') ? `\n${ERFC_SOURCE}` : ''}${needs.has('logistic') ? `\n${LOGISTIC_SOURCE}` : ''}${pluginLines.length > 0 ? `\n${pluginLines.join('\n')}` : ''}
const LAYERS = [
${layers.join('\n')}
];
${
  scaler
    ? `const OFFSET = new Float64Array(scaler.offset);
const SCALE = new Float64Array(scaler.scale);
`
    : ''
}
/** Products of more multiply-adds than this are summed in blocks of KC, as deltaflow's packed kernel does. */
const SMALL = 4096;
const KC = 256;
/** Rows computed together, so each row of W is read once per TILE samples. */
const TILE = 8;
/** The running sums of TILE rows, in float64 as deltaflow's kernels keep them. */
const SUMS = new Float64Array(TILE * ${Math.max(...parts.layers.map((l) => l.units))});

/**
 * out = a W + theta for every row, each sum in the order of deltaflow's linear kernel: small products start at
 * theta_j and add O_i W_ij for i in order; larger ones start from theta_j and add the sums of blocks of KC inputs.
 */
function linear(a, w, bias, rows, n, m, out) {
  const s = SUMS;
  const blocked = rows * n * m > SMALL;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    const size = (r1 - r0) * m;
    if (blocked) {
      for (let r = r0; r < r1; r++) for (let j = 0; j < m; j++) out[r * m + j] = bias[j];
    } else {
      for (let k = 0; k < size; k++) s[k] = bias[k % m];
    }
    for (let pc = 0; pc < n; pc += blocked ? KC : n) {
      const end = blocked ? Math.min(n, pc + KC) : n;
      if (blocked) for (let k = 0; k < size; k++) s[k] = 0;
      for (let p = pc; p < end; p++) {
        const wp = p * m;
        for (let r = r0; r < r1; r++) {
          const av = a[r * n + p];
          const so = (r - r0) * m;
          for (let j = 0; j < m; j++) s[so + j] += av * w[wp + j];
        }
      }
      if (blocked) for (let k = 0; k < size; k++) out[r0 * m + k] += s[k];
    }
    if (!blocked) for (let k = 0; k < size; k++) out[r0 * m + k] = s[k];
  }
}

/** Each layer's net inputs and outputs for batches of \`buffers.rows\` rows (made anew when that changes). */
const buffers = { rows: 0, net: [], out: [] };

/** The outputs of \`rows\` samples given row after row in \`x\`. */
function run(x, rows) {
  if (buffers.rows !== rows) {
    buffers.rows = rows;
    buffers.net = LAYERS.map((layer) => new Store(rows * layer.units));
    buffers.out = LAYERS.map((layer) => new Store(rows * layer.units));
  }
  let o = x;
  for (let l = 0; l < LAYERS.length; l++) {
    const layer = LAYERS[l];
    const net = buffers.net[l];
    linear(o, layer.weights, layer.bias, rows, layer.inputs, layer.units, net);
    o = buffers.out[l];
    layer.activation(net, o, layer.units);
  }
  return o;
}

function sample(input, where) {
  if (input === null || typeof input !== 'object' || input.length !== inputs) {
    throw new RangeError(\`\${where} must hold \${inputs} numbers, one per input feature.\`);
  }
  return input;
}

function features(list) {
  const rows = list.length;
  const x = new Store(rows * inputs);
  for (let r = 0; r < rows; r++) {
    const row = sample(list[r], rows === 1 ? 'The input' : \`Input \${r}\`);
    for (let i = 0; i < inputs; i++) x[r * inputs + i] = row[i];
  }
${
  scaler
    ? `  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inputs; i++) x[r * inputs + i] = (x[r * inputs + i] - OFFSET[i]) / SCALE[i];
  }
`
    : ''
}  return x;
}

/** The outputs O_k of one sample (its raw features). */
export function predict(input) {
  return Array.from(run(features([input]), 1));
}

/** The outputs O_k of each sample, computed as one batch. */
export function predictBatch(inputs) {
  const rows = inputs.length;
  if (rows === 0) return [];
  const o = run(features(inputs), rows);
  const result = [];
  for (let r = 0; r < rows; r++) result.push(Array.from(o.subarray(r * outputs, (r + 1) * outputs)));
  return result;
}

/** The class of one sample: the largest output's index (a single output: 1 from 0.5 up), named by classNames. */
export function classify(input) {
  const o = predict(input);
  let k = 0;
  if (o.length === 1) k = o[0] >= 0.5 ? 1 : 0;
  else for (let j = 1; j < o.length; j++) if (o[j] > o[k]) k = j;
  return classNames ? classNames[k] : k;
}
`;
}

function declarations(parts: ModelParts): string {
  return `${header(parts)}
/** 'float32' or 'float64': the numbers the network computes with. */
export declare const dtype: ${JSON.stringify(parts.dtype)};
/** The number of input features. */
export declare const inputs: ${parts.inputs};
/** The number of outputs O_k. */
export declare const outputs: ${parts.outputs};
/** The class names, one per output (for a single output: the classes 0 and 1), or null. */
export declare const classNames: ${parts.classNames ? 'readonly string[]' : 'null'};
/** The stored input scaler, x' = (x - offset) / scale, applied by predict; or null. */
export declare const scaler: ${parts.scaler ? '{ readonly kind: string; readonly offset: readonly number[]; readonly scale: readonly number[] }' : 'null'};
/** The outputs O_k of one sample (its raw features); throws a RangeError unless it has \`inputs\` numbers. */
export declare function predict(input: ArrayLike<number>): number[];
/** The outputs O_k of each sample, computed as one batch. */
export declare function predictBatch(inputs: ArrayLike<ArrayLike<number>>): number[][];
/** The class of one sample: the largest output's index (a single output: 1 from 0.5 up), named by classNames. */
export declare function classify(input: ArrayLike<number>): ${parts.classNames ? 'string' : 'number'};
`;
}

/**
 * Exports a model as one dependency-free ES module (and its .d.ts): `predict(input)` gives one sample's outputs,
 * `predictBatch(inputs)` many, `classify(input)` the class (named by `classNames` when the model has them). The
 * stored input scaler is applied inside, so the module takes raw features, as deltaflow's predict does. Weights
 * are embedded as base64 of their float32/float64 bytes; the arithmetic (x = O W + theta summed in the order of
 * deltaflow's kernel, then f) is the network's, so in float64 the outputs equal deltaflow's bit for bit and in
 * float32 they round where the network rounds. A plugin activation's scalar `f` is embedded through
 * `Function.prototype.toString`; one that cannot be serialised (native, bound, using variables around it, or not
 * a scalar function) is refused with an error naming it.
 *
 * @example
 * ```ts
 * const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 1, dtype: 'float64' });
 * const { js, dts } = toStandaloneModule(model);
 * js.includes('export function predict('); // → true
 * dts.includes('predictBatch'); // → true
 * ```
 * @param model - the model; its `meta` gives the scaler and the class names
 * @param options - `evaluate: false` where evaluating code is forbidden (a page's CSP)
 * @returns the module's source and its declarations
 * @throws DeltaflowError `E_DEFINITION` naming a plugin activation that cannot be serialised; `E_MODEL` for an
 *   unusable `meta.scaler`
 * @category Standalone JavaScript
 */
export function toStandaloneModule(model: Sequential, options: StandaloneOptions = {}): StandaloneModule {
  const parts = modelParts(model);
  return { js: moduleSource(parts, options), dts: declarations(parts) };
}
