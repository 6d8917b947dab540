import { describe, expect, it } from 'vitest';
import { StrideThinning, halve } from './thin.js';

describe('StrideThinning', () => {
  it('keeps at most its capacity, evenly spaced from the first point, the stride doubling', () => {
    const rule = new StrideThinning(8);
    let kept: number[] = [];
    for (let n = 0; n < 100; n++) {
      if (!rule.offer()) continue;
      kept.push(n);
      if (rule.full(kept.length)) kept = halve(kept);
    }
    expect(rule.count).toBe(100);
    expect(kept.length).toBeLessThan(8);
    expect(kept[0]).toBe(0);
    const gaps = new Set(kept.slice(1).map((v, i) => v - kept[i]!));
    expect(gaps.size).toBe(1);
    rule.reset();
    expect(rule.count).toBe(0);
    expect(rule.keepsNext).toBe(true);
  });
});
