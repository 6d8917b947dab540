// Which column of a CSV header is a feature, a target or skipped. Internal: not exported from the package.
import { DeltaflowError } from '@deltaflow/tensor';
import type { CsvOptions } from './csv.js';

/** Role of a column that is read but not used. */
export const SKIP = -1;
/** Role of a target column. */
export const TARGET = -2;

/** The column roles of one header. */
export interface Roles {
  /** Per column: feature index, SKIP or TARGET. */
  of: Int32Array;
  /** Per column: index among the numeric targets. */
  targetIndex: Int32Array;
  features: number[];
  targets: number[];
  featureCount: number;
}

/** Gives each header column its role from the target/features options; refuses empty, duplicate or unknown names. */
export function columnRoles(header: string[], options: CsvOptions, where: string): Roles {
  const seen = new Map<string, number>();
  header.forEach((name, c) => {
    if (name === '') {
      throw csvError(`${where}: column ${c + 1} has no name; give every column a name in the header row`);
    }
    if (seen.has(name)) {
      throw csvError(
        `${where}: the column name '${name}' appears twice (columns ${seen.get(name)! + 1} and ${c + 1}); give every column its own name`,
      );
    }
    seen.set(name, c);
  });
  const find = (name: string, what: string): number => {
    const c = seen.get(name);
    if (c === undefined) {
      throw csvError(
        `${where} has no column '${name}' to use as ${what}; its columns are ${header.join(', ')}`,
      );
    }
    return c;
  };
  const targetNames = options.target === undefined ? [header.at(-1)!] : [options.target].flat();
  const targets = targetNames.map((name) => find(name, 'target'));
  const features = options.features
    ? options.features.map((name) => find(name, 'feature'))
    : header.map((_, c) => c).filter((c) => !targets.includes(c));
  const of = new Int32Array(header.length).fill(SKIP);
  const targetIndex = new Int32Array(header.length).fill(-1);
  targets.forEach((c, k) => {
    of[c] = TARGET;
    targetIndex[c] = k;
  });
  features.forEach((c, j) => {
    if (of[c] !== SKIP) {
      throw csvError(
        `${where}: column '${header[c]}' is chosen twice (as target or feature); choose it once`,
      );
    }
    of[c] = j;
  });
  if (features.length === 0 && targets.length > 0) {
    throw csvError(
      `${where}: every column is a target, so no feature columns are left; choose fewer target columns`,
    );
  }
  return { of, targetIndex, features, targets, featureCount: features.length };
}

/** A CSV error: `E_CSV` with one sentence (the full stop is added). */
export function csvError(sentence: string): DeltaflowError {
  return new DeltaflowError('E_CSV', `${sentence}.`);
}
