import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrainingClock } from './clock.js';

/** A fake performance.now: `advance` moves it; `reads` counts the calls. */
function fakeTime() {
  let time = 1000;
  const spy = vi.spyOn(performance, 'now').mockImplementation(() => time);
  return {
    advance: (ms: number) => {
      time += ms;
    },
    reads: () => spy.mock.calls.length,
  };
}

describe('TrainingClock', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads the clock about every 0.05 ms of training: once per batch for slow batches, rarely for fast ones', () => {
    const time = fakeTime();
    const clock = new TrainingClock();
    clock.resume();
    // Slow batches (1 ms): a read after every one.
    for (let b = 1; b <= 3; b++) {
      time.advance(1);
      clock.batchDone(b * 10);
    }
    expect(time.reads()).toBe(1 + 3);
    expect(clock.trainingMs).toBe(3);
    expect(clock.samplesPerSecond).toBe(10_000);
    // Fast batches (0.001 ms): after one read at that speed, the next comes 50 batches later.
    const before = time.reads();
    for (let b = 0; b < 101; b++) {
      time.advance(0.001);
      clock.batchDone(30 + b);
    }
    expect(time.reads() - before).toBe(3); // after batch 1, then 51, then 101
    expect(clock.trainingMs).toBeCloseTo(3.101, 9);
    expect(clock.samples).toBe(130);
  });

  it('never counts time spent waiting between slices as training', () => {
    const time = fakeTime();
    const clock = new TrainingClock();
    clock.resume();
    time.advance(2);
    clock.batchDone(4);
    clock.read(4);
    time.advance(500); // yielded or paused
    clock.resume();
    time.advance(1);
    clock.read(8);
    expect(clock.trainingMs).toBe(3);
    expect(clock.samplesPerSecond).toBeCloseTo(8 / 0.003, 6);
  });
});
