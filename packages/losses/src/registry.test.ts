import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { getLoss, huber, lossToJSON, losses, mse, registerLoss, toLoss } from './index.js';
import type { BuiltinLossName, Loss, LossFactory, PerSampleLossSpec } from './index.js';
import { thrown } from './testing/support.js';
import { installPlugin } from '@deltaflow/core';

const O = Tensor.fromNested(
  [
    [0.5, 3],
    [-2, 0],
  ],
  'float64',
);
const t = Tensor.fromNested(
  [
    [0, 0],
    [0, 0.25],
  ],
  'float64',
);

const absSum: PerSampleLossSpec = {
  name: 'abs-sum',
  f: (o, tt) => {
    let s = 0;
    for (let k = 0; k < o.length; k++) s += Math.abs(o[k]! - tt[k]!);
    return s;
  },
  df: (o, tt, out) => {
    for (let k = 0; k < o.length; k++) out[k] = Math.sign(o[k]! - tt[k]!);
  },
};

afterEach(() => {
  for (const name of ['abs-sum', 'my-loss', 'scaled']) losses.unregister(name);
});

describe('the loss registry', () => {
  it("a plugin factory's create may return the per-sample { f, df } alone: named after it, its config kept", () => {
    installPlugin({
      name: 'scaled-plugin',
      losses: [
        {
          name: 'scaled-l1',
          defaults: { scale: 1 },
          create: ({ scale }: { scale: number }) => ({
            f: (o: Float32Array | Float64Array, t: Float32Array | Float64Array) =>
              scale * Math.abs(o[0]! - t[0]!),
            df: (
              o: Float32Array | Float64Array,
              t: Float32Array | Float64Array,
              out: Float32Array | Float64Array,
            ) => {
              out[0] = scale * Math.sign(o[0]! - t[0]!);
            },
          }),
        },
      ],
    });
    const loss = getLoss({ name: 'scaled-l1', config: { scale: 2 } });
    expect(lossToJSON(loss)).toEqual({ name: 'scaled-l1', config: { scale: 2 } });
    expect(loss.forward(Tensor.fromNested([[1]]), Tensor.fromNested([[0.5]]))).toBe(1);
    losses.unregister('scaled-l1');
  });

  it('holds the five built-ins, from source builtin', () => {
    const names: BuiltinLossName[] = ['mse', 'mae', 'huber', 'binary-cross-entropy', 'cross-entropy'];
    expect(losses.names()).toEqual(names);
    for (const name of names) {
      expect(losses.source(name)).toBe('builtin');
      expect(getLoss(name).name).toBe(name);
    }
  });

  it('builds by name, by { name, config } and passes an instance through', () => {
    expect(getLoss('huber').forward(O, t)).toBe(huber().forward(O, t));
    const wide = getLoss({ name: 'huber', config: { delta: 4 } });
    expect(wide.config).toEqual({ delta: 4 });
    expect(wide.forward(O, t)).not.toBe(getLoss('huber').forward(O, t));
    expect(wide.forward(O, t)).toBe(huber({ delta: 4 }).forward(O, t));
    expect(getLoss({ name: 'mse' }).forward(O, t)).toBe(mse().forward(O, t));
    const mine = mse();
    expect(getLoss(mine)).toBe(mine);
  });

  it('names the registered losses when a name is unknown', () => {
    const error = thrown(() => getLoss('hinge'));
    expect(error).toBeInstanceOf(DeltaflowError);
    expect(error).toMatchObject({ code: 'E_UNKNOWN' });
    expect((error as Error).message).toMatch(
      /Unknown loss 'hinge'; registered: mse, mae, huber, binary-cross-entropy, cross-entropy/,
    );
  });

  it('refuses an unknown config key, naming it', () => {
    const error = thrown(() => getLoss({ name: 'huber', config: { beta: 2 } }));
    expect(error).toMatchObject({ code: 'E_CONFIG' });
    expect((error as Error).message).toMatch(/The loss 'huber' has no config key 'beta'/);
    expect(() => getLoss({ name: 'mse', config: { delta: 1 } })).toThrow(
      /The loss 'mse' has no config key 'delta'. It takes no parameters/,
    );
  });

  it('refuses a duplicate name unless replace is asked for', () => {
    const error = thrown(() => registerLoss({ ...absSum, name: 'mse' }));
    expect(error).toMatchObject({ code: 'E_DUPLICATE' });
    expect((error as Error).message).toMatch(/'mse' is already registered \(from builtin\)/);
    registerLoss(absSum, { source: 'my-plugin' });
    expect(() => registerLoss(absSum)).toThrow(/already registered \(from my-plugin\)/);
    registerLoss({ ...absSum, f: () => 42 }, { replace: true });
    expect(getLoss('abs-sum').forward(O, t)).toBe(42);
    expect(losses.source('abs-sum')).toBe('user');
  });

  it('takes a per-sample spec from a plugin, usable by name', () => {
    registerLoss(absSum, { source: 'my-plugin' });
    expect(losses.source('abs-sum')).toBe('my-plugin');
    const loss = getLoss('abs-sum');
    expect(loss.forward(O, t)).toBe(getLoss('mae').forward(O, t));
    expect(getLoss('abs-sum')).toBe(loss); // one adapter, so its row views are shared
  });

  it('takes a full Loss, and refuses to rebuild a fixed one with another config', () => {
    const mine: Loss = { ...huber({ delta: 2 }), name: 'my-loss' };
    registerLoss(mine);
    expect(getLoss('my-loss')).toBe(mine);
    expect(getLoss({ name: 'my-loss', config: { delta: 2 } })).toBe(mine);
    expect(() => getLoss({ name: 'my-loss', config: { delta: 3 } })).toThrow(
      /registered as a fixed instance, so its 'delta' cannot be set to 3/,
    );
  });

  it('takes a parametrised factory; config merged over its defaults', () => {
    const scaled: LossFactory<{ scale: number }> = {
      name: 'scaled',
      defaults: { scale: 1 },
      create: ({ scale }) => ({
        ...absSum,
        name: 'scaled',
        config: { scale },
        f: (o, tt) => scale * absSum.f(o, tt),
      }),
    };
    registerLoss(scaled, { source: 'my-plugin' });
    expect(getLoss('scaled').config).toEqual({ scale: 1 });
    expect(getLoss({ name: 'scaled', config: { scale: 3 } }).forward(O, t)).toBe(
      3 * getLoss('mae').forward(O, t),
    );
    expect(() => getLoss({ name: 'scaled', config: { scale: 'big' } })).toThrow(/must be a finite number/);
  });

  it('serialises as { name, config } and rebuilds from it', () => {
    expect(lossToJSON(getLoss('mse'))).toEqual({ name: 'mse' });
    const json = lossToJSON(getLoss({ name: 'huber', config: { delta: 0.5 } }));
    expect(json).toEqual({ name: 'huber', config: { delta: 0.5 } });
    const rebuilt = getLoss(JSON.parse(JSON.stringify(json)) as typeof json);
    expect(rebuilt.forward(O, t)).toBe(huber({ delta: 0.5 }).forward(O, t));
  });

  it('refuses entries that are no loss', () => {
    expect(() => toLoss({ name: 'half' } as never)).toThrow(
      /"half" has neither f and df .* nor forward and backward/,
    );
    expect(() => registerLoss({ ...absSum, name: '' })).toThrow(/A loss needs a non-empty name/);
    expect(() => getLoss(42 as never)).toThrow(/a name, a \{ name, config \} or a Loss/);
  });
});
