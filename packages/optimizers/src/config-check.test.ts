import { DeltaflowError } from '@deltaflow/core';
import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { createOptimizer, getOptimizerRule, getSchedule, registerOptimizer } from './index.js';

/** The code and message of what `fn` throws. */
function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return { code: (error as DeltaflowError).code, message: (error as Error).message };
  }
  throw new Error('expected a DeltaflowError');
}

const params = [{ name: 'w', value: Tensor.zeros([2], 'float64'), grad: Tensor.zeros([2], 'float64') }];

describe('the optimizer and schedule tables use the core checker and codes', () => {
  it('optimizer: names an unknown option with a suggestion, refuses a number that is not finite (E_CONFIG)', () => {
    expect(thrown(() => createOptimizer('sgd', params, { weight_decay: 0.1 }))).toEqual({
      code: 'E_CONFIG',
      message:
        "The optimizer 'sgd' has no config key 'weight_decay'; did you mean 'weightDecay'? " +
        'Its keys: lr, momentum, dampening, weightDecay, nesterov.',
    });
    const error = thrown(() => getOptimizerRule({ name: 'adam', config: { lr: Infinity } }));
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toContain("config key 'lr' must be a finite number");
  });

  it('schedule: names an unknown key with a suggestion, refuses a number that is not finite (E_CONFIG)', () => {
    expect(thrown(() => getSchedule({ name: 'step-decay', config: { stepsize: 2 } }))).toEqual({
      code: 'E_CONFIG',
      message:
        "The schedule 'step-decay' has no config key 'stepsize'; did you mean 'stepSize'? Its keys: stepSize, gamma.",
    });
    const error = thrown(() => getSchedule({ name: 'exponential-decay', config: { gamma: Number.NaN } }));
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toContain("config key 'gamma' must be a finite number");
  });

  it('gives E_DEFINITION for a malformed rule, E_DUPLICATE for a taken name, E_UNKNOWN for a missing one', () => {
    expect(thrown(() => registerOptimizer({ name: 'half', defaults: { lr: 1 } } as never)).code).toBe(
      'E_DEFINITION',
    );
    const sgd = getOptimizerRule('sgd');
    expect(thrown(() => registerOptimizer({ ...sgd })).code).toBe('E_DUPLICATE');
    expect(thrown(() => getOptimizerRule('nope')).code).toBe('E_UNKNOWN');
    expect(thrown(() => getSchedule({ name: 'nope' })).code).toBe('E_UNKNOWN');
  });
});
