import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { createOptimizer, getOptimizerRule, getSchedule, registerOptimizer } from './index.js';

/** A DeltaflowError with code E_CONFIG and `message` (a string or a matcher). */
const configError = (message: unknown) => expect.objectContaining({ code: 'E_CONFIG', message });
const containing = (text: string) => expect.stringContaining(text);

const params = [{ name: 'w', value: Tensor.zeros([2], 'float64'), grad: Tensor.zeros([2], 'float64') }];
const code = (expected: string) => expect.objectContaining({ code: expected });

describe('the optimizer and schedule tables use the core checker and codes', () => {
  it('optimizer: names an unknown option with a suggestion, refuses a number that is not finite (E_CONFIG)', () => {
    expect(() => createOptimizer('sgd', params, { weight_decay: 0.1 })).toThrow(
      configError(
        "The optimizer 'sgd' has no config key 'weight_decay'; did you mean 'weightDecay'? " +
          'Its keys: lr, momentum, dampening, weightDecay, nesterov.',
      ),
    );
    expect(() => getOptimizerRule({ name: 'adam', config: { lr: Infinity } })).toThrow(
      configError(containing("config key 'lr' must be a finite number")),
    );
  });

  it('schedule: names an unknown key with a suggestion, refuses a number that is not finite (E_CONFIG)', () => {
    expect(() => getSchedule({ name: 'step-decay', config: { stepsize: 2 } })).toThrow(
      configError(
        "The schedule 'step-decay' has no config key 'stepsize'; did you mean 'stepSize'? Its keys: stepSize, gamma.",
      ),
    );
    expect(() => getSchedule({ name: 'exponential-decay', config: { gamma: Number.NaN } })).toThrow(
      configError(containing("config key 'gamma' must be a finite number")),
    );
  });

  it('gives E_DEFINITION for a malformed rule, E_DUPLICATE for a taken name, E_UNKNOWN for a missing one', () => {
    expect(() => registerOptimizer({ name: 'half', defaults: { lr: 1 } } as never)).toThrow(
      code('E_DEFINITION'),
    );
    expect(() => registerOptimizer({ ...getOptimizerRule('sgd') })).toThrow(code('E_DUPLICATE'));
    expect(() => getOptimizerRule('nope')).toThrow(code('E_UNKNOWN'));
    expect(() => getSchedule({ name: 'nope' })).toThrow(code('E_UNKNOWN'));
  });
});
