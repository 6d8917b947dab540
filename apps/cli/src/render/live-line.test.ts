import { describe, expect, it } from 'vitest';
import { formatEta, liveLine, shortRate } from './live-line.js';
import type { LiveState } from './live-line.js';

const classifier: LiveState = {
  epoch: 1234,
  epochs: 2000,
  loss: 0.0049671234,
  valLoss: 0.0051234567,
  metricName: 'acc',
  metric: 0.9875,
  valMetric: 0.96125,
  samplesPerSecond: 123456.7,
  etaSeconds: 3725,
};
const { valLoss: _l, valMetric: _m, ...noValidation } = classifier;
const regressor: LiveState = { ...classifier, metricName: 'mse', metric: 0.00123456, valMetric: 0.00134567 };

describe('the live progress line', () => {
  it('shows everything on a wide terminal, validation accuracy included', () => {
    expect(liveLine(classifier, 200)).toBe(
      'epoch 1234/2000 ███████████████████░░░░░░░░░░░ 61% | loss 0.0049671 | val loss 0.0051235 | acc 98.75% | val acc 96.13% | 123,457 samples/s | ETA 1h02m',
    );
  });

  for (const columns of [60, 80, 120]) {
    for (const [name, state] of [
      ['with validation', classifier],
      ['without validation', noValidation],
      ['for regression', regressor],
    ] as const) {
      it(`fits in ${columns} columns ${name}, keeping loss, the metric, samples/s and the ETA`, () => {
        const line = liveLine(state, columns - 1);
        expect(line.length).toBeLessThanOrEqual(columns - 1);
        expect(line).toMatch(/loss 0\.00497|loss 0\.0049671/);
        expect(line).toMatch(state.metricName === 'acc' ? /acc 98\.\d+%/ : /mse 0\.00123/);
        expect(line).toMatch(/123k(\/s| samples\/s)|123,457 samples\/s/);
        expect(line).toMatch(/ETA 1h02m$/);
      });
    }
  }

  it('keeps the validation values at 80 and 120 columns, and the bar where there is room', () => {
    expect(liveLine(classifier, 119)).toBe(
      'epoch 1234/2000 ███████░░░░░  loss 0.0049671  val loss 0.0051235  acc 98.75%  val acc 96.13%  123k samples/s  ETA 1h02m',
    );
    expect(liveLine(classifier, 79)).toBe(
      '1234/2000  loss 0.00497 (val 0.00512)  acc 98.8% (val 96.1%)  123k/s  ETA 1h02m',
    );
    expect(liveLine(noValidation, 79)).toBe(
      '1234/2000 █████████░░░░░  loss 0.0049671  acc 98.75%  123k samples/s  ETA 1h02m',
    );
    expect(liveLine(classifier, 59)).toBe('1234/2000  loss 0.00497  acc 98.8%  123k/s  ETA 1h02m');
  });

  it('shows a note such as "paused from the page" instead of the ETA, at every width', () => {
    const paused = { ...classifier, note: 'paused from the page' };
    expect(liveLine(paused, 200)).toMatch(/123,457 samples\/s \| paused from the page$/);
    expect(liveLine(paused, 200)).not.toMatch(/ETA/);
    for (const columns of [60, 80, 120]) expect(liveLine(paused, columns)).toMatch(/paused from the page$/);
  });

  it('shows dashes before the first epoch', () => {
    const line = liveLine({ epoch: 0, epochs: 10, metricName: 'acc' }, 79);
    expect(line).toMatch(/loss - .*acc - .*- samples\/s.*ETA -$/);
  });

  it('abbreviates rates and times', () => {
    expect([shortRate(987.4), shortRate(12345), shortRate(123456), shortRate(1234567)]).toEqual([
      '987',
      '12.3k',
      '123k',
      '1.23M',
    ]);
    expect([
      formatEta(45.2),
      formatEta(187),
      formatEta(7500),
      formatEta(Number.NaN),
      formatEta(Infinity),
    ]).toEqual(['45s', '3m07s', '2h05m', '-', '-']);
  });
});
