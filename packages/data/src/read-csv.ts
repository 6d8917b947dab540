import { readFileSync } from 'node:fs';
import { DeltaflowError } from '@deltaflow/tensor';
import { parseCsv } from './csv.js';
import type { CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';

/**
 * Reads a CSV file (UTF-8) and parses it with {@link parseCsv}; messages name the file as given. Node only:
 * import it from `@deltaflow/data/node`.
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : (code ?? (error as Error).message);
    throw new DeltaflowError('E_READ', `Cannot read CSV file ${path}: ${reason}; check the path.`);
  }
  return parseCsv(text, { file: path, ...options });
}
