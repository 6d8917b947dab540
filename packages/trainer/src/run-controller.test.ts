import { xor } from '@deltaflow/data';
import { FusedSmallNetwork, TinySgdNetwork, mlp } from '@deltaflow/network';
import { firstValueFrom, filter, lastValueFrom, toArray } from 'rxjs';
import { jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import { describe, expect, it, vi } from 'vitest';
import type { TrainingEvent } from './events.js';
import { createRun } from './run-controller.js';
import { eventNumbers } from '../test/event-numbers.js';

const seedNet = () => mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
const epochsOf = (events: TrainingEvent[]) =>
  events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `condition` holds (polling; a loaded machine may be slow), failing after `timeoutMs`. */
async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await wait(5);
  }
}

describe('createRun: one shared, controllable run', () => {
  it('two subscribers receive identical events and the training runs once', async () => {
    const model = seedNet();
    // a forward pass of the general path, of the fused small-network path or of the WebAssembly tiny-network
    // kernel
    const forward = vi.spyOn(model, 'forward');
    const fused = vi.spyOn(FusedSmallNetwork.prototype, 'forwardLoss');
    const tiny = vi.spyOn(TinySgdNetwork.prototype, 'epoch');
    const run = createRun(model, xor(), { epochs: 20, batchSize: 4, lr: 0.5 });
    const a = lastValueFrom(run.events$.pipe(toArray()));
    const b = lastValueFrom(run.events$.pipe(toArray()));
    const [eventsA, eventsB] = await Promise.all([a, b]);
    expect(eventsA).toEqual(eventsB);
    expect(epochsOf(eventsA)).toHaveLength(20);
    expect(forward.mock.calls.length + fused.mock.calls.length + tiny.mock.calls.length).toBe(20);
    fused.mockRestore(); // one full batch per epoch, once
    tiny.mockRestore();
  });

  it('a late subscriber still gets the start event first', async () => {
    const run = createRun(seedNet(), xor(), { epochs: 200, batchSize: 4, yieldEvery: 'epoch' });
    const early: TrainingEvent[] = [];
    run.events$.subscribe((e) => early.push(e));
    await firstValueFrom(run.events$.pipe(filter((e) => e.type === 'epoch' && e.epoch >= 5)));
    const late = await lastValueFrom(run.events$.pipe(toArray()));
    expect(late[0]!.type).toBe('start');
    expect(late[0]).toEqual(early[0]);
    expect(late[1]!.type).not.toBe('start');
    expect((late[1] as { epoch: number }).epoch).toBeGreaterThan(5);
    expect(late.at(-1)!.type).toBe('end');
  });

  it("with history 'all' a late subscriber gets every event so far", async () => {
    const run = createRun(seedNet(), xor(), { epochs: 30, batchSize: 4, history: 'all' });
    const all = await lastValueFrom(run.events$.pipe(toArray()));
    const late = await lastValueFrom(run.events$.pipe(toArray()));
    expect(late).toEqual(all);
  });

  it('a pause asked right after a resume or a step is announced: the state never stays running while held', async () => {
    const run = createRun(seedNet(), xor(), { epochs: 100_000, batchSize: 4, yieldEvery: 'epoch' });
    const events: TrainingEvent[] = [];
    let state = 'idle';
    run.state$.subscribe((s) => (state = s));
    run.pause();
    run.events$.subscribe((e) => events.push(e));
    await waitUntil(() => state === 'paused');
    for (const go of [() => run.resume(), () => run.step()]) {
      const before = epochsOf(events).length;
      go();
      run.pause(); // before the loop left the boundary
      await waitUntil(() => state === 'paused' && epochsOf(events).length === before + 1);
    }
    run.stop();
    await waitUntil(() => state === 'ended');
  });

  it('pause holds at an epoch boundary, step runs exactly one epoch, resume continues', async () => {
    const run = createRun(seedNet(), xor(), { epochs: 100_000, batchSize: 4, yieldEvery: 'epoch' });
    const events: TrainingEvent[] = [];
    const states: string[] = [];
    run.state$.subscribe((s) => states.push(s));
    run.pause();
    run.events$.subscribe((e) => events.push(e));
    await wait(30);
    expect(events.map((e) => e.type)).toEqual(['start']); // paused before the first epoch
    expect(states.at(-1)).toBe('paused');

    run.step();
    await waitUntil(() => epochsOf(events).length >= 1);
    await wait(30); // and no further epoch
    expect(epochsOf(events)).toEqual([1]);
    expect(events.slice(1).map((e) => e.type)).toEqual(['forward', 'backward', 'epoch']);
    run.step();
    await waitUntil(() => epochsOf(events).length >= 2);
    await wait(30);
    expect(epochsOf(events)).toEqual([1, 2]);
    expect(states.at(-1)).toBe('paused');

    run.resume();
    await waitUntil(() => epochsOf(events).length > 5);
    // Paused right after an epoch event (yieldEvery 'epoch' yields only there): one more epoch runs, and its
    // event carries the pause, so the state turns 'paused' instead of waiting silently as 'running'.
    const before = epochsOf(events).length;
    run.pause();
    await waitUntil(() => states.at(-1) === 'paused');
    const held = epochsOf(events).length;
    expect(held).toBe(before + 1);
    expect(states.at(-1)).toBe('paused');
    await wait(50);
    expect(epochsOf(events).length).toBe(held);

    run.stop();
    await waitUntil(() => events.at(-1)!.type === 'end');
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'end', reason: 'stopped', epochs: held });
    expect(states.at(-1)).toBe('ended');
  });

  // A lean run (one full batch per epoch) runs many epochs per slice in one loop: a command sent from an event
  // handler in the middle of a slice must still take effect at that very epoch, on the kernel path (WebAssembly)
  // and on the fused TypeScript path.
  const leanBackends = [jsBackend, loadWasmBackend()].filter((b) => b !== null);
  for (const backend of leanBackends) {
    it(`a pause or a stop sent from a handler in the middle of a lean slice holds at that epoch (${backend.name})`, async () => {
      const previous = setBackend(backend);
      try {
        const run = createRun(seedNet(), xor(), { epochs: 100_000, batchSize: 4, lr: 0.5 });
        const events: TrainingEvent[] = [];
        let state = 'idle';
        run.state$.subscribe((s) => (state = s));
        run.events$.subscribe((e) => {
          events.push(e);
          if (e.type === 'forward' && e.epoch === 300) run.pause(); // carried by epoch 300's epoch event
        });
        await waitUntil(() => state === 'paused');
        await wait(30);
        expect(epochsOf(events).at(-1)).toBe(300);
        expect(events.at(-1)).toMatchObject({ type: 'epoch', epoch: 300 });
        run.events$.subscribe((e) => {
          if (e.type === 'epoch' && e.epoch === 420) run.stop();
        });
        run.resume();
        await waitUntil(() => state === 'ended');
        expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'stopped', epochs: 420 });
        expect(epochsOf(events)).toEqual(Array.from({ length: 420 }, (_, i) => i + 1));
      } finally {
        setBackend(previous);
      }
    });
  }

  // A lean run's slices end inside its loop (the slice's time is up): the run goes on in the next slice with the
  // same numbers, however often that happens, on both lean paths.
  for (const backend of leanBackends) {
    it(`a lean run gives the same events in one slice or in a slice per epoch (${backend.name})`, async () => {
      const previous = setBackend(backend);
      try {
        const eventsOf = (yieldEvery: number) =>
          lastValueFrom(
            createRun(seedNet(), xor(), { epochs: 300, batchSize: 4, lr: 0.5, yieldEvery }).events$.pipe(
              toArray(),
            ),
          );
        const sliced = await eventsOf(0); // the time is up after every epoch
        const whole = await eventsOf(60_000);
        expect(epochsOf(sliced)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
        expect(sliced.map((e) => e.type)).toEqual(whole.map((e) => e.type));
        expect(eventNumbers(sliced)).toEqual(eventNumbers(whole));
      } finally {
        setBackend(previous);
      }
    });
  }

  it('changes the learning rate while running', async () => {
    const run = createRun(seedNet(), xor(), { epochs: 6, batchSize: 4, lr: 0.5, yieldEvery: 'epoch' });
    const lrs: number[] = [];
    run.events$.subscribe((e) => {
      if (e.type === 'epoch') {
        lrs.push(e.lr);
        if (e.epoch === 3) run.setLearningRate(0.1);
      }
    });
    await lastValueFrom(run.events$);
    expect(lrs).toEqual([0.5, 0.5, 0.5, 0.1, 0.1, 0.1]);
    expect(() => run.setLearningRate(-1)).toThrow(/learning rate must be a positive number/);
  });
});
