import { DeltaflowError } from '@deltaflow/core';

/**
 * One tensor of a safetensors file: `F32` or `F64` data in row-major order and its shape.
 *
 * @example
 * ```ts
 * const bias: SafetensorsTensor = { dtype: 'F32', shape: [2], data: new Float32Array([0.5, -1]) };
 * ```
 * @category PyTorch
 */
export interface SafetensorsTensor {
  /** `F32` (float32) or `F64` (float64), the two dtypes deltaflow reads and writes. */
  dtype: 'F32' | 'F64';
  /** The shape, e.g. `[out, in]` for an nn.Linear weight. */
  shape: number[];
  /** The numbers, row-major: as many as the product of `shape`. */
  data: Float32Array | Float64Array;
}

/**
 * The contents of a safetensors file: its tensors by name, in file order, and its `__metadata__` strings.
 *
 * @example
 * ```ts
 * const file: SafetensorsFile = {
 *   tensors: new Map([['0.bias', { dtype: 'F64', shape: [1], data: new Float64Array([0.25]) }]]),
 *   metadata: { format: 'pt' },
 * };
 * ```
 * @category PyTorch
 */
export interface SafetensorsFile {
  /** The tensors, by name. */
  tensors: Map<string, SafetensorsTensor>;
  /** The header's `__metadata__`: string keys to string values (empty when the file has none). */
  metadata: Record<string, string>;
}

const BYTES = { F32: 4, F64: 8 } as const;
/** The largest header the reader accepts (the reference implementation's limit is 100 MB). */
const MAX_HEADER = 100_000_000;

/**
 * Writes a safetensors file (https://github.com/huggingface/safetensors, "Format"): an 8-byte little-endian header
 * length N, N bytes of JSON (`{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__ }`, padded with
 * spaces to a multiple of 8 so every tensor is aligned), then the tensors' little-endian bytes, in the order given.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(new Map([['0.bias', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]));
 * decodeSafetensors(bytes).tensors.get('0.bias')?.shape; // → [2]
 * ```
 * @param tensors - name to tensor; names must not be `__metadata__`
 * @param metadata - strings kept in the header's `__metadata__`
 * @returns the file's bytes
 * @throws DeltaflowError `E_SHAPE` when a tensor's data does not fill its shape
 * @category PyTorch
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = { ...metadata };
  let offset = 0;
  for (const [name, tensor] of tensors) {
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length || (tensor.dtype === 'F32') !== tensor.data instanceof Float32Array) {
      throw new DeltaflowError(
        'E_SHAPE',
        `encodeSafetensors: tensor ${name} has ${tensor.data.length} ${tensor.data instanceof Float32Array ? 'F32' : 'F64'} numbers but its dtype ${tensor.dtype} and shape [${tensor.shape.join(', ')}] need ${count}; give data that fills the shape.`,
      );
    }
    const size = count * BYTES[tensor.dtype];
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    json += ' '.repeat(padding);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    const step = BYTES[tensor.dtype];
    const data = tensor.data;
    if (tensor.dtype === 'F32')
      for (let i = 0; i < data.length; i++) view.setFloat32(at + i * step, data[i]!, true);
    else for (let i = 0; i < data.length; i++) view.setFloat64(at + i * step, data[i]!, true);
    at += data.length * step;
  }
  return out;
}

function failure(source: string | undefined): (problem: string) => DeltaflowError {
  return (problem) =>
    new DeltaflowError(
      'E_PARSE',
      `${source ?? 'This'} is not a usable safetensors file: ${problem}; give a file written by safetensors (save_file) or deltaflow export --format torch.`,
    );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a safetensors file written by {@link encodeSafetensors}, by Python's `safetensors.torch.save_file`, or by
 * anything else that follows the format, checking the header: its length, its JSON, each tensor's dtype
 * (F32 or F64), shape and byte range (inside the data, not overlapping, covering it). Other dtypes are refused
 * with a message naming the tensor.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(new Map([['0.weight', { dtype: 'F64', shape: [1, 2], data: new Float64Array([3, 4]) }]]));
 * Array.from(decodeSafetensors(bytes).tensors.get('0.weight')!.data); // → [3, 4]
 * ```
 * @param bytes - the whole file
 * @param source - a file name for error messages
 * @returns the tensors (copies, so they outlive `bytes`) and the metadata
 * @throws DeltaflowError `E_PARSE` naming what is wrong with the header or the data
 * @category PyTorch
 */
export function decodeSafetensors(bytes: Uint8Array, source?: string): SafetensorsFile {
  const bad = failure(source);
  if (bytes.length < 8) throw bad(`it has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    throw bad(`its header length ${length} runs past the end of the ${bytes.length}-byte file`);
  }
  const headerEnd = 8 + Number(length);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, headerEnd)));
  } catch (error) {
    throw bad(`its header is not JSON (${(error as Error).message.replace(/\.$/, '')})`);
  }
  if (!isObject(header)) throw bad('its header is not a JSON object');
  const metadata: Record<string, string> = {};
  const rawMeta = header['__metadata__'];
  if (rawMeta !== undefined) {
    if (!isObject(rawMeta) || !Object.values(rawMeta).every((v) => typeof v === 'string'))
      throw bad('its __metadata__ is not an object of strings');
    Object.assign(metadata, rawMeta);
  }
  const dataLength = bytes.length - headerEnd;
  const ranges: [number, number, string][] = [];
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (!isObject(entry)) throw bad(`the entry of tensor ${name} is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (dtype !== 'F32' && dtype !== 'F64') {
      throw bad(`tensor ${name} has dtype ${JSON.stringify(dtype)}, and deltaflow reads F32 and F64 only`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0))
      throw bad(`tensor ${name} has shape ${JSON.stringify(shape)}, expected an array of sizes`);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && (o as number) >= 0) ||
      (offsets[0] as number) > (offsets[1] as number)
    )
      throw bad(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}, expected [begin, end]`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const step = BYTES[dtype];
    if (end - begin !== count * step) {
      throw bad(
        `tensor ${name} of shape [${(shape as number[]).join(', ')}] needs ${count * step} bytes but its data_offsets span ${end - begin}`,
      );
    }
    if (end > dataLength)
      throw bad(`tensor ${name} ends at byte ${end} of a ${dataLength}-byte data section`);
    ranges.push([begin, end, name]);
    const data = dtype === 'F32' ? new Float32Array(count) : new Float64Array(count);
    const at = headerEnd + begin;
    if (dtype === 'F32') for (let i = 0; i < count; i++) data[i] = view.getFloat32(at + i * 4, true);
    else for (let i = 0; i < count; i++) data[i] = view.getFloat64(at + i * 8, true);
    tensors.set(name, { dtype, shape: shape as number[], data });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== covered) {
      throw bad(
        begin < covered
          ? `tensor ${name} overlaps the tensor before it`
          : `bytes ${covered} to ${begin} of the data belong to no tensor`,
      );
    }
    covered = end;
  }
  if (covered !== dataLength)
    throw bad(`the last ${dataLength - covered} bytes of the data belong to no tensor`);
  return { tensors, metadata };
}
