import { DeltaflowError } from '@deltaflow/core';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';

function header(bytes: Uint8Array): { length: number; json: Record<string, unknown> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) };
}

/** A file from a header object and a data section, as another writer might make it. */
function file(json: unknown, data: Uint8Array = new Uint8Array(0), rawHeader?: string): Uint8Array {
  const text = new TextEncoder().encode(rawHeader ?? JSON.stringify(json));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

function parseError(bytes: Uint8Array): DeltaflowError {
  try {
    decodeSafetensors(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_PARSE');
    return error as DeltaflowError;
  }
  return expect.fail('decodeSafetensors accepted a broken file');
}

describe('encodeSafetensors', () => {
  it('writes the format: u64 LE header length, an aligned JSON header, then LE data in order', () => {
    const tensors = new Map<string, SafetensorsTensor>([
      ['0.weight', { dtype: 'F32', shape: [2, 1], data: new Float32Array([1.5, -2]) }],
      ['0.bias', { dtype: 'F64', shape: [1], data: new Float64Array([0.1]) }],
    ]);
    const bytes = encodeSafetensors(tensors, { format: 'pt' });
    const { length, json } = header(bytes);
    expect(length % 8).toBe(0);
    expect(json).toEqual({
      __metadata__: { format: 'pt' },
      '0.weight': { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] },
      '0.bias': { dtype: 'F64', shape: [1], data_offsets: [8, 16] },
    });
    const data = new DataView(bytes.buffer, 8 + length);
    expect(data.getFloat32(0, true)).toBe(1.5);
    expect(data.getFloat32(4, true)).toBe(-2);
    expect(data.getFloat64(8, true)).toBe(0.1);
    expect(bytes.length).toBe(8 + length + 16);
  });

  it('refuses data that does not fill the shape', () => {
    const tensors = new Map<string, SafetensorsTensor>([
      ['w', { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) }],
    ]);
    expect(() => encodeSafetensors(tensors)).toThrow(/tensor w has 3 F32 numbers .* need 4/);
  });
});

describe('decodeSafetensors', () => {
  it('reads back what encodeSafetensors wrote, bit for bit (NaN payloads, -0, subnormals included)', () => {
    const f64 = new Float64Array([0, -0, 5e-324, -1.7976931348623157e308, Math.PI, NaN, 1 / 3]);
    const f32 = new Float32Array([1e-45, -0, 3.4028234663852886e38, Math.fround(0.1)]);
    const bytes = encodeSafetensors(
      new Map<string, SafetensorsTensor>([
        ['a', { dtype: 'F64', shape: [7], data: f64 }],
        ['b', { dtype: 'F32', shape: [2, 2], data: f32 }],
        ['empty', { dtype: 'F32', shape: [0, 3], data: new Float32Array(0) }],
      ]),
      { note: 'kept' },
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ note: 'kept' });
    expect([...tensors.keys()]).toEqual(['a', 'b', 'empty']);
    expect(new Uint8Array(tensors.get('a')!.data.buffer)).toEqual(new Uint8Array(f64.buffer));
    expect(new Uint8Array(tensors.get('b')!.data.buffer)).toEqual(new Uint8Array(f32.buffer));
    expect(tensors.get('b')!.shape).toEqual([2, 2]);
    expect(tensors.get('empty')!.data).toBeInstanceOf(Float32Array);
  });

  it('reads a file as Python safetensors writes it (header not padded, tensors sorted by name)', () => {
    const data = new Uint8Array(12);
    const view = new DataView(data.buffer);
    view.setFloat32(0, 2.5, true);
    view.setFloat64(4, -0.75, true);
    const bytes = file({
      'x.bias': { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      'x.weight': { dtype: 'F64', shape: [1, 1], data_offsets: [4, 12] },
    });
    const withData = new Uint8Array(bytes.length + 12);
    withData.set(bytes);
    withData.set(data, bytes.length);
    const { tensors, metadata } = decodeSafetensors(withData);
    expect(metadata).toEqual({});
    expect(Array.from(tensors.get('x.bias')!.data)).toEqual([2.5]);
    expect(Array.from(tensors.get('x.weight')!.data)).toEqual([-0.75]);
  });

  it('names the file when given its name', () => {
    expect(() => decodeSafetensors(new Uint8Array(2), 'state.safetensors')).toThrow(
      /^state\.safetensors is not a usable safetensors file: it has 2 bytes/,
    );
  });

  it('refuses a file shorter than the header length', () => {
    expect(parseError(new Uint8Array(5)).message).toMatch(
      /not a usable safetensors file: it has 5 bytes, fewer than the 8/,
    );
  });

  it('refuses a header length past the end of the file', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 1000n, true);
    expect(parseError(bytes).message).toMatch(/header length 1000 runs past the end of the 16-byte file/);
  });

  it('refuses a header that is not JSON', () => {
    expect(parseError(file(null, undefined, '{"a": ')).message).toMatch(/its header is not JSON/);
  });

  it('refuses dtypes other than F32 and F64, naming the tensor', () => {
    const bytes = file({ w: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2));
    expect(parseError(bytes).message).toMatch(
      /tensor w has dtype "F16", and deltaflow reads F32 and F64 only/,
    );
  });

  it('refuses offsets that do not match the shape, overlap, leave gaps or run past the data', () => {
    const f = (json: unknown, size: number) => parseError(file(json, new Uint8Array(size))).message;
    expect(f({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4)).toMatch(
      /tensor w of shape \[2\] needs 8 bytes but its data_offsets span 4/,
    );
    expect(f({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 4)).toMatch(
      /tensor w ends at byte 8 of a 4-byte data section/,
    );
    expect(
      f(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        8,
      ),
    ).toMatch(/overlaps the tensor before it/);
    expect(f({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8)).toMatch(
      /bytes 0 to 4 of the data belong to no tensor/,
    );
    expect(f({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 12)).toMatch(
      /the last 8 bytes of the data belong to no tensor/,
    );
    expect(f({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4)).toMatch(/has shape \[-1\]/);
    expect(f({ w: { dtype: 'F32', shape: [1], data_offsets: [4] } }, 4)).toMatch(/data_offsets \[4\]/);
  });

  it('refuses metadata that is not strings', () => {
    expect(parseError(file({ __metadata__: { a: 1 } })).message).toMatch(
      /__metadata__ is not an object of strings/,
    );
  });
});
