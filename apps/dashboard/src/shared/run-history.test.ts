import type { TrainingEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { epochEvent } from '../../test/helpers/fixtures.js';
import { RunHistory } from './run-history.js';
import { StrideThinning, halve } from './thin.js';

const start: TrainingEvent = {
  type: 'start',
  config: {} as never,
  model: {} as never,
};
const forward = (n: number): TrainingEvent => ({ type: 'forward', epoch: n, loss: 1 / n, metrics: {} });
const backward = (n: number): TrainingEvent => ({ type: 'backward', epoch: n, layers: [] });
const end = (n: number): TrainingEvent => ({
  type: 'end',
  reason: 'completed',
  epochs: n,
  model: {} as never,
});

function feed(history: RunHistory, epochs: number): void {
  history.push(start);
  for (let n = 1; n <= epochs; n++) {
    history.push(forward(n));
    history.push(backward(n));
    history.push(epochEvent(n));
  }
}

describe('RunHistory', () => {
  it('holds a short run whole, in stream order', () => {
    const history = new RunHistory(100);
    feed(history, 3);
    history.push(end(3));
    expect(history.snapshot().map((e) => `${e.type}${'epoch' in e ? e.epoch : ''}`)).toEqual([
      'start',
      'backward1',
      'epoch1',
      'backward2',
      'epoch2',
      'forward3',
      'backward3',
      'epoch3',
      'end',
    ]);
    expect(history.ended).toBe(true);
  });

  it('stays within its capacity however long the run, from the first epoch to the newest', () => {
    const history = new RunHistory(50);
    feed(history, 100_000);
    const events = history.snapshot();
    const epochs = events.filter((e) => e.type === 'epoch').map((e) => e.epoch);
    expect(epochs.length).toBeLessThanOrEqual(51);
    expect(epochs.length).toBeGreaterThan(25);
    expect(epochs[0]).toBe(1);
    expect(epochs[epochs.length - 1]).toBe(100_000);
    expect([...epochs].sort((a, b) => a - b)).toEqual(epochs);
    expect(history.size).toBe(events.length);
    expect(history.size).toBeLessThanOrEqual(2 * 50 + 7);
    expect(history.lastEpoch?.epoch).toBe(100_000);
  });

  it('keeps the same epochs as the chart rule (StrideThinning) applied to every epoch', () => {
    const history = new RunHistory(16);
    feed(history, 1000);
    const rule = new StrideThinning(16);
    let kept: number[] = [];
    for (let n = 1; n <= 1000; n++) {
      if (!rule.offer()) continue;
      kept.push(n);
      if (rule.full(kept.length)) kept = halve(kept);
    }
    const epochs = history
      .snapshot()
      .filter((e) => e.type === 'epoch')
      .map((e) => e.epoch);
    expect(epochs).toEqual([...kept, 1000]);
  });

  it('begins again at a new start event', () => {
    const history = new RunHistory(10);
    feed(history, 30);
    history.push(end(30));
    history.push(start);
    expect(history.snapshot()).toEqual([start]);
    expect(history.ended).toBe(false);
  });

  it('holds a thinned set of checkpoints and the first and newest samples with the replay options', () => {
    const history = new RunHistory({ capacity: 100, checkpoints: 10, samples: 2 });
    const at = (type: string, epoch: number) => ({ type, epoch }) as unknown as TrainingEvent;
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
      expect(kept.length).toBeLessThanOrEqual(100);
      expect(kept[0]).toBe(1);
      expect(kept.at(-1)).toBe(epochs);
      // Evenly spread: one stride between all but the newest.
      const gaps = new Set(kept.slice(1, -1).map((e, i) => e - kept[i]!));
      expect(gaps.size).toBe(1);
    }
    const checkpoints = of('checkpoint');
    expect(checkpoints.length).toBeGreaterThanOrEqual(5);
    expect(checkpoints.length).toBeLessThanOrEqual(10);
    expect(checkpoints[0]).toBe(50);
    expect(checkpoints.at(-1)).toBe(epochs);
    expect(of('forward')).toEqual([1, epochs]);
    expect(of('batch')).toEqual([1, epochs]);
    expect(history.size).toBe(events.length);
    expect(events.length).toBeLessThanOrEqual(2 * 100 + 10 + 2 * 2 + 2);
    // Stream order: by epoch, and within an epoch batch, forward, backward, epoch, checkpoint.
    const last = events.slice(-6, -1).map((e) => e.type);
    expect(last).toEqual(['batch', 'forward', 'backward', 'epoch', 'checkpoint']);
    const numbers = events.slice(1, -1).map((e) => (e as { epoch: number }).epoch);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('keeps only the newest checkpoint, batch and forward events by default', () => {
    const history = new RunHistory(10);
    history.push(start);
    for (let n = 1; n <= 5; n++) {
      history.push({ type: 'batch', epoch: n, batch: 0, loss: 1 });
      history.push(forward(n));
      history.push({ type: 'checkpoint', epoch: n, model: {} as never });
    }
    const types = history.snapshot().map((e) => `${e.type}${'epoch' in e ? e.epoch : ''}`);
    expect(types).toEqual(['start', 'batch5', 'forward5', 'checkpoint5']);
  });
});
