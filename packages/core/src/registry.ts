import { DeltaflowError } from './errors.js';

/**
 * A factory as a plain registry keeps it: builds an instance from an optional config object.
 *
 * @example
 * ```ts
 * const red: RegistryFactory<string> = () => '#f00';
 * ```
 * @typeParam T - what it builds
 * @category Registry
 */
export type RegistryFactory<T> = (config?: object) => T;

/**
 * How a {@link Registry} checks, turns into instances and shares its definitions.
 *
 * @example
 * ```ts
 * const options: RegistryOptions<number, { name: string; value: number }> = {
 *   check: (d) => (typeof (d as { value?: unknown }).value === 'number' ? undefined : 'its value is not a number'),
 *   build: (d) => () => d.value,
 * };
 * ```
 * @typeParam T - what `create` returns
 * @typeParam D - what `register` takes
 * @category Registry
 */
export interface RegistryOptions<T, D> {
  /** What is wrong with a definition, as a clause ("it has no name"), or undefined when it is fine. */
  readonly check?: (definition: unknown) => string | undefined;
  /** Turns a checked definition into the factory `create` calls; called once per registered definition. */
  readonly build?: (definition: D) => RegistryFactory<T>;
  /**
   * A key under which the definitions are kept on `globalThis`, shared by every registry made with the same
   * key: two copies of a package (or a package and the core's plugin installer) see one table.
   */
  readonly shared?: string;
}

/**
 * Options of {@link Registry.register}.
 *
 * @example
 * ```ts
 * const colours = new Registry<string>('colour');
 * colours.register('red', () => '#f00', { source: 'my-plugin', replace: true });
 * ```
 * @category Registry
 */
export interface RegisterOptions {
  /** Replace an entry already registered under the same name (otherwise that is an error). */
  readonly replace?: boolean;
  /** Where it comes from: `'builtin'`, a plugin's name, or `'user'` (the default). */
  readonly source?: string;
}

/** One registered definition and where it came from. */
interface Entry {
  readonly definition: unknown;
  readonly source: string;
}

/** The check of a plain registry, whose definitions are factories. */
const functionCheck = (definition: unknown): string | undefined =>
  typeof definition === 'function' ? undefined : 'it is not a factory function';

const STORE = Symbol.for('deltaflow.registries');
const STORE_VERSION = 1;
/**
 * The release line of this @deltaflow/core (its package.json version up to the first non-zero part, as npm's
 * caret ranges count compatibility: 0.1.x is line 0.1, 1.x.y line 1). Copies of one line share the registries;
 * registry.test.ts checks it against package.json.
 */
export const REGISTRY_LINE = '0.1';

/** The tables shared through `globalThis`, with the version of their layout and the line of the core that made them. */
interface Store {
  readonly version: number;
  readonly line?: string;
  readonly tables: Map<string, Map<string, Entry>>;
}

/** The shared table `key`, made on first use; refuses a store laid out by an incompatible copy of the core. */
function sharedTable(key: string): Map<string, Entry> {
  const holder = globalThis as { [STORE]?: Store };
  let store = holder[STORE];
  if (store === undefined) {
    store = { version: STORE_VERSION, line: REGISTRY_LINE, tables: new Map() };
    Object.defineProperty(globalThis, STORE, { value: store });
  } else if (store.version !== STORE_VERSION) {
    throw new DeltaflowError(
      'E_VERSION',
      `Two incompatible copies of @deltaflow/core are loaded (registry layout ${store.version} and ${STORE_VERSION}); install one version of the deltaflow packages (npm dedupe).`,
    );
  } else if (store.line !== REGISTRY_LINE) {
    throw new DeltaflowError(
      'E_VERSION',
      `Two incompatible copies of @deltaflow/core are loaded (${store.line ?? 'unknown'}.x and ${REGISTRY_LINE}.x), so plugins registered through one would be invisible to the other; give every @deltaflow/* dependency the same ^${REGISTRY_LINE}.0 range and run npm dedupe.`,
    );
  }
  let table = store.tables.get(key);
  if (table === undefined) {
    table = new Map();
    store.tables.set(key, table);
  }
  return table;
}

/**
 * A name-keyed table of definitions: the one mechanism behind activations, losses, optimizers, schedules and
 * initializers. A registry may check what is registered (`check`), turn it into what `create` returns
 * (`build`), and share its table across copies of a package (`shared`). Registering a name twice is refused
 * unless `{ replace: true }` is passed.
 *
 * @typeParam T - what `create` builds
 * @typeParam D - what `register` takes; by default a factory `(config?) => T`
 * @example
 * ```ts
 * const colours = new Registry<string>('colour');
 * colours.register('red', () => '#f00');
 * colours.create('red'); // → '#f00'
 * ```
 * @category Registry
 */
export class Registry<T, D = RegistryFactory<T>> {
  /** What the entries are, used in error messages (`'activation'`, `'loss'`, ...). */
  readonly kind: string;
  private readonly entries: Map<string, Entry>;
  private readonly built = new WeakMap<Entry, RegistryFactory<T>>();
  private readonly options: RegistryOptions<T, D>;

  /**
   * @param kind - what the entries are, used in error messages ("activation", "loss", ...)
   * @param options - how definitions are checked, built and shared
   */
  constructor(kind: string, options: RegistryOptions<T, D> = {}) {
    this.kind = kind;
    this.options = options;
    this.entries = options.shared !== undefined ? sharedTable(options.shared) : new Map();
  }

  /**
   * What is wrong with registering `definition` under `name`, as one sentence, or undefined when it may be
   * registered: a malformed definition, or a name that is taken (unless `replace`).
   *
   * @param name - the registry name
   * @param definition - what would be registered
   * @param options - `replace` allows a taken name
   */
  problem(name: string, definition: unknown, options: RegisterOptions = {}): string | undefined {
    if (typeof name !== 'string' || name === '') return `A ${this.kind} needs a non-empty name.`;
    const check = this.options.check ?? (this.options.build ? undefined : functionCheck);
    const malformed = check?.(definition);
    if (malformed !== undefined) return `The ${this.kind} '${name}' is malformed: ${malformed}.`;
    if (this.entries.has(name) && !options.replace) {
      return `The ${this.kind} '${name}' is already registered (from ${this.entries.get(name)!.source}); pass { replace: true } to replace it.`;
    }
    return undefined;
  }

  /**
   * Adds `definition` under `name`.
   *
   * @param name - the registry name, e.g. `'leaky-relu'`
   * @param definition - what `build` turns into instances (a factory for a plain registry)
   * @param options - `replace` allows overwriting an existing name; `source` says where it came from
   * @throws DeltaflowError `E_DEFINITION` for a malformed definition; `E_DUPLICATE` if the name is taken and
   *   `replace` is not set
   */
  register(name: string, definition: D, options: RegisterOptions = {}): void {
    const problem = this.problem(name, definition, options);
    if (problem !== undefined) {
      const taken = typeof name === 'string' && this.entries.has(name) && !options.replace;
      throw new DeltaflowError(
        taken && problem.includes('already registered') ? 'E_DUPLICATE' : 'E_DEFINITION',
        problem,
      );
    }
    this.entries.set(name, { definition, source: options.source ?? 'user' });
  }

  /** Removes `name`; returns whether it was there. Meant for tests and plugin unloading. */
  unregister(name: string): boolean {
    return this.entries.delete(name);
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Every registered name, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Where `name` came from (`'builtin'`, a plugin name, or `'user'`), or undefined if unknown. */
  source(name: string): string | undefined {
    return this.entries.get(name)?.source;
  }

  /** The definition registered under `name`, or undefined. */
  definition(name: string): D | undefined {
    return this.entries.get(name)?.definition as D | undefined;
  }

  /**
   * Refuses a name nobody registered, naming the registered ones.
   *
   * @example
   * ```ts
   * try {
   *   pluginRegistries.activation.assertKnown('softsign'); // throws unless a plugin added it
   * } catch (error) {
   *   (error as DeltaflowError).code; // → 'E_UNKNOWN'
   * }
   * ```
   * @throws DeltaflowError `E_UNKNOWN`
   */
  assertKnown(name: string): void {
    if (!this.entries.has(name)) {
      throw new DeltaflowError(
        'E_UNKNOWN',
        `Unknown ${this.kind} '${name}'; registered: ${this.names().join(', ') || '(none)'}; a plugin may add it (installPlugin).`,
      );
    }
  }

  /**
   * Builds the entry `name` with `config`.
   *
   * @throws DeltaflowError `E_UNKNOWN` naming the registered entries when `name` is unknown; what the entry's
   *   factory throws for a bad config (`E_CONFIG`)
   */
  create(name: string, config?: object): T {
    this.assertKnown(name);
    const entry = this.entries.get(name)!;
    let factory = this.built.get(entry);
    if (factory === undefined) {
      const build = this.options.build ?? ((definition: D) => definition as unknown as RegistryFactory<T>);
      factory = build(entry.definition as D);
      this.built.set(entry, factory);
    }
    return factory(config);
  }
}
