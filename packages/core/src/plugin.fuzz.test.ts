// Property-based tests of plugin installation (issue 17): whatever object is given as a plugin, installPlugin
// installs it whole or refuses it whole with a DeltaflowError whose one sentence names the plugin and the field
// (E_PLUGIN, E_DEFINITION, E_DUPLICATE); once installed, calling its functions gives their result or a
// DeltaflowError E_PLUGIN_THREW naming the plugin and the entry; never another error.
import { fc, test } from '@fast-check/vitest';
import { fuzzParameters, fuzzTimeout } from '@deltaflow/test-fuzz';
import { afterEach, describe, expect } from 'vitest';
import { DeltaflowError } from './errors.js';
import { installPlugin, pluginRegistries } from './plugin.js';
import type { Plugin } from './plugin.js';

const KINDS = ['activation', 'loss', 'optimizer'] as const;

/** Every name registered now, by kind. */
const snapshot = () => KINDS.map((k) => pluginRegistries[k].names().join(','));

afterEach(() => {
  for (const kind of KINDS) {
    const registry = pluginRegistries[kind];
    for (const name of registry.names()) registry.unregister(name);
  }
});

/** A function a plugin might give: a good one, one that throws (an Error or not), one that returns junk. */
const someFunction = fc.constantFrom(
  (x: number) => x,
  () => 0,
  () => NaN,
  () => {
    throw new Error('exploded');
  },
  () => {
    throw 'a string';
  },
  () => {
    throw new Error('x'.repeat(10_000));
  },
  () => ({}),
  () => undefined,
);

const junk = fc.oneof(
  fc.jsonValue(),
  someFunction,
  fc.constantFrom(null, undefined, 'softsign', Infinity, -1, [], {}),
);

const entryName = fc.oneof(
  fc.constantFrom('soft', 'sign', 'cube', 'lin', ''),
  fc.string({ maxLength: 12 }),
  junk,
);

/** An entry: mostly the right keys with right or wrong values, sometimes anything at all. */
const entry = fc.oneof(
  fc.record(
    {
      name: entryName,
      f: fc.oneof(someFunction, junk),
      df: fc.oneof(someFunction, junk),
      kinks: fc.oneof(fc.array(fc.double()), junk),
      config: fc.oneof(fc.constant({}), junk),
    },
    { requiredKeys: ['name'] },
  ),
  fc.record(
    {
      name: entryName,
      defaults: fc.oneof(fc.record({ lr: fc.double() }), junk),
      init: fc.oneof(someFunction, junk),
      update: fc.oneof(someFunction, junk),
      create: fc.oneof(someFunction, junk),
    },
    { requiredKeys: ['name'] },
  ),
  junk,
);

const list = fc.oneof(fc.array(entry, { maxLength: 4 }), junk, fc.constant(undefined));

const plugin = fc.record(
  {
    name: fc.oneof(fc.constantFrom('p', 'fuzz-plugin'), fc.string({ maxLength: 20 }), junk),
    activations: list,
    losses: list,
    optimizers: list,
    extra: junk,
  },
  { requiredKeys: [] },
);

/** Calls `fn` of a registered entry; its error, if any, must be a plugin error naming the plugin. */
function call(plugin: string, fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_PLUGIN_THREW');
    expect((error as DeltaflowError).message).toContain(`of the plugin '${plugin}' failed`);
    expect((error as DeltaflowError).message.length).toBeLessThan(500);
  }
}

describe('installPlugin, property-based', () => {
  test.prop([plugin], fuzzParameters(300))(
    'installed whole, or refused whole in one sentence; its functions throw only plugin errors',
    (candidate) => {
      const before = snapshot();
      try {
        installPlugin(candidate as unknown as Plugin);
      } catch (error) {
        expect(error).toBeInstanceOf(DeltaflowError);
        const { code, message } = error as DeltaflowError;
        expect(['E_PLUGIN', 'E_DEFINITION', 'E_DUPLICATE']).toContain(code);
        expect(message).not.toMatch(/\n/);
        if (code !== 'E_PLUGIN')
          expect(message).toContain(`The plugin '${candidate.name as string}' was not installed`);
        expect(snapshot()).toEqual(before); // nothing of it registered
        return;
      }
      const name = candidate.name as string;
      for (const kind of KINDS) {
        const registry = pluginRegistries[kind];
        for (const entryName of registry.names()) {
          const definition = registry.definition(entryName) as unknown as Record<string, unknown>;
          for (const method of ['f', 'df', 'init', 'update', 'create'] as const) {
            const fn = definition[method];
            if (typeof fn === 'function')
              call(name, () => (fn as (...a: unknown[]) => unknown).call(definition, 0.5, 0.5, {}, {}, 1));
          }
        }
      }
    },
    fuzzTimeout(60_000, 300),
  );
});
