import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { mergeOptions } from './config.js';
import { fraction, integer, number, parseColumns, parseLayers, parseRow } from './parse.js';
import { checkTrainRequest } from './train-request.js';

describe('flag values', () => {
  it('parses hidden layer sizes and refuses anything else', () => {
    expect(parseLayers('4')).toEqual([4]);
    expect(parseLayers(' 8, 4 ')).toEqual([8, 4]);
    expect(parseLayers([16, 8])).toEqual([16, 8]);
    for (const bad of ['', '4,,4', '0', '-3', '4,x', '2.5', [], 'none'])
      expect(() => parseLayers(bad)).toThrow(UsageError);
  });

  it('parses input rows of exactly the model width', () => {
    expect(parseRow('0.05, 0.10', 2)).toEqual([0.05, 0.1]);
    expect(parseRow('-1,1e-3', 2)).toEqual([-1, 0.001]);
    expect(() => parseRow('0,', 2)).toThrow(/'' is not a finite number/);
    expect(() => parseRow('0,NaN', 2)).toThrow(/'NaN' is not a finite number/);
    expect(() => parseRow('1', 2)).toThrow(/has 1 values but the model takes 2 inputs/);
  });

  it('checks numbers, counts, fractions and column lists', () => {
    expect(integer('--epochs', 0, 0)).toBe(0);
    expect(() => integer('--batch-size', 0, 1)).toThrow(
      '--batch-size must be a whole number of at least 1, got 0.',
    );
    expect(() => number('--lr', 0, { positive: true })).toThrow('--lr must be a positive number, got 0.');
    expect(number('--momentum', 0)).toBe(0);
    expect(() => fraction('--validation-split', 1)).toThrow(UsageError);
    expect(parseColumns('--target', 't1, t2')).toEqual(['t1', 't2']);
    expect(() => parseColumns('--target', 't1,')).toThrow(UsageError);
  });
});

describe('train options', () => {
  it('fills the seed defaults and lets flags win over a config file', () => {
    const request = checkTrainRequest(
      mergeOptions({ epochs: 5, layers: [3], plugin: ['a'] }, { epochs: 7, plugin: ['b'], _: [] }),
    );
    expect(request).toMatchObject({
      data: 'xor',
      epochs: 7,
      layers: [3],
      seed: 42,
      optimizer: 'sgd',
      shuffle: true,
      normalize: false,
    });
    expect(mergeOptions({ plugin: ['a'] }, { plugin: ['b'] }).plugin).toEqual(['a', 'b']);
  });

  it('takes --dashboard-wait only with --dashboard', () => {
    expect(checkTrainRequest({ dashboard: '', dashboardWait: true })).toMatchObject({
      dashboard: 0,
      dashboardWait: true,
    });
    expect(checkTrainRequest({}).dashboardWait).toBe(false);
    expect(() => checkTrainRequest({ dashboardWait: true })).toThrow(
      '--dashboard-wait waits for a dashboard page to connect: add --dashboard.',
    );
  });

  it('reads --dropout as one rate or one per hidden layer, and refuses rates outside [0, 1)', () => {
    expect(checkTrainRequest({ dropout: '0.2' }).dropout).toBe(0.2);
    expect(checkTrainRequest({ dropout: '0.2,0.1' }).dropout).toEqual([0.2, 0.1]);
    expect(checkTrainRequest({ dropout: [0.5, 0] }).dropout).toEqual([0.5, 0]);
    for (const bad of ['1', '-0.1', 'x', '0.2,', '']) {
      expect(() => checkTrainRequest({ dropout: bad })).toThrow(/^--dropout takes one rate in \[0, 1\)/);
    }
    expect(() => checkTrainRequest({ init: 'm.json', dropout: '0.2' })).toThrow(
      '--dropout cannot be combined with --init',
    );
  });

  it('refuses architecture flags with --init and NaN from yargs', () => {
    expect(() => checkTrainRequest({ init: 'm.json', outputActivation: 'linear' })).toThrow(
      '--output-activation cannot be combined with --init',
    );
    expect(() => checkTrainRequest({ lr: Number.NaN })).toThrow('--lr must be a number.');
    expect(() => checkTrainRequest({ activation: 'nope' })).toThrow(
      /--activation: unknown activation 'nope'; registered: sigmoid.*a plugin may add it \(--plugin MODULE\)/,
    );
  });
});
