// Bytes to text for the streamed CSV readers: strict UTF-8 (a character split between two chunks is carried to
// the next), or Latin-1 (ISO-8859-1: each byte is the character of that code). Refuses a UTF-16 file at its first
// bytes. Internal: not exported from the package.
import { csvError } from './csv-columns.js';

/**
 * The text encoding of CSV bytes: `'utf-8'` (strict: invalid bytes are an error) or `'latin1'` (ISO-8859-1, each
 * byte one character, as written by old spreadsheet programs).
 *
 * @example
 * ```ts
 * const encoding: CsvEncoding = 'latin1';
 * ```
 * @category CSV
 */
export type CsvEncoding = 'utf-8' | 'latin1';

/** The encodings {@link CsvEncoding} allows, as written in options and messages. */
export const CSV_ENCODINGS: readonly CsvEncoding[] = ['utf-8', 'latin1'];

/**
 * Bytes that are not valid UTF-8: `text` is what the chunk held before them, `offset` where they start in the
 * input, `byte` the first of them in hexadecimal.
 */
export class InvalidBytes extends Error {
  constructor(
    readonly text: string,
    readonly offset: number,
    readonly byte: string,
  ) {
    super(`invalid UTF-8 at byte ${offset}`);
  }
}

const LATIN1_SLICE = 8192;

/** Decodes a byte stream chunk by chunk. */
export class CsvDecoder {
  /** The input offset of the first byte not yet decoded (carried bytes included). */
  private position = 0;
  /** The bytes of a character that the last chunk ended inside of. */
  private carry: Uint8Array | null = null;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    readonly encoding: CsvEncoding,
    readonly file: string,
  ) {}

  /**
   * The text of the next chunk (a character cut by the chunk's end is kept for the next call).
   * @param final - no bytes follow
   * @throws InvalidBytes for bytes that are not UTF-8; DeltaflowError `E_CSV` for a UTF-16 file
   */
  decode(chunk: Uint8Array, final: boolean): string {
    let bytes = chunk;
    if (this.carry !== null) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = null;
    }
    if (this.position === 0) {
      if (bytes.length < 2 && !final) {
        this.carry = bytes.slice();
        return '';
      }
      this.checkStart(bytes);
    }
    if (this.encoding === 'latin1') {
      this.position += bytes.length;
      return latin1(bytes, bytes.length);
    }
    const cut = final ? bytes.length : completeLength(bytes);
    if (cut < bytes.length) this.carry = bytes.slice(cut);
    const whole = cut === bytes.length ? bytes : bytes.subarray(0, cut);
    let text: string;
    try {
      text = this.utf8.decode(whole);
    } catch {
      const bad = Math.max(0, firstInvalidUtf8(whole));
      throw new InvalidBytes(this.utf8.decode(whole.subarray(0, bad)), this.position + bad, hex(whole[bad]!));
    }
    this.position += cut;
    return text;
  }

  /** Refuses UTF-16 (and UTF-32) by its byte-order mark or the zero bytes of its first character. */
  private checkStart(bytes: Uint8Array): void {
    if (bytes.length < 2) return;
    const [a, b] = [bytes[0]!, bytes[1]!];
    if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
      throw csvError(
        `${this.file} is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 (in a spreadsheet: CSV UTF-8) and read it again`,
      );
    }
    if (a === 0 || b === 0) {
      throw csvError(
        `${this.file} looks like UTF-16 or binary data (a zero byte in its first character); save it as UTF-8 text and read it again`,
      );
    }
  }
}

/** The text of `bytes[0..end)` read as Latin-1 (ISO-8859-1). */
function latin1(bytes: Uint8Array, end: number): string {
  if (end <= LATIN1_SLICE)
    return String.fromCharCode.apply(null, bytes.subarray(0, end) as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < end; i += LATIN1_SLICE) {
    const slice = bytes.subarray(i, Math.min(i + LATIN1_SLICE, end));
    parts.push(String.fromCharCode.apply(null, slice as unknown as number[]));
  }
  return parts.join('');
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The length of `bytes` without a UTF-8 character its end cuts short. */
export function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 1; k <= Math.min(4, n); k++) {
    const b = bytes[n - k]!;
    if ((b & 0xc0) !== 0x80) {
      const size = b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
      return size > k ? n - k : n;
    }
  }
  return n;
}

/**
 * Where the first byte sequence that is not UTF-8 starts (overlong forms, surrogates, code points past U+10FFFF
 * and cut sequences included), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const end = bytes.length;
  let i = 0;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let cp: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [n, cp, min] = [1, b & 0x1f, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, cp, min] = [2, b & 0x0f, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, cp, min] = [3, b & 0x07, 0x10000];
    else return i;
    if (i + n >= end) return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += n + 1;
  }
  return -1;
}
