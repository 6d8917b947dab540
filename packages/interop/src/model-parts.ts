import { activationToJSON } from '@deltaflow/activations';
import type { ActivationConfig } from '@deltaflow/activations';
import { DeltaflowError } from '@deltaflow/core';
import type { Sequential } from '@deltaflow/network';
import type { DType, TypedArray } from '@deltaflow/tensor';

/** One dense layer as the exporters read it. */
export interface LayerPart {
  /** n, its inputs. */
  inputs: number;
  /** m, its units. */
  units: number;
  /** The activation's registry name. */
  activation: string;
  /** The activation's config (empty for parameter-free ones). */
  config: ActivationConfig;
  /** W, `[n, m]` row-major: `weights[i * m + j]` is W_ij, from node i to node j. */
  weights: TypedArray;
  /** theta, `[m]`. */
  bias: TypedArray;
  /** The dropout rate p after the layer in training (0: none). */
  dropout: number;
}

/** The stored input scaler: x' = (x - offset) / scale per feature. */
export interface ScalerPart {
  /** `'standard'` or `'min-max'` (how it was fitted; the transform is the same). */
  kind: string;
  /** One offset per input. */
  offset: number[];
  /** One positive scale per input. */
  scale: number[];
}

/** What every exporter needs of a model. */
export interface ModelParts {
  dtype: DType;
  inputs: number;
  outputs: number;
  layers: LayerPart[];
  scaler: ScalerPart | undefined;
  classNames: string[] | undefined;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The scaler stored in `meta.scaler`, checked against the model's inputs, or undefined when there is none. */
export function scalerOf(meta: Record<string, unknown> | undefined, inputs: number): ScalerPart | undefined {
  const raw = meta?.['scaler'];
  if (raw === undefined) return undefined;
  const { kind, offset, scale } = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<
    string,
    unknown
  >;
  const ok =
    typeof kind === 'string' &&
    Array.isArray(offset) &&
    Array.isArray(scale) &&
    offset.length === inputs &&
    scale.length === inputs &&
    offset.every(finite) &&
    scale.every((s) => finite(s) && s > 0);
  if (!ok) {
    throw new DeltaflowError(
      'E_MODEL',
      `The model's meta.scaler is not { kind, offset, scale } with ${inputs} finite offsets and ${inputs} positive scales (one per input); fix or remove meta.scaler.`,
    );
  }
  return { kind, offset: [...(offset as number[])], scale: [...(scale as number[])] };
}

/** The class names stored in `meta.classNames`, when they are a non-empty array of strings. */
export function classNamesOf(meta: Record<string, unknown> | undefined): string[] | undefined {
  const raw = meta?.['classNames'];
  return Array.isArray(raw) && raw.length > 0 && raw.every((s) => typeof s === 'string')
    ? [...(raw as string[])]
    : undefined;
}

/** Reads what the exporters need from a model: its layers, dtype, stored scaler and class names. */
export function modelParts(model: Sequential): ModelParts {
  const layers = model.layers.map((layer): LayerPart => {
    const { name, config } = activationToJSON(layer.activation);
    return {
      inputs: layer.inputs,
      units: layer.units,
      activation: name,
      config: config ?? {},
      weights: layer.weights.data,
      bias: layer.bias.data,
      dropout: layer.dropout,
    };
  });
  return {
    dtype: model.dtype,
    inputs: model.inputs,
    outputs: model.outputs,
    layers,
    scaler: scalerOf(model.meta, model.inputs),
    classNames: classNamesOf(model.meta),
  };
}
