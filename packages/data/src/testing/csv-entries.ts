// The doors into the CSV parser, for tests that must hold through each of them: parseCsv on a string, and the
// streamed reader (the core of parseCsvStream, readCsv and readCsvStream) fed bytes or text in small chunks, so
// that chunk boundaries fall everywhere. Tests only (not built into dist).
import { CsvReader } from '../csv-reader.js';
import { parseCsv } from '../csv.js';
import type { CsvOptions } from '../csv.js';
import type { Dataset } from '../dataset.js';

/** A way to parse CSV text. */
export type CsvEntry = (text: string, options?: CsvOptions) => Dataset;

/** The streamed reader fed `bytes` in chunks of `size` bytes. */
export function byteChunks(bytes: Uint8Array, size: number, options?: CsvOptions): Dataset {
  const reader = new CsvReader(options);
  for (let i = 0; i < bytes.length; i += size) reader.bytes(bytes.subarray(i, i + size));
  return reader.end();
}

/** The streamed reader fed `bytes` cut at the given offsets. */
export function cutBytes(bytes: Uint8Array, cuts: readonly number[], options?: CsvOptions): Dataset {
  const reader = new CsvReader(options);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    reader.bytes(bytes.subarray(from, cut));
    from = cut;
  }
  return reader.end();
}

const utf8 = new TextEncoder();

/** Every door, by name: each must give the same dataset or the same error for the same text. */
export const csvEntries: [name: string, parse: CsvEntry][] = [
  ['parseCsv', (text, options) => parseCsv(text, options)],
  ['streamed bytes, 1 byte at a time', (text, options) => byteChunks(utf8.encode(text), 1, options)],
  ['streamed bytes, 5 bytes at a time', (text, options) => byteChunks(utf8.encode(text), 5, options)],
  [
    'streamed text, 3 characters at a time',
    (text, options) => {
      const reader = new CsvReader(options);
      for (let i = 0; i < text.length; i += 3) reader.text(text.slice(i, i + 3));
      return reader.end();
    },
  ],
];
