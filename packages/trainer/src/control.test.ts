import { describe, expect, it, vi } from 'vitest';
import { INITIAL_CONTROL, RunControl, holdsAtBoundary, nextControlState } from './control.js';
import type { ControlCommand, ControlState, RunState } from './control.js';

/** A state from the few fields a row cares about. */
const s = (fields: Partial<ControlState>): ControlState => ({ ...INITIAL_CONTROL, ...fields });

const running = s({ status: 'running' });
const runningPaused = s({ status: 'running', paused: true }); // pause asked, not yet announced
const paused = s({ status: 'paused', paused: true, announced: true }); // held at a boundary
const stepping = s({ status: 'running', paused: true, steps: 1 });
const ended = s({ status: 'ended' });

const cmd = (type: Exclude<ControlCommand['type'], 'learning-rate'>): ControlCommand => ({ type });

// [name, state, command, expected state]
const table: [string, ControlState, ControlCommand, ControlState][] = [
  // start: the start event announces a pause asked before it
  ['start, not paused', INITIAL_CONTROL, cmd('start'), running],
  ['start after a pause', s({ paused: true }), cmd('start'), paused],
  [
    'start after a step',
    s({ paused: true, steps: 1 }),
    cmd('start'),
    s({ status: 'running', paused: true, steps: 1 }),
  ],
  ['start twice', running, cmd('start'), running],
  // pause: holds at the next boundary; the status changes only with the announcement
  ['pause before start', INITIAL_CONTROL, cmd('pause'), s({ paused: true })],
  ['pause while running', running, cmd('pause'), runningPaused],
  ['pause while stepping', stepping, cmd('pause'), runningPaused],
  ['pause while paused', paused, cmd('pause'), paused],
  // resume and step
  ['resume before start', s({ paused: true }), cmd('resume'), INITIAL_CONTROL],
  ['resume while paused', paused, cmd('resume'), running],
  ['resume a pause not yet announced', runningPaused, cmd('resume'), running],
  ['step before start', INITIAL_CONTROL, cmd('step'), s({ paused: true, steps: 1 })],
  ['step while paused', paused, cmd('step'), stepping],
  ['step while running', running, cmd('step'), s({ status: 'running', paused: true, steps: 1 })],
  // stop: ends after the current batch, never holds
  ['stop while running', running, cmd('stop'), s({ status: 'running', stopping: true })],
  ['stop while paused', paused, cmd('stop'), s({ status: 'paused', stopping: true, announced: true })],
  // epoch-finished: the epoch event announces a pause; a step is used up
  ['epoch while running', running, cmd('epoch-finished'), running],
  ['epoch after a pause (the pause rule)', runningPaused, cmd('epoch-finished'), paused],
  ['epoch of a step', stepping, cmd('epoch-finished'), paused],
  [
    'epoch after resume clears the announcement',
    s({ status: 'running', announced: true }),
    cmd('epoch-finished'),
    running,
  ],
  // learning rate: a mailbox the loop empties
  ['learning rate', running, { type: 'learning-rate', lr: 0.1 }, s({ status: 'running', learningRate: 0.1 })],
  ['learning rate applied', s({ status: 'running', learningRate: 0.1 }), cmd('lr-applied'), running],
  // ended: final
  ['end while running', runningPaused, cmd('ended'), ended],
  ['end while idle (bad options)', INITIAL_CONTROL, cmd('ended'), ended],
  ['pause after the end', ended, cmd('pause'), ended],
  ['resume after the end', ended, cmd('resume'), ended],
  ['step after the end', ended, cmd('step'), ended],
  ['start after the end', ended, cmd('start'), ended],
];

describe('nextControlState: the run-control state machine', () => {
  it.each(table)('%s', (_name, state, command, expected) => {
    const before = JSON.stringify(state);
    expect(nextControlState(state, command)).toEqual(expected);
    expect(JSON.stringify(state)).toBe(before); // pure: the old state is untouched
  });

  it('an epoch of a running run changes nothing and allocates nothing (the same object)', () => {
    expect(nextControlState(running, cmd('epoch-finished'))).toBe(running);
    expect(nextControlState(running, cmd('lr-applied'))).toBe(running);
  });

  // [state, whether the loop waits at an epoch boundary]
  const holds: [string, ControlState, boolean][] = [
    ['running', running, false],
    ['a pause asked right after an epoch event: one more epoch runs', runningPaused, false],
    ['a pause announced by an epoch event', paused, true],
    ['a pause announced by the start event', nextControlState(s({ paused: true }), cmd('start')), true],
    ['a step left', stepping, false],
    ['stopping', nextControlState(paused, cmd('stop')), false],
    // a pause right after a resume or a step, before the loop left the boundary: announced by one more epoch
    [
      'paused, resumed, paused again',
      nextControlState(nextControlState(paused, cmd('resume')), cmd('pause')),
      false,
    ],
    [
      'paused, stepped, paused again',
      nextControlState(nextControlState(paused, cmd('step')), cmd('pause')),
      false,
    ],
  ];
  it.each(holds)('holdsAtBoundary: %s -> %s', (_name, state, expected) => {
    expect(holdsAtBoundary(state)).toBe(expected);
  });
});

describe('RunControl', () => {
  it('reports each change of status once, and wakes a waiting loop on resume, step and stop', () => {
    const statuses: RunState[] = [];
    const control = new RunControl((status) => statuses.push(status));
    const wake = vi.fn();
    control.send({ type: 'pause' });
    control.send({ type: 'start' });
    expect(control.holdsAtBoundary()).toBe(true);
    control.waitWith(wake);
    control.send({ type: 'pause' });
    expect(wake).not.toHaveBeenCalled();
    control.send({ type: 'step' });
    expect(wake).toHaveBeenCalledTimes(1);
    control.send({ type: 'epoch-finished' });
    control.send({ type: 'epoch-finished' }); // already paused: no second report
    control.waitWith(wake);
    control.send({ type: 'stop' });
    expect(wake).toHaveBeenCalledTimes(2);
    control.send({ type: 'ended' });
    control.send({ type: 'resume' });
    expect(statuses).toEqual(['paused', 'running', 'paused', 'ended']);
  });

  it('epochFinished (the hot path) gives the same states as the state machine, epoch after epoch', () => {
    const statuses: RunState[] = [];
    const control = new RunControl((status) => statuses.push(status));
    control.send({ type: 'start' });
    const running = control.state;
    control.epochFinished();
    control.epochFinished();
    expect(control.state).toBe(running); // nothing changed, nothing allocated
    control.send({ type: 'pause' });
    control.epochFinished(); // the pause rule: this epoch's event announces the pause
    expect(control.state).toEqual(
      nextControlState(nextControlState(running, cmd('pause')), cmd('epoch-finished')),
    );
    control.send({ type: 'resume' });
    control.epochFinished(); // the announcement is cleared by the next epoch
    expect(control.state.announced).toBe(false);
    control.send({ type: 'step' });
    control.epochFinished();
    expect(statuses).toEqual(['running', 'paused', 'running', 'paused']);
    expect(control.holdsAtBoundary()).toBe(true);
  });
});
