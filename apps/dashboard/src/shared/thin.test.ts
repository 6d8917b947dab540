import type { TrainingEvent } from '@deltaflow/trainer';
import { from } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { StrideThinning, halve, thinEvents } from './thin.js';

const batch = (n: number): TrainingEvent => ({ type: 'batch', epoch: 1, batch: n, loss: 1 });
const epoch = (n: number): TrainingEvent => ({
  type: 'epoch',
  epoch: n,
  loss: 1,
  metrics: {},
  elapsedMs: 0,
  samplesPerSecond: 0,
  lr: 0.1,
});

describe('thinEvents', () => {
  it('keeps every epoch event and at most one batch event per interval, in order and undelayed', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const values = {
        a: batch(1),
        b: batch(2),
        c: batch(3),
        d: batch(4),
        e: epoch(1),
        f: epoch(2),
        g: epoch(3),
      };
      const source = cold('a-b-e-c-d-f-g|', values);
      expectObservable(source.pipe(thinEvents(5, () => scheduler.now()))).toBe('a---e-c---f-g|', values);
    });
  });

  it('thins batch, forward and backward events each on its own clock, and never start or end', () => {
    const end: TrainingEvent = {
      type: 'end',
      reason: 'completed',
      epochs: 1,
      model: { format: 'deltaflow-model', version: 1, layers: [] },
    };
    const events: TrainingEvent[] = [
      batch(1),
      { type: 'forward', epoch: 1, loss: 1, metrics: {} },
      { type: 'backward', epoch: 1, layers: [] },
      batch(2),
      { type: 'forward', epoch: 2, loss: 1, metrics: {} },
      epoch(1),
      end,
    ];
    const seen: string[] = [];
    from(events)
      .pipe(thinEvents(10, () => 0))
      .subscribe((e) => seen.push(e.type));
    expect(seen).toEqual(['batch', 'forward', 'backward', 'epoch', 'end']);
  });
});

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
