import { describe, expect, it } from 'vitest';
import { coldFraction, scaledPlan } from './measure.js';
import type { WorkloadSetup } from './measure.js';
import { atLeast, verdicts } from './verdicts.js';
import { W1, W2, W3, initialWeights, xorData } from './workloads.js';

describe('round-2 verdicts', () => {
  it('judge by wall time and by CPU time, each on its own', () => {
    // a loaded machine: wall says no, CPU says yes
    const wall = { wall: 1.1, cpu: 0.7 };
    expect(verdicts((c) => wall[c] <= 0.8)).toBe(' -> wall NOT MET, cpu MET');
    expect(verdicts(() => true)).toBe(' -> wall MET, cpu MET');
    expect(verdicts((c) => (c === 'cpu' ? false : undefined))).toBe(' -> wall n/a, cpu NOT MET');
    expect(verdicts(() => undefined)).toBe('');
  });

  it('ratios against a goal', () => {
    expect(atLeast(10, 1, 10)).toBe(true);
    expect(atLeast(9.9, 1, 10)).toBe(false);
    expect(atLeast(undefined, 1, 10)).toBeUndefined();
  });
});

describe('the cold run', () => {
  it('is the same work for every library: W1 the full 5,000 epochs, batch or per-sample', () => {
    const setup: WorkloadSetup = {
      workload: W1,
      weights: initialWeights(W1),
      data: xorData(),
      fullEpochs: 5000,
    };
    expect(coldFraction(W1)).toBe(1);
    for (const perSample of [false, true]) {
      const plan = scaledPlan(setup, coldFraction(W1), perSample);
      expect(plan.epochs).toBe(5000);
      expect(plan.data.rows).toBe(4);
    }
    expect(coldFraction(W2)).toBe(coldFraction(W3));
    expect(coldFraction(W2)).toBeLessThan(1);
  });
});
