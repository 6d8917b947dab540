import { describe, expect, it } from 'vitest';
import { checkConfig, checkConfigValue, suggest } from './config.js';
import { DeltaflowError } from './errors.js';

/** Matches a DeltaflowError with `code` (and `message`, a string or an asymmetric matcher, when given). */
const failure = (code: string, message?: unknown) =>
  expect.objectContaining(message === undefined ? { code } : { code, message });
const containing = (text: string) => expect.stringContaining(text);

describe('checkConfig', () => {
  const defaults = { negativeSlope: 0.01, mode: 'fast', exact: false };

  it('merges a partial config over the defaults and freezes the result', () => {
    const config = checkConfig('activation', 'leaky', { negativeSlope: 0.2 }, defaults);
    expect(config).toEqual({ negativeSlope: 0.2, mode: 'fast', exact: false });
    expect(Object.isFrozen(config)).toBe(true);
    expect(checkConfig('activation', 'leaky', undefined, defaults)).toEqual(defaults);
    expect(checkConfig('activation', 'leaky', { mode: undefined }, defaults)).toEqual(defaults);
  });

  it('names an unknown key with the closest accepted one', () => {
    expect(() => checkConfig('activation', 'leaky', { negative_slope: 0.2 }, defaults)).toThrow(
      failure(
        'E_CONFIG',
        "The activation 'leaky' has no config key 'negative_slope'; did you mean 'negativeSlope'? " +
          'Its keys: negativeSlope, mode, exact.',
      ),
    );
    expect(() => checkConfig('loss', 'mse', { delta: 1 }, {})).toThrow(
      failure('E_CONFIG', "The loss 'mse' has no config key 'delta'. It takes no parameters."),
    );
  });

  it('refuses values of another type and numbers that are not finite', () => {
    for (const value of [Number.NaN, Infinity, -Infinity, '0.2', null, true]) {
      expect(() => checkConfig('optimizer', 'sgd', { negativeSlope: value }, defaults)).toThrow(
        failure('E_CONFIG', containing("config key 'negativeSlope' must be a finite number")),
      );
    }
    expect(() => checkConfig('x', 'y', { exact: 1 }, defaults)).toThrow(
      failure('E_CONFIG', containing('boolean')),
    );
    expect(() => checkConfig('x', 'y', [1], defaults)).toThrow(
      failure('E_CONFIG', containing('config object')),
    );
    expect(() => checkConfig('x', 'y', 'fast', defaults)).toThrow(failure('E_CONFIG'));
  });

  it('asks for required keys', () => {
    expect(() =>
      checkConfig('schedule', 'cosine-annealing', {}, { tMax: 100, etaMin: 0 }, { required: ['tMax'] }),
    ).toThrow(failure('E_CONFIG', containing("needs the config key 'tMax'")));
  });

  it('checkConfigValue raises E_CONFIG for range checks', () => {
    expect(() => checkConfigValue(true, 'loss', 'huber', 'delta must be > 0')).not.toThrow();
    expect(() => checkConfigValue(false, 'loss', 'huber', 'delta must be > 0, got -1')).toThrow(
      failure('E_CONFIG', "The loss 'huber': delta must be > 0, got -1."),
    );
  });
});

describe('suggest', () => {
  it('finds typos, case and separator differences, and nothing far away', () => {
    expect(suggest('momentom', ['lr', 'momentum', 'nesterov'])).toBe('momentum');
    expect(suggest('weight_decay', ['weightDecay'])).toBe('weightDecay');
    expect(suggest('LR', ['lr'])).toBe('lr');
    expect(suggest('gamma', ['lr', 'momentum'])).toBeUndefined();
  });
});

describe('DeltaflowError', () => {
  it('keeps its code and its cause', () => {
    const cause = new TypeError('inner');
    const error = new DeltaflowError('E_MODEL', 'Model m.json: bad.', { cause });
    expect(error.code).toBe('E_MODEL');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('DeltaflowError');
  });
});
