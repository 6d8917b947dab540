import type { TrainingEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { ReplayHistory } from './replay-history.js';

const start = { type: 'start' } as unknown as TrainingEvent;
const end = (epochs: number) => ({ type: 'end', reason: 'completed', epochs }) as unknown as TrainingEvent;
const at = (type: string, epoch: number) => ({ type, epoch }) as unknown as TrainingEvent;

describe('ReplayHistory', () => {
  it('holds a bounded, evenly spread history of any length, in stream order, with the newest of each', () => {
    const history = new ReplayHistory(100, 10);
    history.push(start);
    const epochs = 100_000;
    for (let e = 1; e <= epochs; e++) {
      history.push(at('batch', e));
      history.push(at('forward', e));
      history.push(at('backward', e));
      history.push(at('epoch', e));
      if (e % 50 === 0) history.push(at('checkpoint', e));
    }
    history.push(end(epochs));
    const events = history.snapshot();
    const of = (type: string) =>
      events.filter((e) => e.type === type).map((e) => (e as { epoch: number }).epoch);
    expect(events[0]).toBe(start);
    expect(events.at(-1)).toEqual(end(epochs));
    for (const type of ['epoch', 'backward']) {
      const kept = of(type);
      expect(kept.length).toBeGreaterThanOrEqual(50);
      expect(kept.length).toBeLessThanOrEqual(101);
      expect(kept[0]).toBe(1);
      expect(kept.at(-1)).toBe(epochs);
      // Evenly spread: one stride between all but the newest.
      const gaps = new Set(kept.slice(1, -1).map((e, i) => e - kept[i]!));
      expect(gaps.size).toBe(1);
    }
    const checkpoints = of('checkpoint');
    expect(checkpoints.length).toBeLessThanOrEqual(11);
    expect(checkpoints.at(-1)).toBe(epochs);
    expect(of('forward')).toContain(epochs);
    expect(of('batch')).toContain(epochs);
    expect(events.length).toBeLessThan(250);
    // Stream order: by epoch, and within an epoch batch, forward, backward, epoch, checkpoint.
    const last = events.slice(-6, -1).map((e) => e.type);
    expect(last).toEqual(['batch', 'forward', 'backward', 'epoch', 'checkpoint']);
    const numbers = events.slice(1, -1).map((e) => (e as { epoch: number }).epoch);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });
});
