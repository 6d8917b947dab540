import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeltaflowError } from './errors.js';
import { definePlugin, installPlugin, pluginRegistries } from './plugin.js';
import type { Plugin } from './plugin.js';

const { activation, loss, optimizer } = pluginRegistries;

// Stand-ins for built-ins (the core's tests cannot import the packages above it).
const sigmoid = {
  name: 'sigmoid',
  f: (x: number) => 1 / (1 + Math.exp(-x)),
  df: (_x: number, y: number) => y * (1 - y),
};
const mse = { name: 'mse', f: () => 0, df: () => undefined };
const sgd = { name: 'sgd', defaults: { lr: 0.01 }, init: () => ({}), update: () => undefined };

const softsign = {
  name: 'softsign',
  f: (x: number) => x / (1 + Math.abs(x)),
  df: (x: number) => 1 / (1 + Math.abs(x)) ** 2,
};
const scaled = {
  name: 'scaled',
  defaults: { a: 1 },
  create: ({ a }: { a: number }) => ({ name: 'scaled', config: { a }, f: (x: number) => a * x, df: () => a }),
};
const l1 = { name: 'l1', f: () => 0, df: () => undefined };
const signsgd = {
  name: 'signsgd',
  defaults: { lr: 0.01 },
  init: () => ({}),
  update: (
    param: Float64Array | Float32Array,
    grad: Float64Array | Float32Array,
    _s: object,
    o: { lr: number },
  ) => {
    for (let i = 0; i < param.length; i++) param[i] = param[i]! - o.lr * Math.sign(grad[i]!);
  },
};

/** Every name registered, per kind. */
const snapshot = (): string[][] => [activation.names(), loss.names(), optimizer.names()];

/** What `fn` throws, as a DeltaflowError. */
function errorOf(fn: () => unknown): DeltaflowError {
  const error = ((): unknown => {
    try {
      return fn();
    } catch (caught) {
      return caught;
    }
  })();
  expect(error).toBeInstanceOf(DeltaflowError);
  return error as DeltaflowError;
}

beforeEach(() => {
  activation.register('sigmoid', sigmoid, { source: 'builtin' });
  loss.register('mse', mse, { source: 'builtin' });
  optimizer.register('sgd', sgd, { source: 'builtin' });
});

afterEach(() => {
  for (const registry of [activation, loss, optimizer]) {
    for (const name of registry.names()) registry.unregister(name);
  }
});

describe('installPlugin', () => {
  it('registers every entry of every kind under the plugin name', () => {
    installPlugin(
      definePlugin({ name: 'p', activations: [softsign, scaled], losses: [l1], optimizers: [signsgd] }),
    );
    expect(snapshot()).toEqual([
      ['sigmoid', 'softsign', 'scaled'],
      ['mse', 'l1'],
      ['sgd', 'signsgd'],
    ]);
    expect(activation.source('scaled')).toBe('p');
    // registered as given, its functions guarded (what they throw names the plugin: plugin-guard.test.ts)
    expect(optimizer.definition('signsgd')).toMatchObject({ name: 'signsgd', defaults: signsgd.defaults });
    expect(optimizer.definition('signsgd')?.init).not.toBe(signsgd.init);
  });

  it('leaves nothing registered when one entry is malformed, and installs once it is fixed', () => {
    const before = snapshot();
    const broken: Plugin = {
      name: 'half',
      activations: [softsign, scaled],
      losses: [l1],
      optimizers: [{ ...signsgd, update: undefined } as never],
    };
    const error = errorOf(() => installPlugin(broken));
    expect(error.code).toBe('E_DEFINITION');
    expect(error.message).toBe(
      "The plugin 'half' was not installed (nothing of it is registered): optimizers[0] 'signsgd' is malformed: " +
        'init and update must be functions.',
    );
    expect(snapshot()).toEqual(before);
    installPlugin({ ...broken, optimizers: [signsgd] });
    expect(activation.source('softsign')).toBe('half');
    expect(optimizer.source('signsgd')).toBe('half');
  });

  it('refuses a name repeated inside one plugin, registering nothing', () => {
    const before = snapshot();
    const error = errorOf(() =>
      installPlugin({ name: 'twice', activations: [softsign, { ...softsign }], losses: [l1] }),
    );
    expect(error.code).toBe('E_DUPLICATE');
    expect(error.message).toContain("it names the activation 'softsign' twice");
    expect(snapshot()).toEqual(before);
  });

  it('reports every clash with registered names in one message, registering nothing', () => {
    const before = snapshot();
    const error = errorOf(() =>
      installPlugin({
        name: 'clash',
        activations: [softsign, sigmoid],
        losses: [mse, l1],
        optimizers: [sgd],
      }),
    );
    expect(error.code).toBe('E_DUPLICATE');
    expect(error.message).toBe(
      "The plugin 'clash' was not installed (nothing of it is registered): it adds the activation 'sigmoid' " +
        "(from builtin), the loss 'mse' (from builtin), the optimizer 'sgd' (from builtin), already registered " +
        '(rename them in the plugin, or install the plugin with { replace: true } to override them).',
    );
    expect(snapshot()).toEqual(before);
    installPlugin({ name: 'clash', activations: [sigmoid] }, { replace: true });
    expect(activation.source('sigmoid')).toBe('clash');
  });

  it('lists every problem of every kind, malformed entries first by code', () => {
    const error = errorOf(() =>
      installPlugin({
        name: 'many',
        activations: [{ name: 'cube', f: (x: number) => x ** 3 } as never, sigmoid],
        losses: [{ name: 'l2' } as never],
        optimizers: [{ ...signsgd, defaults: { momentum: 0.9 } } as never, 42 as never],
        extra: [],
      } as Plugin),
    );
    expect(error.code).toBe('E_DEFINITION');
    expect(error.message).toContain("it has the unknown field 'extra'");
    expect(error.message).toContain("activations[0] 'cube' is malformed: it needs df(x, y) beside f(x)");
    expect(error.message).toContain(
      "it adds the activation 'sigmoid' (from builtin), already registered (rename it in the plugin",
    );
    expect(error.message).toContain("losses[0] 'l2' is malformed: it is none of");
    expect(error.message).toContain(
      "optimizers[0] 'signsgd' is malformed: its defaults must include a number lr",
    );
    expect(error.message).toContain('optimizers[1] is malformed: it is number, not an object');
  });

  it('calls each factory with its defaults at install and refuses one that builds the wrong shape', () => {
    const before = snapshot();
    const noDf = { name: 'half', defaults: { a: 1 }, create: () => ({ f: (x: number) => x / 2 }) };
    const nothing = { name: 'none', defaults: {}, create: () => undefined };
    const error = errorOf(() =>
      installPlugin({ name: 'factories', activations: [noDf as never, nothing as never] }),
    );
    expect(error.code).toBe('E_DEFINITION');
    expect(error.message).toBe(
      "The plugin 'factories' was not installed (nothing of it is registered): activations[0] 'half' is " +
        "malformed: its create({ a: 1 }) returned f(x) without df(x, y); activations[1] 'none' is malformed: its " +
        'create({}) returned nothing, not { f, df } or an activation { forward, backward }.',
    );
    expect(snapshot()).toEqual(before);
  });

  it('names the plugin and the entry when a factory throws with its defaults at install', () => {
    const throws = {
      name: 'picky',
      defaults: { a: -1 },
      create: ({ a }: { a: number }) => {
        if (a < 0) throw new RangeError(`a must be >= 0, got ${a}`);
        return { f: (x: number) => a * x, df: () => a };
      },
    };
    const error = errorOf(() => installPlugin({ name: 'thrower', activations: [throws] }));
    expect(error.message).toBe(
      "The plugin 'thrower' was not installed (nothing of it is registered): activations[0] 'picky' is " +
        'malformed: its create({ a: -1 }) threw RangeError: a must be >= 0, got -1.',
    );
  });

  it('accepts a factory whose create returns { f, df } alone, and one with required keys that refuses its example', () => {
    const bare = {
      name: 'bare',
      defaults: { a: 2 },
      create: ({ a }: { a: number }) => ({ f: (x: number) => a * x, df: () => a }),
    };
    const needs = {
      name: 'needs',
      defaults: { path: '' },
      required: ['path'] as const,
      create: ({ path }: { path: string }) => {
        if (path === '') throw new Error('path is required');
        return { f: (x: number) => x, df: () => 1 };
      },
    };
    installPlugin({ name: 'bare-plugin', activations: [bare, needs] });
    expect(activation.source('bare')).toBe('bare-plugin');
    expect(activation.source('needs')).toBe('bare-plugin');
  });

  it('refuses what is not a plugin, and a list that is not an array', () => {
    expect(errorOf(() => installPlugin(null as never)).code).toBe('E_PLUGIN');
    expect(errorOf(() => installPlugin({ activations: [] } as never)).code).toBe('E_PLUGIN');
    const error = errorOf(() => installPlugin({ name: 'x', losses: l1 } as never));
    expect(error.code).toBe('E_DEFINITION');
    expect(error.message).toContain('its field losses is an object with keys');
    expect(error.message).toContain('but must be a list of entries (losses: [{ name, ... }, ...])');
  });

  it('gives the same code for the same mistake whichever kind it is', () => {
    const codes = [
      { name: 'a', activations: [{ name: 'bad' } as never] },
      { name: 'l', losses: [{ name: 'bad' } as never] },
      { name: 'o', optimizers: [{ name: 'bad' } as never] },
    ].map((plugin) => errorOf(() => installPlugin(plugin)).code);
    expect(codes).toEqual(['E_DEFINITION', 'E_DEFINITION', 'E_DEFINITION']);
    const direct = [
      () => activation.register('bad', { name: 'bad' } as never),
      () => loss.register('bad', { name: 'bad' } as never),
      () => optimizer.register('bad', { name: 'bad' } as never),
    ].map((fn) => errorOf(fn).code);
    expect(direct).toEqual(['E_DEFINITION', 'E_DEFINITION', 'E_DEFINITION']);
    const taken = [
      () => activation.register('sigmoid', sigmoid),
      () => loss.register('mse', mse),
      () => optimizer.register('sgd', sgd),
    ].map((fn) => errorOf(fn).code);
    expect(taken).toEqual(['E_DUPLICATE', 'E_DUPLICATE', 'E_DUPLICATE']);
  });
});
