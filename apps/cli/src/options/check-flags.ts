import { suggest } from '@deltaflow/core';
import { UsageError } from '../errors.js';

// Checks the flags as typed, before yargs reads them: yargs would drop a flag with no value (`--lr` alone),
// join a repeated flag into a list (`--epochs 2 --epochs 3`), and print its own wording for unknown flags and
// bad choices. Every message is one sentence naming the flag as typed.

/** What yargs knows of a command's flags (its `getOptions()`), as far as these checks need it. */
export interface FlagTable {
  /** Every flag's key. */
  key: Record<string, unknown>;
  alias?: Record<string, readonly string[]>;
  boolean?: readonly string[];
  number?: readonly string[];
  string?: readonly string[];
  array?: readonly string[];
  count?: readonly string[];
  choices?: Record<string, readonly unknown[]>;
}

/** Where the checked flags are: the command (for "see deltaflow train --help") and its flags. */
export interface FlagContext {
  /** The command that runs, or undefined at the top level. */
  command?: string;
  /** Flags whose value may be left out (`train --dashboard` alone means any free port). */
  optionalValue?: readonly string[];
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Items in prose: "a", "a or b", "a, b or c" (or with `word` "and").
 *
 * @example
 * ```ts
 * orList(['float32', 'float64']); // → 'float32 or float64'
 * orList(['2', '3', '4'], 'and'); // → '2, 3 and 4'
 * ```
 */
export function orList(items: readonly string[], word = 'or'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

/** One occurrence of a flag on the command line. */
interface Occurrence {
  key: string;
  typed: string;
  value: string | undefined;
}

/**
 * Refuses, with one sentence naming the flag, what yargs would silently misread or word in its own terms: an
 * unknown flag (with the closest known flag, by core's `suggest`), a flag that needs a value but has none, a
 * flag given twice, a number flag whose value is not a number, and a value outside a flag's choices (the message lists them).
 *
 * @example
 * ```ts
 * const table = { key: { epochs: true }, number: ['epochs'] };
 * checkFlags(['train', '--epochs', '100'], table, { command: 'train' }); // fine
 * try {
 *   checkFlags(['train', '--epoch', '100'], table, { command: 'train' });
 * } catch (error) {
 *   (error as Error).message; // → 'Unknown argument --epoch; did you mean --epochs?'
 * }
 * ```
 * @param tokens - the command line as typed (without the node and script paths)
 * @param table - the running command's flags, from yargs
 * @param context - the command and the flags whose value is optional
 * @throws UsageError naming the first bad flag
 */
export function checkFlags(tokens: readonly string[], table: FlagTable, context: FlagContext = {}): void {
  const types = new Map<string, 'boolean' | 'number' | 'string' | 'array' | 'count'>();
  for (const type of ['string', 'number', 'boolean', 'count', 'array'] as const) {
    for (const key of table[type] ?? []) types.set(key, type);
  }
  // every spelling yargs accepts -> the flag's key
  const names = new Map<string, string>();
  for (const key of Object.keys(table.key)) {
    for (const name of [key, kebab(key), camel(key), ...(table.alias?.[key] ?? [])]) {
      names.set(name, key);
      if (types.get(key) === 'boolean') names.set(`no-${kebab(name)}`, key);
    }
  }
  const shown = [...new Set(Object.keys(table.key).map(kebab))];
  const help = `deltaflow${context.command ? ` ${context.command}` : ''} --help`;
  const optional = new Set(context.optionalValue ?? []);

  const seen: Occurrence[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    const equals = token.indexOf('=');
    const name = token.slice(2, equals < 0 ? undefined : equals);
    const key = names.get(name);
    if (key === undefined) {
      // `--no-shufle`: the closest negated switch
      const close = name.startsWith('no-')
        ? suggest(
            name,
            (table.boolean ?? []).map((k) => `no-${kebab(k)}`),
          )
        : suggest(name, shown);
      throw new UsageError(
        `Unknown argument --${name}; ${close ? `did you mean --${close}?` : `see ${help} for the flags.`}`,
      );
    }
    const type = types.get(key);
    const flag = `--${name}`;
    let value = equals < 0 ? undefined : token.slice(equals + 1);
    if (type !== 'boolean' && type !== 'count' && value === undefined) {
      const next = tokens[i + 1];
      if (next !== undefined && (next === '-' || !next.startsWith('-'))) {
        value = next;
        i++;
      } else if (!optional.has(key)) {
        const placeholder = type === 'number' ? 'NUMBER' : 'VALUE';
        throw new UsageError(`${flag} needs a value: write ${flag} ${placeholder}, or leave the flag out.`);
      }
    }
    if (
      type === 'number' &&
      value !== undefined &&
      (value.trim() === '' || !Number.isFinite(Number(value)))
    ) {
      throw new UsageError(`${flag} must be a number, got '${value}'.`);
    }
    const choices = table.choices?.[key]?.map(String);
    if (choices && value !== undefined && !choices.includes(value)) {
      throw new UsageError(`${flag} must be ${orList(choices)}, got '${value}'.`);
    }
    seen.push({ key, typed: token, value });
  }

  for (const key of new Set(seen.map((o) => o.key))) {
    if (types.get(key) === 'array' || types.get(key) === 'count') continue;
    const all = seen.filter((o) => o.key === key);
    if (all.length < 2) continue;
    const times = all.length === 2 ? 'twice' : `${all.length} times`;
    const values = all.map((o) => (types.get(key) === 'boolean' ? o.typed : (o.value ?? "''")));
    throw new UsageError(`--${kebab(key)} was given ${times} (${orList(values, 'and')}); give it once.`);
  }
}
