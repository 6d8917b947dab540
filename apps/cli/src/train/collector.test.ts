import { describe, expect, it } from 'vitest';
import { LOSS_CAPACITY, RunCollector } from './collector.js';

const epoch = (n: number) =>
  ({
    type: 'epoch',
    epoch: n,
    loss: n,
    valLoss: -n,
    metrics: {},
    elapsedMs: 0,
    samplesPerSecond: 0,
    lr: 0.1,
  }) as const;

describe('RunCollector', () => {
  it('keeps every loss of a short run', () => {
    const run = new RunCollector();
    for (let n = 1; n <= 100; n++) run.observe(epoch(n));
    expect(run.losses).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(run.valLosses).toHaveLength(100);
    expect(run.epochs).toBe(100);
  });

  it('keeps at most LOSS_CAPACITY losses of a long run, evenly spaced from the first epoch', () => {
    const run = new RunCollector();
    for (let n = 1; n <= 1_000_000; n++) run.observe(epoch(n));
    expect(run.epochs).toBe(1_000_000);
    expect(run.losses.length).toBeLessThan(LOSS_CAPACITY);
    expect(run.losses.length).toBeGreaterThan(LOSS_CAPACITY / 4);
    expect(run.losses[0]).toBe(1);
    expect(run.losses[1]! - run.losses[0]!).toBe(run.stride);
    expect(run.valLosses).toEqual(run.losses.map((l) => -l));
    expect(run.lastEpoch?.epoch).toBe(1_000_000);
  });
});
