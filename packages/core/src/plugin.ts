import { suggest } from './config.js';
import type { ActivationPluginEntry, LossPluginEntry, OptimizerRule } from './entries.js';
import { activationEntryProblem, lossEntryProblem, optimizerEntryProblem } from './entries.js';
import { DeltaflowError } from './errors.js';
import type { ErrorCode } from './errors.js';
import { factoryCreateProblem } from './factory-check.js';
import { guardPluginEntry } from './plugin-guard.js';
import { previewValue } from './preview.js';
import { Registry } from './registry.js';

/**
 * A plugin: a plain object, usually the default export of an ES module, that adds activations, losses and
 * optimizers beside the built-in ones. Once installed, its names work everywhere a built-in's do: in code, in
 * the apps, in model files and in the gradient check.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   name: 'my-plugin',
 *   activations: [{ name: 'softsign', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2 }],
 *   optimizers: [{
 *     name: 'signsgd', defaults: { lr: 0.01 }, init: () => ({}),
 *     update: (param, grad, _state, options) => {
 *       for (let i = 0; i < param.length; i++) param[i] -= options.lr * Math.sign(grad[i]!);
 *     },
 *   }],
 * });
 * ```
 * @category Plugins
 */
export interface Plugin {
  /** The plugin's name, shown as the source of what it registers. */
  readonly name: string;
  /** Elementwise `{ name, f, df }`, full activations, or factories `{ name, defaults, create }`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own config type
  readonly activations?: readonly ActivationPluginEntry<any>[];
  /** Per-sample `{ name, f, df }`, full losses, or factories. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own config type
  readonly losses?: readonly LossPluginEntry<any>[];
  /** Per-parameter update rules `{ name, defaults, init, update }`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own option and state types
  readonly optimizers?: readonly OptimizerRule<any, any>[];
}

/**
 * The kinds of thing a plugin adds, by the word used in messages.
 *
 * @example
 * ```ts
 * const kind: PluginKind = 'loss';
 * pluginRegistries[kind].names();
 * ```
 * @category Plugins
 */
export type PluginKind = 'activation' | 'loss' | 'optimizer';

/**
 * The tables plugins add to, one per {@link PluginKind}: they hold the registered definitions (built-ins and
 * plugins' entries alike), checked against the public entry shapes. `@deltaflow/activations`,
 * `@deltaflow/losses` and `@deltaflow/optimizers` read the same tables (`activations`, `losses`, `optimizers`)
 * and turn the definitions into activations, losses and optimizer rules; use these to list, look up or check
 * names without loading those packages.
 *
 * @example
 * ```ts
 * for (const kind of ['activation', 'loss', 'optimizer'] as const) {
 *   console.log(kind, pluginRegistries[kind].names());
 * }
 * ```
 * @category Plugins
 */
export const pluginRegistries: {
  readonly activation: Registry<unknown, ActivationPluginEntry>;
  readonly loss: Registry<unknown, LossPluginEntry>;
  readonly optimizer: Registry<unknown, OptimizerRule>;
} = Object.freeze({
  activation: new Registry<unknown, ActivationPluginEntry>('activation', {
    shared: 'activation',
    check: activationEntryProblem,
  }),
  loss: new Registry<unknown, LossPluginEntry>('loss', { shared: 'loss', check: lossEntryProblem }),
  optimizer: new Registry<unknown, OptimizerRule>('optimizer', {
    shared: 'optimizer',
    check: optimizerEntryProblem,
  }),
});

/** The plugin's list for each kind, in the order they are checked and registered. */
const LISTS = [
  ['activation', 'activations'],
  ['loss', 'losses'],
  ['optimizer', 'optimizers'],
] as const;

/**
 * Gives a plugin object its type, and nothing else: a plugin module may equally export the plain object.
 *
 * @example
 * ```ts
 * export default definePlugin({ name: 'tiny', activations: [{ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x }] });
 * ```
 * @param plugin - the plugin
 * @returns the same object
 * @category Plugins
 */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

/**
 * Options of {@link installPlugin}.
 *
 * @example
 * ```ts
 * installPlugin(myPlugin, { replace: true }); // its names replace those already registered
 * ```
 * @category Plugins
 */
export interface InstallPluginOptions {
  /** Replace entries of the same name instead of refusing the plugin. */
  readonly replace?: boolean;
}

/** One thing found wrong with a plugin. */
interface Problem {
  readonly code: ErrorCode;
  readonly text: string;
}

/** Every problem of one of the plugin's lists, and the entries to register when there is none. */
function checkList(
  plugin: Plugin,
  kind: PluginKind,
  key: (typeof LISTS)[number][1],
  replace: boolean,
  problems: Problem[],
  taken: { kind: PluginKind; names: string[] }[],
): { name: string; entry: unknown }[] {
  const list: unknown = (plugin as unknown as Record<string, unknown>)[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push({
      code: 'E_DEFINITION',
      text: `its field ${key} is ${previewValue(list)}, but must be a list of entries (${key}: [{ name, ... }, ...])`,
    });
    return [];
  }
  const registry = pluginRegistries[kind] as Registry<unknown, unknown>;
  const seen = new Set<string>();
  const clashes: string[] = [];
  const accepted: { name: string; entry: unknown }[] = [];
  list.forEach((entry: unknown, i: number) => {
    const name = (entry as { name?: unknown } | null)?.name;
    const label = typeof name === 'string' && name !== '' ? `${key}[${i}] '${name}'` : `${key}[${i}]`;
    const malformed = registry.problem(typeof name === 'string' && name !== '' ? name : '?', entry, {
      replace: true,
    });
    if (typeof name !== 'string' || name === '' || malformed !== undefined) {
      const why = malformed?.replace(/^.*is malformed: /, '').replace(/\.$/, '') ?? 'it has no name';
      problems.push({ code: 'E_DEFINITION', text: `${label} is malformed: ${why}` });
      return;
    }
    const created =
      kind !== 'optimizer' && typeof (entry as { create?: unknown }).create === 'function'
        ? factoryCreateProblem(entry as Record<string, unknown>, kind)
        : undefined;
    if (created !== undefined) {
      problems.push({ code: 'E_DEFINITION', text: `${label} is malformed: ${created}` });
      return;
    }
    if (seen.has(name)) {
      problems.push({ code: 'E_DUPLICATE', text: `it names the ${kind} '${name}' twice` });
      return;
    }
    seen.add(name);
    if (!replace && registry.has(name)) clashes.push(`'${name}' (from ${registry.source(name)})`);
    accepted.push({ name, entry });
  });
  if (clashes.length > 0) taken.push({ kind, names: clashes });
  return accepted;
}

/**
 * Registers everything a plugin provides, with the plugin's name as the source, all or nothing: every entry of
 * every kind is checked first (its shape, names repeated inside the plugin, names already registered), and a
 * plugin with any problem is refused whole with one message listing them all, leaving nothing registered.
 * Fix the plugin and install it again.
 *
 * @example
 * ```ts
 * installPlugin(myPlugin);
 * pluginRegistries.activation.has('softsign'); // true, if myPlugin gives softsign
 * ```
 * @param plugin - the plugin, e.g. a module's default export
 * @param options - `replace` lets its names replace registered ones
 * @throws DeltaflowError `E_PLUGIN` when it is not an object with a name; else `E_DEFINITION` when an entry is
 *   malformed, or `E_DUPLICATE` when names repeat or are taken; the message lists every problem
 * @category Plugins
 */
export function installPlugin(plugin: Plugin, options: InstallPluginOptions = {}): void {
  if (
    typeof plugin !== 'object' ||
    plugin === null ||
    typeof plugin.name !== 'string' ||
    plugin.name === ''
  ) {
    throw new DeltaflowError(
      'E_PLUGIN',
      'A plugin must be an object with a name (the default export of its module); see definePlugin.',
    );
  }
  const replace = options.replace ?? false;
  const problems: Problem[] = [];
  const known = new Set<string>(['name', ...LISTS.map(([, key]) => key)]);
  for (const key of Object.keys(plugin)) {
    if (!known.has(key)) {
      const close = suggest(key, [...known]);
      problems.push({
        code: 'E_DEFINITION',
        text: `it has the unknown field '${key}'${close ? ` (did you mean '${close}'?)` : ''}`,
      });
    }
  }
  const taken: { kind: PluginKind; names: string[] }[] = [];
  const plan = LISTS.map(
    ([kind, key]) => [kind, checkList(plugin, kind, key, replace, problems, taken)] as const,
  );
  if (taken.length > 0) {
    // every name taken, of every kind, in one problem with its fix
    const many = taken.length > 1 || taken[0]!.names.length > 1;
    const lists = taken.map(
      ({ kind, names }) => `the ${kind}${names.length > 1 ? 's' : ''} ${names.join(', ')}`,
    );
    problems.push({
      code: 'E_DUPLICATE',
      text:
        `it adds ${lists.join(', ')}, already registered ` +
        `(rename ${many ? 'them' : 'it'} in the plugin, or install the plugin with { replace: true } to override ${many ? 'them' : 'it'})`,
    });
  }
  if (problems.length > 0) {
    const code = problems.find((p) => p.code === 'E_DEFINITION')?.code ?? problems[0]!.code;
    throw new DeltaflowError(
      code,
      `The plugin '${plugin.name}' was not installed (nothing of it is registered): ${problems.map((p) => p.text).join('; ')}.`,
    );
  }
  const register = { replace, source: plugin.name };
  for (const [kind, entries] of plan) {
    const registry = pluginRegistries[kind] as Registry<unknown, unknown>;
    for (const { name, entry } of entries)
      registry.register(name, guardPluginEntry(entry, plugin.name, kind, name), register);
  }
}
