import { checkConfig } from './config.js';
import type { FactoryEntry } from './entries.js';
import { Registry } from './registry.js';

/**
 * A registry whose definitions are all factories `{ name, defaults, required?, create }`: `create(name, config)`
 * checks the config with {@link checkConfig} (unknown keys with a suggestion, types, finite numbers, required
 * keys) and passes it, merged over the defaults, to the factory. The schedule and initializer tables are
 * made this way.
 *
 * @example
 * ```ts
 * const schedules = factoryRegistry<(step: number) => number>('schedule');
 * schedules.register('inverse', { name: 'inverse', defaults: { k: 1 }, create: ({ k }) => (step) => 1 / (1 + k * step) });
 * schedules.create('inverse', { k: 0.5 })(2); // 0.5
 * ```
 * @typeParam T - what the factories build
 * @param kind - what the entries are, for messages (`'schedule'`, `'initializer'`)
 * @param options - `shared`: share the table through `globalThis` under this key
 * @returns the registry
 * @category Registry
 */
export function factoryRegistry<T>(
  kind: string,
  options: { readonly shared?: string } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each factory has its own config type
): Registry<T, FactoryEntry<T, any>> {
  return new Registry(kind, {
    ...options,
    check: (definition) => {
      const d = definition as Partial<FactoryEntry<T>> | null;
      const ok =
        typeof d === 'object' &&
        d !== null &&
        typeof d.create === 'function' &&
        typeof d.defaults === 'object';
      return ok ? undefined : 'it is not { name, defaults, create }';
    },
    build: (factory) => (config) =>
      factory.create(
        checkConfig(kind, factory.name, config, factory.defaults, { required: factory.required ?? [] }),
      ),
  });
}
