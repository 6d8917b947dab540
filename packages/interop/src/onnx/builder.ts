import { DeltaflowError } from '@deltaflow/core';
import type { FloatType, OnnxAttributeValue, OnnxLoweringBuilder } from '@deltaflow/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ATTRIBUTE, DOUBLE, FLOAT, onnx } from './proto.js';

/** The ONNX element type of a deltaflow dtype. */
export function elementType(dtype: FloatType): number {
  return dtype === 'float64' ? DOUBLE : FLOAT;
}

/** A tensor as ONNX stores it: little-endian numbers in `raw_data`, exact for both dtypes. */
export function tensorProto(
  name: string,
  dtype: FloatType,
  dims: readonly number[],
  values: ArrayLike<number>,
): OnnxTypes.ITensorProto {
  const array = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  // Typed arrays use the platform's byte order; ONNX wants little-endian: write through a DataView.
  const bytes = new Uint8Array(array.length * array.BYTES_PER_ELEMENT);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < array.length; i++) {
    if (dtype === 'float64') view.setFloat64(i * 8, array[i]!, true);
    else view.setFloat32(i * 4, array[i]!, true);
  }
  return { name, dataType: elementType(dtype), dims: [...dims], rawData: bytes };
}

function attribute(name: string, value: OnnxAttributeValue): OnnxTypes.IAttributeProto {
  if (typeof value === 'number') return { name, type: ATTRIBUTE.FLOAT, f: value };
  if (typeof value === 'bigint') return { name, type: ATTRIBUTE.INT, i: Number(value) };
  if (typeof value === 'string') return { name, type: ATTRIBUTE.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value) && value.every((v) => typeof v === 'bigint')) {
    return { name, type: ATTRIBUTE.INTS, ints: (value as readonly bigint[]).map(Number) };
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    return { name, type: ATTRIBUTE.FLOATS, floats: [...(value as readonly number[])] };
  }
  throw new DeltaflowError(
    'E_DEFINITION',
    `The ONNX attribute '${name}' must be a number, a bigint, a string, or an array of numbers or of bigints.`,
  );
}

/**
 * Collects the nodes and initializers of one graph. Every name it makes starts with the current `scope`
 * (`/layers.0/activation/`, ...), so a reader can tell which part of the model a node belongs to.
 */
export class GraphBuilder implements OnnxLoweringBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly taken = new Set<string>();
  /** The prefix of the names made now. */
  scope = '/';

  constructor(readonly dtype: FloatType) {}

  /** A name not used yet, starting with the scope. */
  fresh(base: string): string {
    let name = `${this.scope}${base}`;
    for (let k = 1; this.taken.has(name); k++) name = `${this.scope}${base}_${k}`;
    this.taken.add(name);
    return name;
  }

  /** Marks a name (an input, an initializer named by the caller) as taken. */
  reserve(name: string): string {
    this.taken.add(name);
    return name;
  }

  op(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttributeValue>> = {},
  ): string {
    if (typeof opType !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(opType)) {
      throw new DeltaflowError(
        'E_DEFINITION',
        `An ONNX op type must be a name such as 'Tanh', got ${String(opType)}.`,
      );
    }
    const name = this.fresh(opType);
    const output = `${name}_output_0`;
    this.taken.add(output);
    this.nodes.push({
      name,
      opType,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return output;
  }

  constant(value: number | readonly number[]): string {
    const values = typeof value === 'number' ? [value] : value;
    const name = this.fresh('Constant');
    this.initializers.push(
      tensorProto(name, this.dtype, typeof value === 'number' ? [] : [values.length], values),
    );
    return name;
  }

  /** An initializer with a chosen name (a layer's weights). */
  tensor(
    name: string,
    dims: readonly number[],
    values: ArrayLike<number>,
    dtype: FloatType = this.dtype,
  ): string {
    this.reserve(name);
    this.initializers.push(tensorProto(name, dtype, dims, values));
    return name;
  }

  /** A Cast node to `dtype`. */
  cast(input: string, dtype: FloatType): string {
    return this.op('Cast', [input], { to: BigInt(elementType(dtype)) });
  }

  /** Renames the value `from` (made by the last node that outputs it) to `to`, e.g. the graph's output. */
  rename(from: string, to: string): boolean {
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      const k = node.output?.indexOf(from) ?? -1;
      if (k >= 0) {
        node.output![k] = to;
        for (const later of this.nodes.slice(i + 1)) {
          later.input = later.input?.map((name) => (name === from ? to : name)) ?? null;
        }
        return true;
      }
    }
    return false;
  }
}

/** The onnx namespace, for modules that build messages. */
export { onnx };
