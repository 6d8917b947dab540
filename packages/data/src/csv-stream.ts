import { CsvReader } from './csv-reader.js';
import type { CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';

/**
 * What {@link parseCsvStream} reads: a `File` or `Blob`, a web `ReadableStream` of bytes, or any (async)
 * iterable of byte or text chunks (a Node `Readable` is one).
 *
 * @example
 * ```ts
 * const source: CsvSource = new Blob(['x,y\n1,2\n']);
 * ```
 * @category CSV
 */
export type CsvSource =
  Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Parses a CSV stream into a {@link Dataset}, chunk by chunk, with the rules, messages and results of
 * {@link parseCsv}: the file is never held as one string, so its size is not limited by the longest string, and
 * memory holds the parsed numbers plus a chunk. Bytes are read as strict UTF-8 (or Latin-1 with
 * `encoding: 'latin1'`). Browser-safe: the dashboard reads a dropped `File` with it.
 *
 * @example
 * ```ts
 * const ds = await parseCsvStream(new Blob(['x,y,label\n0.5,1,cat\n2,0.25,dog\n']), { file: 'pets.csv' });
 * ds.classNames; // → ['cat', 'dog']
 * ```
 * @param source - a File/Blob, a ReadableStream, or an iterable of chunks
 * @param options - as for {@link parseCsv}, with `encoding` for bytes
 * @returns the dataset
 * @throws DeltaflowError `E_CSV` as parseCsv does, and for bytes that are not UTF-8 (naming the line and the
 * byte offset) or a UTF-16 file; the source's own errors (a failed read) pass through
 * @category CSV
 */
export async function parseCsvStream(source: CsvSource, options: CsvOptions = {}): Promise<Dataset> {
  return readCsvSource(source, options);
}

/**
 * {@link parseCsvStream}, told the input's size in bytes when it is known other than by a Blob (a file's, for
 * `readCsvStream`), so the rows' room is reserved once. Internal: not exported from the package.
 */
export async function readCsvSource(source: CsvSource, options: CsvOptions, size?: number): Promise<Dataset> {
  const reader = new CsvReader(options);
  const bytes = typeof Blob !== 'undefined' && source instanceof Blob ? source.size : size;
  if (bytes !== undefined) reader.expectBytes(bytes);
  const push = (chunk: Uint8Array | string): void => {
    if (typeof chunk === 'string') reader.text(chunk);
    else reader.bytes(chunk);
  };
  const stream = typeof Blob !== 'undefined' && source instanceof Blob ? source.stream() : source;
  if (isReadableStream(stream)) {
    const chunks = stream.getReader();
    try {
      for (let next = await chunks.read(); !next.done; next = await chunks.read()) push(next.value);
    } catch (error) {
      await chunks.cancel().catch(() => undefined); // stop reading a stream that will not be used
      throw error;
    } finally {
      chunks.releaseLock();
    }
  } else if (Symbol.asyncIterator in stream) {
    for await (const chunk of stream) push(chunk);
  } else {
    for (const chunk of stream as Iterable<Uint8Array | string>) push(chunk);
  }
  return reader.end();
}

function isReadableStream(source: unknown): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream | null)?.getReader === 'function';
}
