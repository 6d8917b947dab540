import { describe, expect, it } from 'vitest';
import { DecimatedSeries } from './series.js';

describe('DecimatedSeries', () => {
  it('keeps every point until full, then every other, always ending on the newest', () => {
    const s = new DecimatedSeries(1, 8);
    for (let i = 1; i <= 5; i++) s.push(i, [i * 10]);
    expect(s.data()).toEqual([
      [1, 2, 3, 4, 5],
      [10, 20, 30, 40, 50],
    ]);
    for (let i = 6; i <= 21; i++) s.push(i, [i * 10]);
    const [x, y] = s.data();
    expect(x.length).toBeLessThanOrEqual(9);
    expect(x[0]).toBe(1);
    expect(x[x.length - 1]).toBe(21);
    expect(y![y!.length - 1]).toBe(210);
    expect(s.count).toBe(21);
    expect(new Set(x.slice(1, -1).map((v, i) => v - x[i]!)).size).toBe(1);
  });

  it('lets a caller skip the points it would not keep, ending on the newest', () => {
    const offered = new DecimatedSeries(1, 8);
    const skipping = new DecimatedSeries(1, 8);
    for (let i = 1; i <= 40; i++) {
      offered.push(i, [i * 10]);
      if (i < 40 && !skipping.keepsNext) skipping.skip();
      else skipping.push(i, [i * 10]);
    }
    expect(skipping.data()).toEqual(offered.data());
    expect(skipping.count).toBe(40);
  });

  it('clears', () => {
    const s = new DecimatedSeries(2);
    s.push(1, [1, null]);
    s.clear();
    expect(s.data()).toEqual([[], [], []]);
  });
});
