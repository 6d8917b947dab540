import { DeltaflowError } from './errors.js';
import { previewValue } from './preview.js';

/**
 * One setting of a parametrised activation, loss, optimizer, schedule or initializer: plain data, so configs
 * serialise as they are.
 *
 * @example
 * ```ts
 * const slope: ConfigValue = 0.01;
 * ```
 * @category Config
 */
export type ConfigValue = number | string | boolean;

/**
 * The settings of one registered thing, e.g. `{ negativeSlope: 0.01 }` for leaky-relu.
 *
 * @example
 * ```ts
 * const config: Config = { lr: 0.5, nesterov: true };
 * ```
 * @category Config
 */
export type Config = Readonly<Record<string, ConfigValue>>;

/**
 * Options of {@link checkConfig}.
 *
 * @example
 * ```ts
 * checkConfig('schedule', 'cosine-annealing', { tMax: 100 }, { tMax: 1, etaMin: 0 }, { required: ['tMax'] });
 * ```
 * @category Config
 */
export interface CheckConfigOptions {
  /** Keys the user must give; their value in `defaults` only says their type. */
  readonly required?: readonly string[];
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  try {
    const text = JSON.stringify(value) ?? previewValue(value);
    return text.length > 80 ? previewValue(value) : text;
  } catch {
    // nested too deep for JSON.stringify (or a cycle): a bounded preview instead
    return previewValue(value);
  }
}

/**
 * The edit distance between `a` and `b`, case-insensitive: insertions, deletions, substitutions and swaps of
 * two neighbouring letters each count 1 (optimal string alignment).
 */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The candidate closest to `word` when it is close enough to be a likely typo (or differs only in case,
 * dashes and underscores), else undefined.
 *
 * @example
 * ```ts
 * suggest('negative_slope', ['negativeSlope']); // 'negativeSlope'
 * suggest('lr', ['momentum']);                  // undefined
 * ```
 * @param word - what was given
 * @param candidates - the accepted words
 * @category Config
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const same = candidates.find((c) => squash(c) === squash(word));
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The one config checker of every deltaflow table: merges `config` over `defaults` after checking it. Every key
 * must be one of the defaults' keys (an unknown key is named with the closest accepted one), and hold a value
 * of the default's type; numbers must be finite. `undefined` values count as not given. Returns a frozen copy.
 *
 * @example
 * ```ts
 * checkConfig('activation', 'leaky-relu', { negativeSlope: 0.2 }, { negativeSlope: 0.01 }); // { negativeSlope: 0.2 }
 * try {
 *   checkConfig('activation', 'leaky-relu', { negative_slope: 0.2 }, { negativeSlope: 0.01 });
 * } catch (error) {
 *   (error as DeltaflowError).code; // → 'E_CONFIG'
 *   // "The activation 'leaky-relu' has no config key 'negative_slope'; did you mean 'negativeSlope'? ..."
 * }
 * ```
 * @param kind - what it configures, for the message (`'activation'`, `'loss'`, `'optimizer'`, ...)
 * @param name - its registry name, for the message
 * @param config - what the user gave: an object, or undefined/null for the defaults
 * @param defaults - every accepted key with its default value, whose type the user's value must have
 * @param options - `required` keys the user must give
 * @returns the merged, checked config
 * @throws DeltaflowError `E_CONFIG` naming the offending key
 * @category Config
 */
export function checkConfig<C extends Config>(
  kind: string,
  name: string,
  config: unknown,
  defaults: C,
  options: CheckConfigOptions = {},
): C {
  const what = `The ${kind} '${name}'`;
  const accepted = Object.keys(defaults);
  if (config !== undefined && config !== null && (typeof config !== 'object' || Array.isArray(config))) {
    // (the example is only written for the message: a run's setup never builds it)
    const example = accepted.map((key) => `${key}: ${show(defaults[key])}`).join(', ');
    throw new DeltaflowError(
      'E_CONFIG',
      `${what} takes a config object such as { ${example} }, not ${show(config)}.`,
    );
  }
  const merged: Record<string, ConfigValue> = { ...defaults };
  const given = (config ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(defaults, key)) {
      const close = suggest(key, accepted);
      throw new DeltaflowError(
        'E_CONFIG',
        `${what} has no config key '${key}'` +
          (close !== undefined ? `; did you mean '${close}'?` : '.') +
          (accepted.length ? ` Its keys: ${accepted.join(', ')}.` : ' It takes no parameters.'),
      );
    }
    const expected = typeof defaults[key];
    const ok = typeof value === expected && (expected !== 'number' || Number.isFinite(value));
    if (!ok) {
      throw new DeltaflowError(
        'E_CONFIG',
        `${what}: config key '${key}' must be a ${expected === 'number' ? 'finite number' : expected}, got ${show(value)}.`,
      );
    }
    merged[key] = value as ConfigValue;
  }
  for (const key of options.required ?? []) {
    if (given[key] === undefined) {
      throw new DeltaflowError(
        'E_CONFIG',
        `${what} needs the config key '${key}' (a ${typeof defaults[key]}), e.g. { ${key}: ${show(defaults[key])} }.`,
      );
    }
  }
  return Object.freeze(merged) as C;
}

/**
 * Throws `E_CONFIG` unless `condition`: for the range checks a factory makes after {@link checkConfig}
 * (a positive delta, a learning rate >= 0, ...).
 *
 * @example
 * ```ts
 * const { delta } = checkConfig('loss', 'huber', { delta: 2 }, { delta: 1 });
 * checkConfigValue(delta > 0, 'loss', 'huber', `delta must be > 0, got ${delta}`);
 * ```
 * @param condition - what must hold
 * @param kind - what is configured (`'loss'`, ...)
 * @param name - its registry name
 * @param problem - what must hold, as a clause naming the key and the value given
 * @throws DeltaflowError `E_CONFIG`
 * @category Config
 */
export function checkConfigValue(condition: boolean, kind: string, name: string, problem: string): void {
  if (!condition) throw new DeltaflowError('E_CONFIG', `The ${kind} '${name}': ${problem}.`);
}
