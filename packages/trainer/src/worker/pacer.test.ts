import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from './pacer.js';

/** A run that records what the pacer asked, and a clock the test moves. */
function setup(rate: number | null) {
  let now = 0;
  const calls: string[] = [];
  const pacer = new Pacer(
    rate,
    { hold: () => calls.push('hold'), release: () => calls.push('release') },
    () => now,
  );
  const advance = (ms: number): void => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };
  return { pacer, calls, advance };
}

describe('Pacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets epoch k start (k - 1) / rate seconds after a resume, holding the run in between', () => {
    const { pacer, calls, advance } = setup(10); // an epoch every 100 ms
    pacer.resume(0);
    expect(calls).toEqual(['release']);
    advance(30);
    pacer.beforeEpochEvent(1); // epoch 1 ends at 30 ms; epoch 2 is due at 100 ms
    expect(calls).toEqual(['release', 'hold']);
    expect(pacer.holding).toBe(true);
    advance(69);
    expect(calls).toEqual(['release', 'hold']);
    advance(1);
    expect(calls).toEqual(['release', 'hold', 'release']);
    expect(pacer.holding).toBe(false);
    advance(150); // epoch 2 took 150 ms: epoch 3 was due at 200 ms, so it starts at once
    pacer.beforeEpochEvent(2);
    expect(calls.at(-1)).toBe('release');
    expect(pacer.holding).toBe(false);
  });

  it('never holds as fast as possible, and a new rate applies from now', () => {
    const { pacer, calls, advance } = setup(null);
    pacer.resume(0);
    advance(1);
    pacer.beforeEpochEvent(1);
    expect(calls).toEqual(['release']);
    pacer.setRate(2, 1); // an epoch every 500 ms from now
    advance(10);
    pacer.beforeEpochEvent(2);
    expect(pacer.holding).toBe(true);
    pacer.setRate(null, 2); // as fast as possible again: the held run goes at once
    expect(pacer.holding).toBe(false);
    expect(calls).toEqual(['release', 'hold', 'release']);
  });

  it('a pause during a pacing hold keeps the run held as the caller’s pause; pause, step and stop end pacing', () => {
    const { pacer, calls, advance } = setup(1);
    pacer.resume(0);
    advance(5);
    pacer.beforeEpochEvent(1);
    expect(pacer.holding).toBe(true);
    pacer.pause();
    expect(pacer.holding).toBe(false); // now the caller's hold: shown as paused
    advance(5000);
    expect(calls).toEqual(['release', 'hold']); // no release from the cancelled timer
    const stepped = vi.fn();
    pacer.step(stepped);
    expect(stepped).toHaveBeenCalledOnce();
    pacer.beforeEpochEvent(2); // a step's epoch: no pacing
    expect(calls).toEqual(['release', 'hold']);
    const stopped = vi.fn();
    pacer.stop(stopped);
    expect(stopped).toHaveBeenCalledOnce();
  });

  it('restarts its schedule after falling far behind, instead of a burst to catch up', () => {
    const { pacer, calls, advance } = setup(10);
    pacer.resume(0);
    advance(5000); // epoch 1 took 5 s
    pacer.beforeEpochEvent(1);
    expect(pacer.holding).toBe(false); // epoch 2 starts now...
    advance(10);
    pacer.beforeEpochEvent(2); // ...and epoch 3 is due 100 ms after that, not at once
    expect(pacer.holding).toBe(true);
    expect(calls).toEqual(['release', 'hold']);
  });
});
