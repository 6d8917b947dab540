import { DeltaflowError } from './errors.js';

/** The methods of plugin entries deltaflow calls: each is guarded so what it throws names the plugin. */
const METHODS = ['f', 'df', 'forward', 'backward', 'create', 'init', 'update', 'validate'] as const;

type AnyFunction = (
  this: unknown,
  a?: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
  e?: unknown,
) => unknown;

/** Each guard's function as the plugin wrote it, for {@link unguarded}. */
const originals = new WeakMap<object, AnyFunction>();

/** One line of at most 200 characters of what a plugin threw. */
function thrownText(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : `${typeof error === 'string' ? error : typeof error}`;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * The error for a plugin function that threw: `E_PLUGIN_THREW`, naming the plugin, the entry and the function.
 * A `DeltaflowError` it throws itself (e.g. `validate` refusing an option) passes unchanged.
 */
function failure(error: unknown, plugin: string, kind: string, name: string, method: string): unknown {
  if (error instanceof DeltaflowError) return error;
  return new DeltaflowError(
    'E_PLUGIN_THREW',
    `The ${kind} '${name}' of the plugin '${plugin}' failed: its ${method} threw ${thrownText(error)}; fix the plugin, or run without it.`,
    { cause: error },
  );
}

/**
 * `entry` with its functions (`f`, `df`, `forward`, `backward`, `create`, `init`, `update`, `validate`) wrapped so
 * that what they throw becomes a {@link DeltaflowError} `E_PLUGIN_THREW` naming the plugin, the entry and the
 * function; what `create` returns is guarded the same way. The wrappers take five fixed parameters (no rest
 * array), so a hot loop calling `f` allocates nothing more. A plain object is copied; an instance of a class gets
 * a new object whose prototype is the instance, so its other members still read through.
 *
 * @example
 * ```ts
 * const cube = { name: 'cube', f: (x: number) => x ** 3, df: (x: number) => 3 * x * x };
 * const entry = guardPluginEntry(cube, 'my-plugin', 'activation', 'cube');
 * entry.f(2); // → 8
 * // had f thrown, the error would be E_PLUGIN_THREW: "The activation 'cube' of the plugin 'my-plugin' failed: ..."
 * ```
 * @param entry - the entry as the plugin gave it (already checked)
 * @param plugin - the plugin's name
 * @param kind - `activation`, `loss` or `optimizer`
 * @param name - the entry's name
 * @returns the guarded entry
 * @category Plugins
 */
export function guardPluginEntry<T>(entry: T, plugin: string, kind: string, name: string): T {
  if (typeof entry !== 'object' || entry === null) return entry;
  const plain = Object.getPrototypeOf(entry) === Object.prototype;
  const guarded: Record<string, unknown> = plain
    ? { ...(entry as Record<string, unknown>) }
    : (Object.create(entry) as Record<string, unknown>);
  for (const method of METHODS) {
    const fn = (entry as Record<string, unknown>)[method];
    if (typeof fn !== 'function') continue;
    const original = fn as AnyFunction;
    const wrapped = function (
      this: unknown,
      a?: unknown,
      b?: unknown,
      c?: unknown,
      d?: unknown,
      e?: unknown,
    ): unknown {
      let result: unknown;
      try {
        result = original.call(this, a, b, c, d, e);
      } catch (error) {
        throw failure(error, plugin, kind, name, method);
      }
      return method === 'create' ? guardPluginEntry(result, plugin, kind, name) : result;
    };
    originals.set(wrapped, original);
    Object.defineProperty(guarded, method, {
      value: wrapped,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return guarded as T;
}

/**
 * The function a plugin wrote, behind the guard `installPlugin` put around it (or `fn` itself when it is
 * not a guard): what an exporter reads with `Function.prototype.toString` to embed a plugin's `f`.
 *
 * @example
 * ```ts
 * import { unguarded } from '@deltaflow/core';
 * declare const registeredF: (x: number) => number; // the f of an installed plugin activation
 * const source = Function.prototype.toString.call(unguarded(registeredF)); // the plugin's own source
 * ```
 * @param fn - a function of a registered plugin entry
 * @returns the plugin's own function
 * @category Plugins
 */
export function unguarded<T extends (...args: never[]) => unknown>(fn: T): T {
  return (originals.get(fn) as T | undefined) ?? fn;
}
