import { DeltaflowError } from './errors.js';

/**
 * A name-keyed table of factories, shared by activations, losses, optimizers and initializers.
 * Registering a name twice is refused unless `{ replace: true }` is passed.
 *
 * @typeParam T - what the factories build
 * @example
 * ```ts
 * const colours = new Registry<string>('colour');
 * colours.register('red', () => '#f00');
 * colours.create('red'); // → '#f00'
 * ```
 * @category Registry
 */
export class Registry<T> {
  private readonly entries = new Map<string, { factory: (config?: object) => T; source: string }>();

  /** @param kind - what the entries are, used in error messages ("activation", "loss", ...) */
  constructor(readonly kind: string) {}

  /**
   * Adds a factory under `name`.
   *
   * @param name - the registry name, e.g. `'leaky-relu'`
   * @param factory - builds an instance from an optional config object
   * @param options - `replace` allows overwriting an existing name; `source` says where it came from
   * @throws DeltaflowError `E_DUPLICATE` if the name is taken and `replace` is not set
   */
  register(
    name: string,
    factory: (config?: object) => T,
    options: { replace?: boolean; source?: string } = {},
  ): void {
    if (this.entries.has(name) && !options.replace) {
      throw new DeltaflowError(
        'E_DUPLICATE',
        `The ${this.kind} '${name}' is already registered (from ${this.entries.get(name)!.source}); pass { replace: true } to replace it.`,
      );
    }
    this.entries.set(name, { factory, source: options.source ?? 'user' });
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

  /**
   * Builds the entry `name` with `config`.
   *
   * @throws DeltaflowError `E_UNKNOWN` naming the registered entries when `name` is unknown
   */
  create(name: string, config?: object): T {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new DeltaflowError(
        'E_UNKNOWN',
        `Unknown ${this.kind} '${name}'; registered: ${this.names().join(', ') || '(none)'}. A plugin may provide it (--plugin MODULE).`,
      );
    }
    return entry.factory(config);
  }
}
