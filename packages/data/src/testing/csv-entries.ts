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

/** What a parse gave: the dataset and its names, or the error's code and message (to compare two parses). */
function outcomeOf(parse: () => Dataset): { dataset?: Dataset; error?: unknown; key: string } {
  try {
    const ds = parse();
    const key = JSON.stringify([
      ds.name,
      ds.task,
      ds.featureNames,
      ds.targetNames,
      ds.classNames,
      ds.inputs.shape,
      ds.targets.shape,
    ]);
    return { dataset: ds, key };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { error, key: JSON.stringify([e.code, e.message]) };
  }
}

/** Whether two parses gave the same: the same names and shapes, and the same numbers, element by element. */
function same(a: ReturnType<typeof outcomeOf>, b: ReturnType<typeof outcomeOf>): boolean {
  if (a.key !== b.key) return false;
  if (!a.dataset || !b.dataset) return true;
  const equal = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  };
  return (
    equal(a.dataset.inputs.data, b.dataset.inputs.data) &&
    equal(a.dataset.targets.data, b.dataset.targets.data)
  );
}

/**
 * The streamed reader fed the bytes in two chunks, the boundary moved through every byte (through quoted cells,
 * CRLF line ends and multi-byte characters wherever the text has them; 16 places in a text over 4 KiB): every cut
 * must give the same dataset, or the same error, as the first.
 */
function movingCut(text: string, options?: CsvOptions): Dataset {
  const bytes = utf8.encode(text);
  const first = outcomeOf(() => cutBytes(bytes, [0], options));
  // every byte of a short text (the error tests'); 16 boundaries spread over a long one
  const step = bytes.length <= 4096 ? 1 : Math.ceil(bytes.length / 16);
  for (let i = 1; i <= bytes.length; i += step) {
    const other = outcomeOf(() => cutBytes(bytes, [i], options));
    if (!same(other, first))
      throw new Error(
        `a chunk boundary at byte ${i} gives ${other.key} but one at byte 0 gives ${first.key}`,
      );
  }
  if (first.dataset) return first.dataset;
  throw first.error;
}

/** Every door, by name: each must give the same dataset or the same error for the same text. */
export const csvEntries: [name: string, parse: CsvEntry][] = [
  ['parseCsv', (text, options) => parseCsv(text, options)],
  ['streamed bytes, 1 byte at a time', (text, options) => byteChunks(utf8.encode(text), 1, options)],
  ['streamed bytes, 5 bytes at a time', (text, options) => byteChunks(utf8.encode(text), 5, options)],
  ['streamed bytes, one boundary moved through every byte', movingCut],
  [
    'streamed text, 3 characters at a time',
    (text, options) => {
      const reader = new CsvReader(options);
      for (let i = 0; i < text.length; i += 3) reader.text(text.slice(i, i + 3));
      return reader.end();
    },
  ],
];
