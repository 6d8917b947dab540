import '@deltaflow/optimizers';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { checkFlags, orList } from './check-flags.js';
import type { FlagTable } from './check-flags.js';
import { checkOptimizerFlags } from './optimizer-flags.js';

const table: FlagTable = {
  key: { epochs: true, lr: true, save: true, dtype: true, shuffle: true, plugin: true, dashboard: true },
  number: ['epochs', 'lr'],
  string: ['save', 'dtype', 'plugin', 'dashboard'],
  boolean: ['shuffle'],
  array: ['plugin'],
  choices: { dtype: ['float32', 'float64'] },
};
const check = (...tokens: string[]): void =>
  checkFlags(['train', ...tokens], table, { command: 'train', optionalValue: ['dashboard'] });

describe('checkFlags', () => {
  it('accepts flags as yargs reads them', () => {
    expect(() =>
      check('--epochs', '5', '--lr=0.1', '--save', 'm.json', '--no-shuffle', '--dtype', 'float64'),
    ).not.toThrow();
    expect(() => check('--plugin', 'a.mjs', '--plugin', 'b.mjs', '--dashboard')).not.toThrow();
    expect(() => check('--lr=-0.5', '--save', '-')).not.toThrow();
    expect(() => check('--', '--epoch', '--epochs', '1', '--epochs', '2')).not.toThrow();
  });

  it('names the closest flag of a mistyped one, or the help', () => {
    expect(() => check('--epoch', '5')).toThrow('Unknown argument --epoch; did you mean --epochs?');
    expect(() => check('--no-shufle')).toThrow('did you mean --no-shuffle?');
    expect(() => check('--learning-rate', '1')).toThrow('see deltaflow train --help for the flags.');
  });

  it('refuses a flag with no value, unless its value is optional', () => {
    expect(() => check('--lr')).toThrow(UsageError);
    expect(() => check('--lr', '--epochs', '1')).toThrow('--lr needs a value: write --lr NUMBER');
    expect(() => check('--save')).toThrow('--save needs a value: write --save VALUE');
    expect(() => check('--dashboard', '--epochs', '1')).not.toThrow();
  });

  it('shows a bad number or choice as given, and refuses a flag given twice', () => {
    expect(() => check('--epochs', 'abc')).toThrow("--epochs must be a number, got 'abc'.");
    expect(() => check('--epochs=')).toThrow("--epochs must be a number, got ''.");
    expect(() => check('--dtype', 'float16')).toThrow("--dtype must be float32 or float64, got 'float16'.");
    expect(() => check('--epochs', '2', '--epochs=3')).toThrow(
      '--epochs was given twice (2 and 3); give it once.',
    );
    expect(() => check('--shuffle', '--no-shuffle', '--shuffle')).toThrow(
      '--shuffle was given 3 times (--shuffle, --no-shuffle and --shuffle); give it once.',
    );
  });

  it('writes lists as prose', () => {
    expect(orList(['a'])).toBe('a');
    expect(orList(['a', 'b'])).toBe('a or b');
    expect(orList(['a', 'b', 'c'], 'and')).toBe('a, b and c');
  });
});

describe('checkOptimizerFlags', () => {
  it('names the flags an optimizer takes, not its option names', () => {
    expect(() =>
      checkOptimizerFlags({ optimizer: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true }),
    ).not.toThrow();
    expect(() => checkOptimizerFlags({ optimizer: 'adam', momentum: 0.9 })).toThrow(
      '--momentum does not apply to --optimizer adam, which takes --lr and --weight-decay; --momentum is for sgd and rmsprop.',
    );
    expect(() => checkOptimizerFlags({ optimizer: 'not-registered', momentum: 0.9 })).not.toThrow();
  });
});
