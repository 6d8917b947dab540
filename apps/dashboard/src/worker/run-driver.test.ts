import type { TrainingEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { RunDriver } from './run-driver.js';
import type { PaceTimers, Steerable } from './run-driver.js';

/**
 * A stand-in for a trainer run created paused: it records the driver's calls and, like the trainer, runs one
 * epoch per `step`, or epochs until paused after `resume`. `finishEpoch` ends the epoch under way (if any) and
 * tells the driver, as the epoch event does.
 */
class FakeRun implements Steerable {
  calls: string[] = [];
  epoch = 0;
  /** Epochs the run may still start: 'free' while resumed. */
  budget: number | 'free' = 0;
  driver!: RunDriver;

  pause(): void {
    this.calls.push('pause');
    // the trainer's pause rule: the epoch under way ends, then it holds
    if (this.budget === 'free') this.budget = 1;
  }
  resume(): void {
    this.calls.push('resume');
    this.budget = 'free';
  }
  step(): void {
    this.calls.push('step');
    this.budget = 1;
  }
  stop(): void {
    this.calls.push('stop');
  }
  get free(): boolean {
    return this.budget === 'free';
  }
  /** Runs one epoch if the run may; returns whether it did. */
  runEpoch(): boolean {
    if (this.budget === 0) return false;
    if (this.budget !== 'free') this.budget--;
    this.epoch++;
    this.driver.event({ type: 'epoch', epoch: this.epoch } as TrainingEvent);
    return true;
  }
}

/** A virtual clock with timers that fire when the clock is advanced. */
function virtualTimers(): PaceTimers & { advance(ms: number, run: FakeRun): void } {
  let now = 0;
  let timers: { at: number; work: () => void }[] = [];
  return {
    now: () => now,
    set(work, ms) {
      const timer = { at: now + ms, work };
      timers.push(timer);
      return timer;
    },
    clear(handle) {
      timers = timers.filter((t) => t !== handle);
    },
    /** Moves time on by `ms` in 1 ms ticks; the run trains whatever epochs it may at each tick. */
    advance(ms, run) {
      for (let i = 0; i < ms; i++) {
        now++;
        const due = timers.filter((t) => t.at <= now);
        timers = timers.filter((t) => t.at > now);
        for (const t of due) t.work();
        if (run.budget === 'free') run.runEpoch();
        else while (run.runEpoch() && !run.free);
      }
    },
  };
}

function setup(rate: number | null) {
  const run = new FakeRun();
  const timers = virtualTimers();
  const driver = new RunDriver(run, rate, timers);
  run.driver = driver;
  driver.event({ type: 'start' } as TrainingEvent);
  return { run, timers, driver };
}

describe('RunDriver', () => {
  it('paces a run at the asked epochs per second, and showing it as running', () => {
    const { run, timers, driver } = setup(10);
    expect(driver.state).toBe('paused');
    expect(driver.command('resume')).toBe('running');
    timers.advance(999, run);
    // epochs 1..10 start at 0, 100, ..., 900 ms; the 11th is due at 1000 ms
    expect(run.epoch).toBe(10);
    expect(driver.state).toBe('running');
    expect(run.calls.every((c) => c === 'step')).toBe(true);
    timers.advance(2000, run);
    expect(run.epoch).toBe(30);
    expect(driver.state).toBe('running');
  });

  it('changes speed on the fly, and runs free when asked for as fast as possible', () => {
    const { run, timers, driver } = setup(5);
    driver.command('resume');
    timers.advance(999, run);
    expect(run.epoch).toBe(5);
    driver.setRate(null);
    expect(run.calls.at(-1)).toBe('resume');
    timers.advance(10, run);
    expect(run.epoch).toBe(15);
    driver.setRate(100);
    // the epoch under way carries the hold, then 100 per second
    expect(run.calls.at(-1)).toBe('pause');
    timers.advance(100, run);
    expect(run.epoch).toBeGreaterThanOrEqual(25);
    expect(run.epoch).toBeLessThanOrEqual(27);
    expect(driver.state).toBe('running');
  });

  it('counts every step: three quick steps run three epochs, and the run stays paused', () => {
    const { run, timers, driver } = setup(null);
    driver.command('step');
    driver.command('step');
    driver.command('step');
    expect(driver.state).toBe('paused');
    timers.advance(5, run);
    expect(run.epoch).toBe(3);
    expect(driver.state).toBe('paused');
    timers.advance(50, run);
    expect(run.epoch).toBe(3);
  });

  it('pauses at once between paced epochs, and after the epoch under way otherwise', () => {
    const paced = setup(2);
    paced.driver.command('resume');
    paced.timers.advance(100, paced.run);
    expect(paced.run.epoch).toBe(1);
    expect(paced.driver.command('pause')).toBe('paused');
    paced.timers.advance(3000, paced.run);
    expect(paced.run.epoch).toBe(1);

    const free = setup(null);
    free.driver.command('resume');
    free.timers.advance(10, free.run);
    expect(free.driver.command('pause')).toBe('running');
    free.timers.advance(10, free.run);
    expect(free.driver.state).toBe('paused');
    const held = free.run.epoch;
    free.timers.advance(100, free.run);
    expect(free.run.epoch).toBe(held);
  });

  it('stops the run, and an ended run takes no more commands', () => {
    const { run, driver } = setup(10);
    driver.command('resume');
    driver.command('stop');
    expect(run.calls.at(-1)).toBe('stop');
    driver.event({ type: 'end' } as TrainingEvent);
    expect(driver.command('resume')).toBe('ended');
    expect(run.calls.at(-1)).toBe('stop');
  });
});
