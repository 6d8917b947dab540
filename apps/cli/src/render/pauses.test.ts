import type { RunState } from '@deltaflow/trainer';
import { BehaviorSubject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { watchPauses } from './pauses.js';

describe('watchPauses', () => {
  it('tells each pause and each resume after it, once the announcing event is out, and nothing else', async () => {
    const state$ = new BehaviorSubject<RunState>('idle');
    const told: string[] = [];
    watchPauses({ state$ }, (paused) => told.push(paused ? 'paused' : 'resumed'));
    for (const state of ['running', 'paused', 'paused', 'running', 'paused', 'ended'] as const) {
      state$.next(state);
    }
    // told only after the current synchronous work (the epoch event that carries the pause)
    expect(told).toEqual([]);
    await Promise.resolve();
    expect(told).toEqual(['paused', 'resumed', 'paused']);
  });
});
