import { activationToJSON } from '@deltaflow/activations';
import type { ActivationConfig } from '@deltaflow/activations';
import { recordedPlugin } from './plugin-meta.js';
import { previewValue } from '@deltaflow/core';
import { DeltaflowError } from '@deltaflow/tensor';
import type { DType, TypedArray } from '@deltaflow/tensor';
import { Dense } from './dense.js';
import { Sequential } from './sequential.js';

/**
 * One dense layer in a model file: `weights` is `inputs` rows of `units` numbers (row i holds W_ij), `bias`
 * is `units` numbers (theta_j).
 *
 * @example
 * ```ts
 * const layer: DenseLayerJSON = {
 *   type: 'dense', inputs: 2, units: 1, activation: 'sigmoid',
 *   weights: [[0.5], [-0.5]], // W_11, W_21
 *   bias: [0.1],
 * };
 * ```
 * @category Model file
 */
export interface DenseLayerJSON {
  /** Always `'dense'`. */
  type: 'dense';
  /** n, the nodes i feeding the layer. */
  inputs: number;
  /** m, the nodes j of the layer. */
  units: number;
  /** A registry name, or `{ name, config }` for a parametrised activation. */
  activation: string | { name: string; config?: ActivationConfig };
  /** W: `inputs` rows of `units` numbers; `weights[i][j]` is W_ij, from node i to node j. */
  weights: number[][];
  /** theta: `units` numbers, one per node j. */
  bias: number[];
}

/**
 * A dropout layer in a model file: inverted dropout of the previous (hidden) dense layer's outputs at `rate` p
 * in training, the identity at inference. It follows a dense layer that is not the output layer.
 *
 * @example
 * ```ts
 * const layer: DropoutLayerJSON = { type: 'dropout', rate: 0.2 };
 * ```
 * @category Model file
 */
export interface DropoutLayerJSON {
  /** Always `'dropout'`. */
  type: 'dropout';
  /** p, the probability of dropping each output in training, in [0, 1). */
  rate: number;
}

/**
 * One layer of a model file: dense, or dropout (after a hidden dense layer).
 *
 * @example
 * ```ts
 * const dense = (l: LayerJSON): l is DenseLayerJSON => l.type === 'dense';
 * ```
 * @category Model file
 */
export type LayerJSON = DenseLayerJSON | DropoutLayerJSON;

/**
 * The model file (described in `docs/guides/the-math.md`, "The model file"):
 * `{ format: 'deltaflow-model', version: 1 | 2, dtype?, layers, meta? }`. Version 2 is a file with dropout
 * layers; a model without dropout is still written as version 1, so older readers keep reading it.
 *
 * @example
 * ```ts
 * const json: ModelJSON = {
 *   format: 'deltaflow-model',
 *   version: 1,
 *   layers: [{ type: 'dense', inputs: 2, units: 1, activation: 'sigmoid', weights: [[0.5], [-0.5]], bias: [0.1] }],
 * };
 * const model = modelFromJSON(json);
 * ```
 * @category Model file
 */
export interface ModelJSON {
  /** Always `'deltaflow-model'`: what the file is. */
  format: 'deltaflow-model';
  /** The format version: 1, or 2 when the file has dropout layers. */
  version: 1 | 2;
  /** `'float32'` (the default when left out) or `'float64'`. */
  dtype?: DType;
  /** The layers, input side first: dense layers, each hidden one optionally followed by a dropout layer. */
  layers: LayerJSON[];
  /** Free-form information: loss, epochs, options, scaling, creation date. */
  meta?: Record<string, unknown>;
}

/**
 * The dense layers of a model file, input side first, without its dropout layers: what a reader of weights
 * (W_ij and theta_j per layer) wants.
 *
 * @example
 * ```ts
 * const json = modelToJSON(mlp({ inputs: 2, layers: [{ units: 3, dropout: 0.5 }, { units: 1 }] }));
 * json.layers.length; // → 3
 * denseLayers(json).map((l) => l.units); // → [3, 1]
 * ```
 * @category Model file
 */
export function denseLayers(json: Pick<ModelJSON, 'layers'>): DenseLayerJSON[] {
  return json.layers.filter((layer): layer is DenseLayerJSON => layer.type === 'dense');
}

/**
 * The model as plain data, ready for `JSON.stringify`. Numbers are written exactly (shortest round-trip
 * form), so loading gives back the same weights bit for bit. `meta` defaults to the model's own
 * (`model.meta`, kept by {@link modelFromJSON}), so a loaded model saves with its meta.
 *
 * @example
 * ```ts
 * const json = modelToJSON(model, { loss: 'mse', epochs: 100 });
 * const again = modelFromJSON(JSON.parse(JSON.stringify(json)));
 * ```
 * @category Model file
 */
export function modelToJSON(model: Sequential, meta?: Record<string, unknown>): ModelJSON {
  const dropout = model.layers.some((layer) => layer.dropout > 0);
  const json: ModelJSON = {
    format: 'deltaflow-model',
    version: dropout ? 2 : 1,
    dtype: model.dtype,
    layers: model.layers.flatMap((layer): LayerJSON[] => {
      const { name, config } = activationToJSON(layer.activation);
      const w = layer.weights.data;
      const rows: number[][] = [];
      for (let i = 0; i < layer.inputs; i++) rows.push(numbers(w, i * layer.units, layer.units));
      const dense: DenseLayerJSON = {
        type: 'dense',
        inputs: layer.inputs,
        units: layer.units,
        activation: config && Object.keys(config).length > 0 ? { name, config } : name,
        weights: rows,
        bias: numbers(layer.bias.data, 0, layer.units),
      };
      return layer.dropout > 0 ? [dense, { type: 'dropout', rate: layer.dropout }] : [dense];
    }),
  };
  const kept = meta ?? model.meta;
  if (kept) json.meta = kept;
  return json;
}

/** `count` numbers of `data` from `start` as a plain array (a counted loop: several times faster than `Array.from`). */
function numbers(data: TypedArray, start: number, count: number): number[] {
  const out = new Array<number>(count);
  for (let j = 0; j < count; j++) out[j] = data[start + j]!;
  return out;
}

/** Raised while validating: names the field path and what was expected. */
function fail(source: string | undefined, field: string, problem: string, cause?: unknown): never {
  const where = source ? `Model ${source}` : 'Model';
  throw new DeltaflowError('E_MODEL', `${where}: ${field} ${problem.replace(/\.$/, '')}.`, { cause });
}

/** A field's value for a message, bounded (see previewValue); a missing field is `undefined`. */
const shown = (v: unknown): string => (v === undefined ? 'undefined' : previewValue(v));

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** The largest magnitude a float32 holds; a double beyond it (up to rounding) becomes Infinity when stored. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * How deep the free-form `meta` may nest: it is kept and written back with the model, and JSON.stringify
 * recurses (a file nested 100,000 levels deep would overflow the stack when saved).
 */
const MAX_META_DEPTH = 64;

function checkNumbers(
  values: unknown,
  length: number,
  field: string,
  source: string | undefined,
  dtype: DType,
): number[] {
  if (!Array.isArray(values))
    fail(source, field, `is ${shown(values)}, expected an array of ${length} numbers`);
  if (values.length !== length) fail(source, field, `has ${values.length} numbers, expected ${length}`);
  for (let i = 0; i < length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const why =
        typeof v === 'number' && !Number.isNaN(v) ? ' (out of the range of a double, e.g. 1e400)' : '';
      fail(source, `${field}[${i}]`, `is ${shown(v)}${why}, expected a finite number`);
    }
    if (dtype === 'float32' && !Number.isFinite(Math.fround(v))) {
      fail(
        source,
        `${field}[${i}]`,
        `is ${v}, beyond the float32 limit of ±${FLOAT32_MAX} (it would be stored as Infinity); give the file "dtype": "float64" (train with --dtype float64) to keep such a weight`,
      );
    }
  }
  return values as number[];
}

/** Whether `value` nests arrays or objects more than `limit` levels deep; iterative, so any depth is safe. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

function layerFromJSON(
  raw: unknown,
  index: number,
  dtype: DType,
  previous: { units: number; index: number } | null,
  dropout: number,
  source?: string,
  meta?: unknown,
): Dense {
  const at = `layers[${index}]`;
  if (!isObject(raw)) fail(source, at, 'must be an object');
  if (raw.type !== 'dense')
    fail(source, `${at}.type`, `is ${shown(raw.type)}, expected "dense" or "dropout"`);
  if (!isCount(raw.inputs)) fail(source, `${at}.inputs`, 'must be a positive integer');
  if (!isCount(raw.units)) fail(source, `${at}.units`, 'must be a positive integer');
  const { inputs, units } = raw;
  if (previous !== null && inputs !== previous.units) {
    fail(source, `${at}.inputs`, `is ${inputs} but layers[${previous.index}] has ${previous.units} units`);
  }
  const activation = raw.activation;
  if (!(typeof activation === 'string' || (isObject(activation) && typeof activation.name === 'string'))) {
    fail(source, `${at}.activation`, 'must be a name or { name, config }');
  }
  if (!Array.isArray(raw.weights))
    fail(source, `${at}.weights`, `must be ${inputs} rows of ${units} numbers`);
  if (raw.weights.length !== inputs)
    fail(source, `${at}.weights`, `has ${raw.weights.length} rows, expected ${inputs} (inputs)`);
  const rows = raw.weights.map((row, i) => checkNumbers(row, units, `${at}.weights[${i}]`, source, dtype));
  const bias = checkNumbers(raw.bias, units, `${at}.bias`, source, dtype);
  let layer: Dense;
  try {
    layer = new Dense({
      inputs,
      units,
      dtype,
      activation: activation as string | { name: string; config?: ActivationConfig },
      weightInit: 'zeros',
      biasInit: 'zeros',
      dropout,
    });
  } catch (error) {
    if (error instanceof DeltaflowError) {
      const name = typeof activation === 'string' ? activation : (activation as { name: string }).name;
      const plugin = error.code === 'E_UNKNOWN' ? recordedPlugin(meta, 'activation', name) : undefined;
      const hint = plugin
        ? `; the model was saved with '${name}' from the plugin ${plugin}: load that plugin first (installPlugin, or --plugin ${plugin})`
        : '';
      fail(source, `${at}.activation`, `is not usable: ${error.message.replace(/\.$/, '')}${hint}`, error);
    }
    throw error;
  }
  rows.forEach((row, i) => layer.weights.data.set(row, i * units));
  layer.bias.data.set(bias);
  return layer;
}

/**
 * Checks the dropout layers of a file's `layers` and returns each one's rate by the index of the dense layer
 * it follows.
 */
function dropoutRates(raw: unknown[], source: string | undefined): Map<number, number> {
  const rates = new Map<number, number>();
  raw.forEach((layer, i) => {
    if (!isObject(layer) || layer.type !== 'dropout') return;
    const at = `layers[${i}]`;
    const rate = layer.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1))
      fail(source, `${at}.rate`, `is ${shown(rate)}, expected a number in [0, 1)`);
    const before = raw[i - 1];
    if (!isObject(before) || before.type !== 'dense')
      fail(
        source,
        `${at}`,
        'is a dropout layer that does not follow a dense layer; put it after a hidden dense layer',
      );
    if (i === raw.length - 1)
      fail(
        source,
        `${at}`,
        'is a dropout layer after the output layer; dropout applies to hidden layers only',
      );
    rates.set(i - 1, rate);
  });
  return rates;
}

/**
 * Builds a model from parsed model-file data, checking every field first. A wrong file is refused with a
 * {@link DeltaflowError} (`E_MODEL`) naming the field and what was expected; nothing half-built is returned.
 * The file's `meta` is kept as `model.meta`.
 *
 * @example
 * ```ts
 * const model = modelFromJSON(JSON.parse(text), 'xor.json');
 * ```
 * @param source - a file name to put in error messages
 * @category Model file
 */
export function modelFromJSON(json: unknown, source?: string): Sequential {
  if (!isObject(json)) fail(source, 'the file', 'must hold a JSON object');
  if (json.format !== 'deltaflow-model')
    fail(source, 'format', `is ${shown(json.format)}, expected "deltaflow-model"`);
  if (json.version !== 1 && json.version !== 2)
    fail(source, 'version', `is ${shown(json.version)}, expected 1 or 2 (the versions this deltaflow reads)`);
  const dtype = json.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64')
    fail(source, 'dtype', `is ${shown(dtype)}, expected "float32" or "float64"`);
  if (json.meta !== undefined && !isObject(json.meta)) fail(source, 'meta', 'must be an object');
  if (json.meta !== undefined && nestedDeeperThan(json.meta, MAX_META_DEPTH))
    fail(source, 'meta', `nests deeper than ${MAX_META_DEPTH} levels; keep it to plain information`);
  if (!Array.isArray(json.layers) || json.layers.length === 0)
    fail(source, 'layers', 'must be a non-empty array');
  const rates = dropoutRates(json.layers as unknown[], source);
  let previous: { units: number; index: number } | null = null;
  const layers: Dense[] = [];
  json.layers.forEach((raw, i) => {
    if (isObject(raw) && raw.type === 'dropout') return;
    const layer = layerFromJSON(raw, i, dtype, previous, rates.get(i) ?? 0, source, json.meta);
    previous = { units: layer.units, index: i };
    layers.push(layer);
  });
  const model = new Sequential(layers);
  if (json.meta !== undefined) model.meta = json.meta;
  return model;
}

/**
 * Parses model-file text: {@link modelFromJSON} after `JSON.parse`, with a clear message for broken JSON.
 *
 * @example
 * ```ts
 * const model = parseModel(text); // text: '{"format":"deltaflow-model", ...}'
 * ```
 * @category Model file
 */
export function parseModel(text: string, source?: string): Sequential {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(source, 'the file', `is not valid JSON, perhaps truncated (${(error as Error).message})`);
  }
  return modelFromJSON(json, source);
}
