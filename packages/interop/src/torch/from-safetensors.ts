import type { ActivationConfig } from '@deltaflow/activations';
import { DeltaflowError } from '@deltaflow/core';
import { modelFromJSON } from '@deltaflow/network';
import type { DenseLayerJSON, LayerJSON, ModelJSON } from '@deltaflow/network';
import { decodeSafetensors } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';
import { DELTAFLOW_METADATA_KEY } from './to-torch.js';

/**
 * An activation as {@link SafetensorsImportOptions} takes it: a registry name, or `{ name, config }`.
 *
 * @example
 * ```ts
 * const hidden: ActivationChoice = { name: 'leaky-relu', config: { negativeSlope: 0.2 } };
 * ```
 * @category PyTorch
 */
export type ActivationChoice = string | { name: string; config?: ActivationConfig };

/**
 * The layer spec of {@link fromSafetensors}: what a safetensors file does not say. The weights give the sizes;
 * the activations must be given unless the file was written by deltaflow (its metadata names them), where
 * these options override the stored ones.
 *
 * @example
 * ```ts
 * const spec: SafetensorsImportOptions = { layers: [8, 4], activation: 'relu', outputActivation: 'softmax' };
 * ```
 * @category PyTorch
 */
export interface SafetensorsImportOptions {
  /** The hidden layers' sizes the file must have (as `train --layers`); checked, refused when they differ. */
  layers?: readonly number[];
  /** The activation of the hidden layers. */
  activation?: ActivationChoice;
  /** The activation of the output layer; default `activation`. */
  outputActivation?: ActivationChoice;
  /** One activation per layer, input side first (output layer included): overrides the two above. */
  activations?: readonly ActivationChoice[];
  /** A file name for error messages. */
  source?: string;
}

interface Module {
  index: number;
  tensors: Map<string, SafetensorsTensor>;
}

/** What a deltaflow export keeps in the metadata: the model file without weights, and the modules' kinds. */
interface StoredModel {
  dtype?: unknown;
  layers?: unknown;
  meta?: unknown;
}

const KEY = /^(?:(.+)\.)?(\d+)\.(weight|bias|offset|scale)$/;

function storedModel(metadata: Record<string, string>): StoredModel | undefined {
  const text = metadata[DELTAFLOW_METADATA_KEY];
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as StoredModel) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds a deltaflow model file from a PyTorch state dict saved as safetensors: the weights of an nn.Sequential
 * of nn.Linear layers (`N.weight` `[out, in]`, `N.bias` `[out]`, N the module's index, optionally under one
 * common prefix such as `model.`), as {@link toTorch} writes them and as `safetensors.torch.save_file(net.state_dict(), ...)`
 * does. deltaflow's W_ij is the transpose, `weight[j][i]`; the numbers are copied exactly, so an export followed by
 * an import gives the same weights bit for bit. A `Standardize` module's `offset` and `scale` (written by
 * toTorch) become `meta.scaler`. The dtype is the tensors' (F32: float32, F64: float64).
 *
 * @example
 * ```ts
 * const model = mlp({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1 }], seed: 3 });
 * const { safetensors } = toTorch(model);
 * const json = fromSafetensors(safetensors, { activation: 'relu', outputActivation: 'sigmoid' });
 * json.layers.length; // → 2
 * ```
 * @param bytes - the safetensors file
 * @param options - the layer spec: hidden sizes to check, activations
 * @returns a model file (load it with `modelFromJSON`)
 * @throws DeltaflowError `E_PARSE` for a broken file or a key that is not a layer's; `E_SHAPE` when shapes do not
 *   chain or differ from `options.layers`; `E_OPTION` when no activation is known; `E_MODEL` for an unknown one
 * @category PyTorch
 */
export function fromSafetensors(bytes: Uint8Array, options: SafetensorsImportOptions = {}): ModelJSON {
  const where = options.source ? `The safetensors file ${options.source}` : 'The safetensors file';
  const { tensors, metadata } = decodeSafetensors(bytes, options.source);
  const byIndex = new Map<number, Module>();
  let prefix: string | undefined;
  for (const [name, tensor] of tensors) {
    const match = KEY.exec(name);
    if (!match) {
      throw new DeltaflowError(
        'E_PARSE',
        `${where} has the tensor ${name}, which is not an nn.Sequential module's weight, bias, offset or scale (N.weight, N.bias); save the state dict of an nn.Sequential of nn.Linear layers.`,
      );
    }
    const [, pre = '', index, kind] = match as unknown as [string, string | undefined, string, string];
    if (prefix !== undefined && pre !== prefix) {
      throw new DeltaflowError(
        'E_PARSE',
        `${where} mixes the key prefixes '${prefix}' and '${pre}' (at ${name}); save one nn.Sequential's state dict.`,
      );
    }
    prefix = pre;
    const i = Number(index);
    const module = byIndex.get(i) ?? { index: i, tensors: new Map<string, SafetensorsTensor>() };
    module.tensors.set(kind, tensor);
    byIndex.set(i, module);
  }
  const modules = [...byIndex.values()].sort((a, b) => a.index - b.index);
  let scaler: { offset: number[]; scale: number[] } | undefined;
  const linears: { weight: SafetensorsTensor; bias: SafetensorsTensor | undefined; key: string }[] = [];
  for (const module of modules) {
    const key = `${prefix ? `${prefix}.` : ''}${module.index}`;
    const { tensors: t } = module;
    if (t.has('offset') || t.has('scale')) {
      const offset = t.get('offset');
      const scale = t.get('scale');
      if (linears.length > 0 || scaler || !offset || !scale || t.has('weight')) {
        throw new DeltaflowError(
          'E_PARSE',
          `${where}: ${key}.offset and ${key}.scale must come together, once, before the first linear layer (the input scaler).`,
        );
      }
      scaler = { offset: Array.from(offset.data), scale: Array.from(scale.data) };
      continue;
    }
    const weight = t.get('weight');
    if (!weight) {
      throw new DeltaflowError(
        'E_PARSE',
        `${where} has ${key}.bias without ${key}.weight; every nn.Linear layer needs its weight.`,
      );
    }
    linears.push({ weight, bias: t.get('bias'), key });
  }
  if (linears.length === 0) {
    throw new DeltaflowError(
      'E_PARSE',
      `${where} holds no layer weights (N.weight); save the state dict of an nn.Sequential of nn.Linear layers.`,
    );
  }
  const dtype = linears[0]!.weight.dtype;
  let previous: number | undefined = scaler?.offset.length;
  linears.forEach(({ weight, bias, key }) => {
    if (weight.dtype !== dtype || (bias && bias.dtype !== dtype)) {
      throw new DeltaflowError(
        'E_PARSE',
        `${where} mixes F32 and F64 layers (${key}); save every layer in one dtype.`,
      );
    }
    if (weight.shape.length !== 2 || weight.shape[0]! < 1 || weight.shape[1]! < 1) {
      throw new DeltaflowError(
        'E_SHAPE',
        `${where}: ${key}.weight has shape [${weight.shape.join(', ')}], expected [out, in] as nn.Linear keeps it.`,
      );
    }
    const [out, inp] = weight.shape as [number, number];
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== out)) {
      throw new DeltaflowError(
        'E_SHAPE',
        `${where}: ${key}.bias has shape [${bias.shape.join(', ')}], expected [${out}] (the rows of ${key}.weight).`,
      );
    }
    if (previous !== undefined && inp !== previous) {
      throw new DeltaflowError(
        'E_SHAPE',
        `${where}: ${key}.weight takes ${inp} inputs but the layer before gives ${previous}; the layers must chain.`,
      );
    }
    previous = out;
  });
  const hidden = linears.slice(0, -1).map((l) => l.weight.shape[0]!);
  if (options.layers && options.layers.join(',') !== hidden.join(',')) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${where} has the hidden layers ${hidden.join(',') || '(none)'} but the layer spec says ${options.layers.join(',') || '(none)'}; give the sizes the file has, or leave the layers out.`,
    );
  }
  if (options.activations && options.activations.length !== linears.length) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${where} has ${linears.length} layers but the layer spec names ${options.activations.length} activations; give one per layer, output layer included.`,
    );
  }
  const stored = storedModel(metadata);
  const storedLayers = Array.isArray(stored?.layers) ? (stored.layers as Record<string, unknown>[]) : [];
  const fromFile = storedLayers.length === linears.length ? storedLayers : [];
  const last = linears.length - 1;
  const layers: LayerJSON[] = [];
  linears.forEach(({ weight, bias }, l) => {
    const [units, inputs] = weight.shape as [number, number];
    const kept = fromFile[l];
    const given =
      options.activations?.[l] ??
      (l === last ? (options.outputActivation ?? options.activation) : options.activation);
    const activation = given ?? (kept?.['activation'] as DenseLayerJSON['activation'] | undefined);
    if (activation === undefined) {
      throw new DeltaflowError(
        'E_OPTION',
        `${where} does not say which activation its layers use (it was not written by deltaflow); give the activation (--activation, and --output-activation for the output layer).`,
      );
    }
    const w = weight.data;
    const rows: number[][] = [];
    for (let i = 0; i < inputs; i++) {
      const row = new Array<number>(units);
      for (let j = 0; j < units; j++) row[j] = w[j * inputs + i]!;
      rows.push(row);
    }
    layers.push({
      type: 'dense',
      inputs,
      units,
      activation,
      weights: rows,
      bias: bias ? Array.from(bias.data) : new Array<number>(units).fill(0),
    });
    const rate = kept?.['dropout'];
    if (l < last && typeof rate === 'number' && rate > 0) layers.push({ type: 'dropout', rate });
  });
  const meta: Record<string, unknown> =
    typeof stored?.meta === 'object' && stored.meta !== null
      ? { ...(stored.meta as Record<string, unknown>) }
      : {};
  if (scaler) {
    const kind = (meta['scaler'] as { kind?: unknown } | undefined)?.kind;
    meta['scaler'] = { kind: typeof kind === 'string' ? kind : 'standard', ...scaler };
  }
  const json: ModelJSON = {
    format: 'deltaflow-model',
    version: layers.some((l) => l.type === 'dropout') ? 2 : 1,
    dtype: dtype === 'F64' ? 'float64' : 'float32',
    layers,
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
  modelFromJSON(json, options.source); // refuses unknown activations, names them
  return json;
}
