import { parseCsv } from '@deltaflow/data';

/**
 * Page to CSV worker: parse this CSV text with these columns (the target, and the features in the network's
 * order). `id` pairs the reply with its request.
 * @category Playground
 */
export interface CsvCheckRequest {
  id: number;
  csv: string;
  file: string;
  target: string;
  features: readonly string[];
}

/**
 * CSV worker to page: what the parse found (rows, task, number of classes), or the parser's one-sentence
 * message naming the file, the line and the column.
 * @category Playground
 */
export type CsvCheckReply =
  | { id: number; ok: true; rows: number; task: 'classification' | 'regression'; classes: number | null }
  | { id: number; ok: false; message: string };

/**
 * Parses a CSV with the chosen columns exactly as training will (`parseCsv` of `@deltaflow/data`) and says what
 * it holds, or why it cannot be used, in one sentence. The page runs it in a worker, so a large file never
 * freezes the page.
 *
 * @example
 * ```ts
 * const csv = 'x,y,label\n1,2,cat\n3,4,dog\n';
 * checkCsv({ id: 1, csv, file: 'pets.csv', target: 'label', features: ['x', 'y'] }).ok; // → true
 * checkCsv({ id: 2, csv: 'x,y\n1,a\n', file: 'bad.csv', target: 'y', features: ['x'] }).ok; // → false
 * ```
 * @category Playground
 */
export function checkCsv(request: CsvCheckRequest): CsvCheckReply {
  const { id, csv, file, target, features } = request;
  try {
    const ds = parseCsv(csv, { file, target, features });
    return { id, ok: true, rows: ds.inputs.rows, task: ds.task, classes: ds.classNames?.length ?? null };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { id, ok: false, message: /[.!?]$/.test(text) ? text : `${text}.` };
  }
}
