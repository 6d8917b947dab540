import { describe, expect, it } from 'vitest';
import { CliError, describeError, oneLine, UsageError } from '../errors.js';
import { formatDuration, formatMetrics, formatNumber, formatOutput, metricLabel, plural } from './format.js';
import { downsample, lossChart } from './summary.js';

describe('formatting', () => {
  it('formats numbers, metrics, durations and counts', () => {
    expect(formatNumber(0.0012345678)).toBe('0.00123457');
    expect(formatNumber(0.00001234)).toBe('1.23400e-5');
    expect(formatNumber(null)).toBe('-');
    expect(formatNumber(1.997e18, 4)).toBe('1.997e+18');
    expect(formatOutput(0.7513650695523157)).toBe('0.75136507');
    expect(formatMetrics({ accuracy: 0.975, mse: 0.5 })).toEqual([
      ['accuracy', '97.5%'],
      ['mse', '0.5'],
    ]);
    expect(formatMetrics({ valAccuracy: 0.5, valMse: 0.25 })).toEqual([
      ['validation accuracy', '50%'],
      ['validation mse', '0.25'],
    ]);
    expect([metricLabel('valAccuracy', true), metricLabel('mae'), metricLabel('valR2')]).toEqual([
      'val accuracy',
      'mae',
      'validation R2',
    ]);
    expect(formatDuration(1534)).toBe('1.53 s');
    expect(formatDuration(61_000)).toBe('1 min 1 s');
    expect([plural(1, 'epoch'), plural(2, 'epoch')]).toEqual(['1 epoch', '2 epochs']);
  });

  it('downsamples a loss curve keeping both ends, and charts it on a log scale when it falls far', () => {
    expect(downsample([1, 2, 3, 4, 5], 3)).toEqual([1, 3, 5]);
    expect(lossChart([1], [], 40)).toBe('');
    const chart = lossChart([1, 0.1, 0.01, 0.001], [], 40);
    expect(chart.split('\n')[0]).toBe('training loss per epoch (log scale), epochs 1 to 4:');
    expect(chart).toContain('0.001');
  });

  it('prints errors as one line, with the stack only when verbose', () => {
    expect(oneLine('a\n  b.')).toBe('a b.');
    expect(describeError(new UsageError('bad'), false)).toEqual({ text: 'deltaflow: bad\n', exitCode: 2 });
    const unexpected = describeError(new TypeError('x is undefined'), true);
    expect(unexpected.exitCode).toBe(70);
    expect(unexpected.text).toMatch(
      /^deltaflow: internal error \(a bug in deltaflow or a plugin\): TypeError: x is undefined\.\nTypeError: x is undefined\n +at /,
    );
    const quiet = describeError(new TypeError('x is undefined'), false);
    expect(quiet.text).toBe(
      'deltaflow: internal error (a bug in deltaflow or a plugin): TypeError: x is undefined; run again with --verbose for its stack trace, and please report it.\n',
    );
    const wrapped = new CliError('Cannot write --events run.jsonl.', { cause: new Error('EFBIG: too big') });
    const withCause = describeError(wrapped, true);
    expect(withCause.exitCode).toBe(1);
    expect(withCause.text).toMatch(
      /^deltaflow: Cannot write --events run.jsonl.\nCliError: [^]*Caused by: Error: EFBIG/,
    );
    expect(describeError(wrapped, false).text).toBe('deltaflow: Cannot write --events run.jsonl.\n');
  });
});
