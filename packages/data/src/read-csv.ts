import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DeltaflowError } from '@deltaflow/tensor';
import { CsvReader } from './csv-reader.js';
import { readCsvSource } from './csv-stream.js';
import type { CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';

/** Bytes read at a time (V8 makes strings of up to 64 KiB several times faster than larger ones). */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a CSV file with the rules of {@link parseCsv}, in chunks (the file is never one string, so any size
 * works and memory holds the parsed numbers plus a chunk); messages name the file as given. Synchronous; see
 * {@link readCsvStream} for an async read or a stream. Bytes are strict UTF-8 unless `encoding: 'latin1'`. Node
 * only: import it from `@deltaflow/data/node`.
 *
 * @example
 * ```ts
 * import { readCsv } from '@deltaflow/data/node';
 * const ds = readCsv('iris.csv', { target: 'species' });
 * ```
 * @param path - the file to read
 * @param options - as for {@link parseCsv}; `file` defaults to `path`
 * @throws DeltaflowError `E_READ` when the file cannot be read; `E_CSV` for malformed content
 * @category CSV
 */
export function readCsv(path: string, options: CsvOptions = {}): Dataset {
  const reader = new CsvReader({ file: path, ...options });
  readChunks(
    path,
    (chunk) => {
      reader.bytes(chunk);
      return true;
    },
    (size) => reader.expectBytes(size),
  );
  return reader.end();
}

/**
 * Reads a CSV file, or a Node `Readable` (such as `process.stdin` or an HTTP body), chunk by chunk with the rules
 * of {@link parseCsv}, without waiting on the whole input or holding it as one string. Node only: import it from
 * `@deltaflow/data/node`.
 *
 * @example
 * ```ts
 * // not-runnable: reads a file that is not there
 * import { readCsvStream } from '@deltaflow/data/node';
 * const ds = await readCsvStream('big.csv', { target: 'label', encoding: 'latin1' });
 * ```
 * @param source - a path, or a Readable (of bytes, or of text after `setEncoding`)
 * @param options - as for {@link parseCsv}; `file` defaults to the path
 * @throws DeltaflowError `E_READ` when the file cannot be read; `E_CSV` for malformed content
 * @category CSV
 */
export async function readCsvStream(
  source: string | Readable | AsyncIterable<Uint8Array | string>,
  options: CsvOptions = {},
): Promise<Dataset> {
  if (typeof source !== 'string') return readCsvSource(source, options);
  const reader = new CsvReader({ file: source, ...options });
  let file: FileHandle;
  try {
    file = await open(source, 'r');
  } catch (error) {
    throw readError(source, error);
  }
  try {
    reader.expectBytes((await file.stat()).size);
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      let n: number;
      try {
        n = (await file.read(buffer, 0, CHUNK_BYTES, null)).bytesRead;
      } catch (error) {
        throw readError(source, error);
      }
      if (n === 0) break;
      reader.bytes(buffer.subarray(0, n));
    }
  } finally {
    await file.close();
  }
  return reader.end();
}

/**
 * The column names of a CSV file's header row, read with the rules of {@link parseCsv} from the file's first
 * chunks only (for choosing the target and features before reading the rows). Node only.
 *
 * @example
 * ```ts
 * // not-runnable: reads a file that is not there
 * import { readCsvColumns } from '@deltaflow/data/node';
 * const columns = readCsvColumns('iris.csv'); // ['sepal_length', ..., 'species']
 * ```
 * @param path - the file to read
 * @param options - the file name for messages, the delimiter and the encoding
 * @returns the header's column names, in file order
 * @throws DeltaflowError `E_READ` when the file cannot be read; `E_CSV` when it is empty or its header is
 * malformed
 * @category CSV
 */
export function readCsvColumns(
  path: string,
  options: Pick<CsvOptions, 'file' | 'delimiter' | 'encoding'> = {},
): string[] {
  // Every column is a feature, so the header alone decides: no column role can be refused.
  const reader = new CsvReader({ file: path, ...options, target: [] }, true);
  readChunks(path, (chunk) => {
    reader.bytes(chunk);
    return !reader.hasHeader;
  });
  return reader.header ?? reader.endHeader();
}

/** Reads `path` chunk by chunk into `take` while it returns true (telling `size` its size first). */
export function readChunks(
  path: string,
  take: (chunk: Uint8Array) => boolean,
  size?: (bytes: number) => void,
): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
    size?.(fstatSync(fd).size);
  } catch (error) {
    throw readError(path, error);
  }
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      } catch (error) {
        throw readError(path, error);
      }
      if (n === 0 || !take(buffer.subarray(0, n))) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** A read failure as `E_READ` naming the path (a DeltaflowError passes through). */
export function readError(path: string, error: unknown): unknown {
  if (error instanceof DeltaflowError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'there is no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : (code ?? (error as Error).message);
  return new DeltaflowError('E_READ', `Cannot read CSV file ${path}: ${reason}; check the path.`);
}
