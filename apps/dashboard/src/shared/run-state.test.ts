import type { TrainingEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { RunStateTracker } from './run-state.js';

const start = { type: 'start' } as TrainingEvent;
const epoch = { type: 'epoch', epoch: 1 } as TrainingEvent;
const end = { type: 'end' } as TrainingEvent;

describe('RunStateTracker', () => {
  it('holds after the epoch in which pause or step was asked', () => {
    const tracker = new RunStateTracker('running');
    expect(tracker.state).toBe('idle');
    expect(tracker.event(start)).toBe('running');
    expect(tracker.command('pause')).toBe('running');
    expect(tracker.event(epoch)).toBe('paused');
    expect(tracker.command('step')).toBe('running');
    expect(tracker.event(epoch)).toBe('paused');
    expect(tracker.command('resume')).toBe('running');
    expect(tracker.event(epoch)).toBe('running');
    expect(tracker.event(end)).toBe('ended');
    expect(tracker.command('resume')).toBe('ended');
  });

  it('starts paused for a run created paused', () => {
    const tracker = new RunStateTracker('paused');
    expect(tracker.event(start)).toBe('paused');
    expect(tracker.command('step')).toBe('running');
    expect(tracker.event(epoch)).toBe('paused');
  });
});
