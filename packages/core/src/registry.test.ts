import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeltaflowError } from './errors.js';
import { REGISTRY_LINE, Registry } from './registry.js';

describe('Registry', () => {
  it('refuses a duplicate unless asked to replace, and names what is registered', () => {
    const r = new Registry<number>('thing');
    r.register('one', () => 1, { source: 'builtin' });
    expect(() => r.register('one', () => 2)).toThrow(
      /The thing 'one' is already registered \(from builtin\)/,
    );
    r.register('one', () => 3, { replace: true, source: 'plugin-x' });
    expect(r.create('one')).toBe(3);
    expect(r.source('one')).toBe('plugin-x');
    expect(() => r.create('two')).toThrow(
      "Unknown thing 'two'; registered: one; a plugin may add it (installPlugin).",
    );
    expect(r.unregister('one')).toBe(true);
    expect(r.names()).toEqual([]);
  });

  it('gives one code per mistake: E_DEFINITION, E_DUPLICATE, E_UNKNOWN', () => {
    const r = new Registry<number>('thing');
    r.register('one', () => 1);
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (error) {
        return (error as DeltaflowError).code;
      }
      return 'none';
    };
    expect(code(() => r.register('two', 2 as never))).toBe('E_DEFINITION');
    expect(code(() => r.register('', () => 2))).toBe('E_DEFINITION');
    expect(code(() => r.register('one', () => 2))).toBe('E_DUPLICATE');
    expect(code(() => r.create('three'))).toBe('E_UNKNOWN');
    expect(code(() => r.assertKnown('three'))).toBe('E_UNKNOWN');
  });

  it('checks and builds definitions once, and shares its table by key', () => {
    interface Colour {
      name: string;
      hex: string;
    }
    let builds = 0;
    const options = {
      shared: 'test-colour',
      check: (d: unknown) => (typeof (d as Colour).hex === 'string' ? undefined : 'its hex is not a string'),
      build: (d: Colour) => {
        builds++;
        return () => d.hex.toUpperCase();
      },
    };
    const a = new Registry<string, Colour>('colour', options);
    const b = new Registry<string, Colour>('colour', options);
    a.register('red', { name: 'red', hex: '#f00' }, { source: 'copy-a' });
    expect(b.has('red')).toBe(true);
    expect(b.source('red')).toBe('copy-a');
    expect(b.create('red')).toBe('#F00');
    expect(b.create('red')).toBe('#F00');
    expect(builds).toBe(1);
    expect(() => b.register('blue', { name: 'blue', hex: 3 } as never)).toThrow(
      "The colour 'blue' is malformed: its hex is not a string.",
    );
    expect(a.problem('red', { name: 'red', hex: '#f00' })).toMatch(/already registered/);
    expect(a.problem('red', { name: 'red', hex: '#f00' }, { replace: true })).toBeUndefined();
    expect(a.definition('red')).toEqual({ name: 'red', hex: '#f00' });
    a.unregister('red');
    expect(b.has('red')).toBe(false);
  });

  it('keeps names such as toString apart from object properties', () => {
    const r = new Registry<number>('thing');
    expect(r.has('toString')).toBe(false);
    expect(() => r.create('constructor')).toThrow(/Unknown thing 'constructor'/);
  });

  it("keeps its package.json's release line in the store, and refuses a store of another line", () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const [major, minor] = manifest.version.split('.');
    expect(REGISTRY_LINE).toBe(major === '0' ? `0.${minor}` : major);
    const store = (globalThis as unknown as Record<symbol, { line: string }>)[
      Symbol.for('deltaflow.registries')
    ]!;
    expect(store.line).toBe(REGISTRY_LINE);
    store.line = '0.0'; // as a copy of @deltaflow/core 0.0.x, loaded first, would have left it
    try {
      expect(() => new Registry('thing', { shared: 'other' })).toThrow(
        `Two incompatible copies of @deltaflow/core are loaded (0.0.x and ${REGISTRY_LINE}.x), so plugins registered through one would be invisible to the other; give every @deltaflow/* dependency the same ^${REGISTRY_LINE}.0 range and run npm dedupe.`,
      );
    } finally {
      store.line = REGISTRY_LINE;
    }
  });

  it('refuses a store laid out by an incompatible copy of the core', () => {
    const store = (globalThis as unknown as Record<symbol, { version: number }>)[
      Symbol.for('deltaflow.registries')
    ]!;
    expect(store.version).toBe(1);
    store.version = 99; // as another copy of @deltaflow/core, of another layout, would have left it
    try {
      expect(() => new Registry('thing', { shared: 'other' })).toThrow(
        /Two incompatible copies of @deltaflow\/core are loaded/,
      );
    } finally {
      store.version = 1;
    }
  });
});
