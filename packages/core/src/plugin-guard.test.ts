import { describe, expect, it } from 'vitest';
import { DeltaflowError } from './errors.js';
import { guardPluginEntry, unguarded } from './plugin-guard.js';

const thrown = (run: () => unknown): DeltaflowError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return error as DeltaflowError;
  }
  throw new Error('did not throw');
};

describe('guardPluginEntry', () => {
  it("turns what an activation's f throws into E_PLUGIN_THREW naming the plugin, the entry and f", () => {
    const entry = guardPluginEntry(
      {
        name: 'boom',
        f: (): number => {
          throw new Error('f exploded');
        },
        df: (x: number, y: number) => x + y,
      },
      'boom-plugin',
      'activation',
      'boom',
    );
    const error = thrown(() => entry.f());
    expect(error.code).toBe('E_PLUGIN_THREW');
    expect(error.message).toBe(
      "The activation 'boom' of the plugin 'boom-plugin' failed: its f threw Error: f exploded; fix the plugin, or run without it.",
    );
    expect((error.cause as Error).message).toBe('f exploded');
    expect(entry.df(2, 3)).toBe(5); // arguments and results pass through
  });

  it("guards an optimizer's init, what create returns, and methods of class instances", () => {
    const rule = guardPluginEntry(
      {
        name: 'badopt',
        init: () => {
          throw 'no state'; // not even an Error
        },
      },
      'opt-plugin',
      'optimizer',
      'badopt',
    );
    expect(thrown(() => rule.init()).message).toBe(
      "The optimizer 'badopt' of the plugin 'opt-plugin' failed: its init threw no state; fix the plugin, or run without it.",
    );
    const factory = guardPluginEntry(
      {
        name: 'scaled',
        create: () => ({
          f: (): number => {
            throw new RangeError('bad x');
          },
        }),
      },
      'p',
      'activation',
      'scaled',
    );
    expect(thrown(() => factory.create().f()).message).toMatch(
      /^The activation 'scaled' of the plugin 'p' failed: its f threw RangeError: bad x;/,
    );
    class Full {
      readonly name = 'full';
      scale = 2;
      forward(x: number): number {
        if (x < 0) throw new Error('negative');
        return x * this.scale;
      }
    }
    const full = guardPluginEntry(new Full(), 'p', 'activation', 'full');
    expect(full.forward(3)).toBe(6);
    expect(full.name).toBe('full');
    expect(thrown(() => full.forward(-1)).message).toMatch(/its forward threw Error: negative/);
  });

  it('lets a DeltaflowError the plugin throws itself pass unchanged (validate refusing an option)', () => {
    const own = new DeltaflowError('E_CONFIG', 'lr must be small.');
    const rule = guardPluginEntry(
      {
        validate: () => {
          throw own;
        },
      },
      'p',
      'optimizer',
      'x',
    );
    expect(thrown(() => rule.validate())).toBe(own);
  });
});

describe('unguarded', () => {
  it("gives the plugin's own function behind a guard, and any other function as it is", () => {
    const cube = { name: 'cube', f: (x: number) => x ** 3, df: (x: number) => 3 * x * x };
    const entry = guardPluginEntry(cube, 'my-plugin', 'activation', 'cube');
    expect(entry.f).not.toBe(cube.f);
    expect(unguarded(entry.f)).toBe(cube.f);
    expect(Function.prototype.toString.call(unguarded(entry.f))).toBe('(x) => x ** 3');
    expect(unguarded(cube.df)).toBe(cube.df);
  });
});
