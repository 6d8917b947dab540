import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { adam, createOptimizer, getOptimizerRule, optimizers, registerOptimizer, sgd } from './index.js';
import type { OptimizerRule } from './index.js';

// The plugin example of the CLI README: sign SGD, W <- W - eta * sign(dE/dW).
const signsgd: OptimizerRule<{ lr: number }> = {
  name: 'signsgd',
  defaults: { lr: 0.01 },
  init: () => ({}),
  update: (param, grad, _state, options) => {
    for (let i = 0; i < param.length; i++) param[i] = param[i]! - options.lr * Math.sign(grad[i]!);
  },
};

const param = () => ({
  name: 'w',
  value: Tensor.fromArray([1, 2, 3], [3], 'float64'),
  grad: Tensor.fromArray([0.5, -2, 0], [3], 'float64'),
});

afterEach(() => {
  optimizers.unregister('signsgd');
  optimizers.unregister('counting');
});

describe('optimizer registry', () => {
  it('has the built-ins, marked builtin', () => {
    expect(optimizers.names()).toEqual(
      expect.arrayContaining(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']),
    );
    for (const name of ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'])
      expect(optimizers.source(name)).toBe('builtin');
    expect(getOptimizerRule('adam')).toBe(adam);
  });

  it('registers a plugin rule and runs it through createOptimizer', () => {
    registerOptimizer(signsgd, { source: 'my-plugin' });
    expect(optimizers.source('signsgd')).toBe('my-plugin');
    const p = param();
    const optimizer = createOptimizer('signsgd', [p], { lr: 0.5 });
    optimizer.step();
    expect(Array.from(p.value.data)).toEqual([0.5, 2.5, 3]);
    expect(optimizer.stateDict()).toEqual({
      name: 'signsgd',
      step: 1,
      options: { lr: 0.5 },
      states: [{ name: 'w', size: 3, state: {} }],
    });
  });

  it('refuses a duplicate name unless replace is asked for', () => {
    registerOptimizer(signsgd);
    expect(() => registerOptimizer(signsgd)).toThrow(/already registered/);
    expect(() => registerOptimizer({ ...sgd })).toThrow(DeltaflowError);
    expect(() => registerOptimizer({ ...sgd })).toThrow(/'sgd' is already registered \(from builtin\)/);
    const faster = { ...signsgd, defaults: { lr: 1 } };
    registerOptimizer(faster, { replace: true });
    expect(getOptimizerRule('signsgd').defaults.lr).toBe(1);
  });

  it('refuses malformed rules', () => {
    expect(() =>
      registerOptimizer({ name: '', defaults: { lr: 1 }, init: () => ({}), update: () => {} }),
    ).toThrow(/name/);
    expect(() =>
      registerOptimizer({ name: 'x', defaults: {} as { lr: number }, init: () => ({}), update: () => {} }),
    ).toThrow(/lr/);
    expect(() => registerOptimizer({ name: 'x', defaults: { lr: 1 } } as unknown as OptimizerRule)).toThrow(
      /init and update/,
    );
  });

  it('accepts a name, { name, config } or a rule object', () => {
    expect(getOptimizerRule('sgd')).toBe(sgd);
    const configured = getOptimizerRule({ name: 'sgd', config: { lr: 0.5, momentum: 0.9 } });
    expect(configured.name).toBe('sgd');
    expect(configured.defaults).toEqual({ ...sgd.defaults, lr: 0.5, momentum: 0.9 });
    expect(sgd.defaults.lr).toBe(0.001);
    expect(getOptimizerRule(signsgd)).toBe(signsgd);

    const p = param();
    const optimizer = createOptimizer({ name: 'sgd', config: { lr: 0.5, momentum: 0.9 } }, [p], {
      momentum: 0.5,
    });
    expect(optimizer.options).toMatchObject({ lr: 0.5, momentum: 0.5 });
    optimizer.step();
    expect(Array.from(p.value.data)).toEqual([1 - 0.5 * 0.5, 2 + 0.5 * 2, 3]);
    expect(createOptimizer(signsgd, [param()]).name).toBe('signsgd');
  });

  it('names the registered optimizers for an unknown name, and checks configs', () => {
    expect(() => getOptimizerRule('adamax')).toThrow(
      /Unknown optimizer 'adamax'; registered: sgd, adam, adamw, rmsprop, adagrad/,
    );
    expect(() => getOptimizerRule({ name: 'adam', config: { betas: 0.9 } })).toThrow(
      /The optimizer 'adam' has no config key 'betas'/,
    );
    expect(() => getOptimizerRule({ name: 'adam', config: { beta1: 2 } })).toThrow(/beta1/);
    expect(() => getOptimizerRule(42 as unknown as string)).toThrow(/Expected an optimizer name/);
  });

  it('lets a plugin rule validate its options', () => {
    registerOptimizer({
      ...signsgd,
      name: 'counting',
      validate: (options) => {
        if (options.lr > 1)
          throw new DeltaflowError('E_CONFIG', `counting: lr must be <= 1, got ${options.lr}.`);
      },
    });
    expect(() => createOptimizer('counting', [param()], { lr: 2 })).toThrow(/lr must be <= 1/);
    const optimizer = createOptimizer('counting', [param()]);
    expect(() => (optimizer.lr = 5)).toThrow(/lr must be <= 1/);
    expect(optimizer.lr).toBe(0.01);
  });
});
