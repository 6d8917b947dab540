import { suggest } from '@deltaflow/core';
import { METRIC_NAMES } from '@deltaflow/trainer';
import type { MetricName } from '@deltaflow/trainer';
import { UsageError } from '../errors.js';

// Checks of single flag values. Each returns the parsed value or throws a UsageError naming the flag.

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

/**
 * An integer of at least `min` (`--epochs`, `--batch-size`, `--seed`, ...).
 *
 * @example
 * ```ts
 * integer('--epochs', 2000, 0); // → 2000
 * ```
 */
export function integer(flag: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}, got ${show(value)}.`);
  }
  return value;
}

/**
 * A finite number, greater than 0 (`positive`) or at least 0.
 *
 * @example
 * ```ts
 * number('--lr', 0.5, { positive: true }); // → 0.5
 * ```
 */
export function number(flag: string, value: unknown, { positive = false } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0);
  if (!ok) {
    throw new UsageError(
      `${flag} must be a ${positive ? 'positive number' : 'number >= 0'}, got ${show(value)}.`,
    );
  }
  return value;
}

/**
 * A fraction strictly between 0 and 1 (`--validation-split`).
 *
 * @example
 * ```ts
 * fraction('--validation-split', 0.2); // → 0.2
 * ```
 */
export function fraction(flag: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new UsageError(`${flag} must be a fraction between 0 and 1 such as 0.2, got ${show(value)}.`);
  }
  return value;
}

/**
 * Dropout rates (`--dropout`): one rate for every hidden layer, or one per hidden layer separated by commas,
 * each in [0, 1). A config file may give a number or an array.
 *
 * @example
 * ```ts
 * parseRates('--dropout', '0.2,0.1'); // → [0.2, 0.1]
 * parseRates('--dropout', 0.3); // → 0.3
 * ```
 */
export function parseRates(flag: string, value: unknown): number | number[] {
  const bad = (): never => {
    throw new UsageError(
      `${flag} takes one rate in [0, 1) for every hidden layer, or one per hidden layer separated by commas, such as 0.2 or 0.2,0.1; got ${show(value)}.`,
    );
  };
  const check = (v: unknown): number => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && n >= 0 && n < 1 ? n : bad();
  };
  if (Array.isArray(value)) return value.length > 0 ? value.map(check) : bad();
  if (typeof value === 'number') return check(value);
  if (typeof value !== 'string') return bad();
  const parts = value.split(',').map(check);
  return parts.length === 1 ? parts[0]! : parts;
}

/**
 * Penalty rates (`--l1`, `--l2`): one rate >= 0 for every layer, or one per layer (output layer included)
 * separated by commas. A config file may give a number or an array.
 *
 * @example
 * ```ts
 * parsePenalty('--l2', '0.001'); // → 0.001
 * parsePenalty('--l1', '0.01,0'); // → [0.01, 0]
 * ```
 */
export function parsePenalty(flag: string, value: unknown): number | number[] {
  const bad = (): never => {
    throw new UsageError(
      `${flag} takes one rate >= 0 for every layer, or one per layer (output layer included) separated by commas, such as 0.001 or 0.001,0; got ${show(value)}.`,
    );
  };
  const check = (v: unknown): number => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : bad();
  };
  if (Array.isArray(value)) return value.length > 0 ? value.map(check) : bad();
  if (typeof value === 'number') return check(value);
  if (typeof value !== 'string') return bad();
  const parts = value.split(',').map(check);
  return parts.length === 1 ? parts[0]! : parts;
}

/**
 * A true/false switch given in a config file.
 *
 * @example
 * ```ts
 * boolean('--normalize', true); // → true
 * ```
 */
export function boolean(flag: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new UsageError(`${flag} must be true or false, got ${show(value)}.`);
  return value;
}

/**
 * A non-empty string.
 *
 * @example
 * ```ts
 * text('--loss', 'mse'); // → 'mse'
 * ```
 */
export function text(flag: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${flag} needs a value, got ${show(value)}.`);
  }
  return value.trim();
}

/**
 * Hidden layer sizes: `'4'`, `'8,4'` (or an array of numbers from a config file).
 *
 * @example
 * ```ts
 * parseLayers('8,4'); // → [8, 4]
 * ```
 */
export function parseLayers(value: unknown): number[] {
  const parts = Array.isArray(value) ? value.map(String) : typeof value === 'number' ? [String(value)] : null;
  const list = parts ?? (typeof value === 'string' ? value.split(',') : null);
  const bad = (): never => {
    throw new UsageError(
      `--layers takes the sizes of the hidden layers as positive whole numbers separated by commas, such as 4 or 8,4; got ${show(value)}.`,
    );
  };
  if (!list || list.length === 0) return bad();
  return list.map((part) => {
    const trimmed = part.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > 1_000_000) bad();
    return Number(trimmed);
  });
}

/**
 * Column names separated by commas (`--target t1,t2`), or an array of names from a config file.
 *
 * @example
 * ```ts
 * parseColumns('--target', 't1,t2'); // → ['t1', 't2']
 * ```
 */
export function parseColumns(flag: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!list || list.length === 0 || list.some((name) => typeof name !== 'string' || name.trim() === '')) {
    throw new UsageError(
      `${flag} takes column names separated by commas, such as t1,t2; got ${show(value)}.`,
    );
  }
  return (list as string[]).map((name) => name.trim());
}

/**
 * One input row: `'0.05,0.10'` as numbers, exactly `inputs` of them.
 *
 * @example
 * ```ts
 * parseRow('0.05,0.10', 2); // → [0.05, 0.1]
 * ```
 */
export function parseRow(value: string, inputs: number): number[] {
  const cells = value.split(',').map((cell) => cell.trim());
  const numbers = cells.map((cell) => (cell === '' ? NaN : Number(cell)));
  const badCell = numbers.findIndex((n) => !Number.isFinite(n));
  if (badCell >= 0) {
    throw new UsageError(
      `--input "${value}": '${cells[badCell]}' is not a finite number; write numbers separated by commas.`,
    );
  }
  if (numbers.length !== inputs) {
    throw new UsageError(
      `--input "${value}" has ${numbers.length} values but the model takes ${inputs} inputs.`,
    );
  }
  return numbers;
}

/**
 * A TCP port: an integer from 0 to 65535 (0 = any free port), given as digits (`--port 8080`) or a number
 * (a config file).
 *
 * @example
 * ```ts
 * portNumber('--port', '8080'); // → 8080
 * // 'abc' is refused: --port must be an integer from 0 to 65535, got 'abc'.
 * ```
 */
export function portNumber(flag: string, value: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`${flag} must be an integer from 0 to 65535, got ${show(value)}.`);
  }
  return n;
}

/**
 * The classification metrics of `--metrics`: names from the library's `METRIC_NAMES`, separated by commas,
 * each once. An unknown name is refused with the closest known one.
 *
 * @example
 * ```ts
 * parseMetrics('--metrics', 'f1,confusion'); // → ['f1', 'confusion']
 * // parseMetrics('--metrics', 'f2') throws: --metrics: unknown metric 'f2' (did you mean f1?); use ...
 * ```
 */
export function parseMetrics(flag: string, value: unknown): MetricName[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  const known = `use ${METRIC_NAMES.slice(0, -1).join(', ')} or ${METRIC_NAMES.at(-1)!}, separated by commas`;
  if (!list || list.length === 0 || list.some((name) => typeof name !== 'string' || name.trim() === '')) {
    throw new UsageError(
      `${flag} takes metric names separated by commas, such as f1,confusion; got ${show(value)}.`,
    );
  }
  const names: MetricName[] = [];
  for (const raw of list as string[]) {
    const name = raw.trim();
    if (!(METRIC_NAMES as readonly string[]).includes(name)) {
      const close = suggest(name, METRIC_NAMES);
      throw new UsageError(
        `${flag}: unknown metric '${name}'${close ? ` (did you mean ${close}?)` : ''}; ${known}.`,
      );
    }
    if (!names.includes(name as MetricName)) names.push(name as MetricName);
  }
  return names;
}
