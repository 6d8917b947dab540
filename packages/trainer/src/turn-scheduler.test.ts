import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainingEvent } from './events.js';
import { train } from './train.js';
import { turnScheduler } from './turn-scheduler.js';

const seedNet = () => mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the default scheduler of train(): a turn of the event loop, not a timer', () => {
  it('runs a whole training with every timer frozen (asyncScheduler would wait on a timer forever)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const events = await lastValueFrom(
      train(seedNet(), xor(), { epochs: 20, batchSize: 4, yieldEvery: 'epoch' }).pipe(toArray()),
    );
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'completed', epochs: 20 });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(20);
  });

  it('lets timers and I/O run while a long training goes on', async () => {
    let epoch = 0;
    let ended = false;
    const subscription = train(seedNet(), xor(), {
      epochs: 1_000_000,
      batchSize: 4,
      yieldEvery: 'epoch',
    }).subscribe({
      next: (e: TrainingEvent) => {
        if (e.type === 'epoch') epoch = e.epoch;
      },
      complete: () => {
        ended = true;
      },
    });
    // a timer and a file read, both started after the training, both done while it still runs
    const timer = new Promise<number>((resolve) => setTimeout(() => resolve(epoch), 5));
    const io = readFile(fileURLToPath(import.meta.url), 'utf8').then((text) => ({ epoch, text }));
    const [timerEpoch, read] = await Promise.all([timer, io]);
    expect(read.text).toContain('lets timers and I/O run');
    expect(ended).toBe(false);
    expect(timerEpoch).toBeGreaterThan(0);
    expect(timerEpoch).toBeLessThan(1_000_000);
    expect(read.epoch).toBeLessThan(1_000_000);
    subscription.unsubscribe();
  });

  it('cancels a scheduled turn on unsubscribe, and a positive delay is a timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const ran: string[] = [];
    turnScheduler.schedule(() => ran.push('turn')).unsubscribe();
    turnScheduler.schedule(() => ran.push('timer'), 10);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(ran).toEqual(['timer']);
  });

  it('takes a MessageChannel task where there is no setImmediate (a browser)', async () => {
    vi.stubGlobal('setImmediate', undefined);
    const ran: number[] = [];
    turnScheduler.schedule(() => ran.push(1)).unsubscribe();
    const events = await lastValueFrom(
      train(seedNet(), xor(), { epochs: 5, batchSize: 4, yieldEvery: 'epoch' }).pipe(toArray()),
    );
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(5);
    expect(ran).toEqual([]);
  });
});
