import { xor } from '@deltaflow/data';
import { FusedSmallNetwork, TinySgdNetwork, mlp } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import { lastValueFrom, map, take, tap, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it, vi } from 'vitest';
import type { TrainingEvent } from './events.js';
import { train } from './train.js';

const seedNet = (seed = 42) => mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed });

const types = (events: TrainingEvent[]) => events.map((e) => e.type);

describe('train(): the event stream', () => {
  it('emits start, then forward, backward, epoch for each of 3 epochs, then end (marble test)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const letters: Record<string, string> = {
        start: 's',
        forward: 'f',
        backward: 'b',
        epoch: 'e',
        end: 'z',
      };
      const events$ = train(seedNet(), xor(), {
        epochs: 3,
        batchSize: 4,
        lr: 0.5,
        yieldEvery: 'epoch',
        scheduler,
      });
      // everything happens in virtual frame 0; the marble fixes the order
      expectObservable(events$.pipe(map((e) => letters[e.type]!))).toBe('(sfbefbefbez|)');
    });
  });

  it('carries the model in the end event and numbers epochs from 1', async () => {
    const events = await lastValueFrom(
      train(seedNet(), xor(), { epochs: 3, batchSize: 4, lr: 0.5 }).pipe(toArray()),
    );
    expect(types(events)).toEqual([
      'start',
      ...Array(3).fill(['forward', 'backward', 'epoch']).flat(),
      'end',
    ]);
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'end', reason: 'completed', epochs: 3 });
    if (end.type !== 'end') throw new Error('no end event');
    expect(end.model.format).toBe('deltaflow-model');
    expect(end.model.layers).toHaveLength(2);
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([
      1, 2, 3,
    ]);
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
  });

  it('emits batch events only when asked', async () => {
    const data = xor();
    const without = await lastValueFrom(train(seedNet(), data, { epochs: 2, batchSize: 1 }).pipe(toArray()));
    expect(without.some((e) => e.type === 'batch')).toBe(false);
    const withBatches = await lastValueFrom(
      train(seedNet(), data, { epochs: 2, batchSize: 1, batchEvents: true }).pipe(toArray()),
    );
    expect(types(withBatches).slice(0, 8)).toEqual([
      'start',
      'batch',
      'batch',
      'batch',
      'batch',
      'forward',
      'backward',
      'epoch',
    ]);
    expect(withBatches.filter((e) => e.type === 'batch')).toHaveLength(8);
  });

  it('backward events carry per-layer delta and gradient statistics', async () => {
    const events = await lastValueFrom(train(seedNet(), xor(), { epochs: 1, batchSize: 4 }).pipe(toArray()));
    const backward = events.find((e) => e.type === 'backward');
    if (backward?.type !== 'backward') throw new Error('no backward event');
    expect(backward.layers).toHaveLength(2);
    for (const layer of backward.layers) {
      expect(layer.meanAbsDelta).toBeGreaterThan(0);
      expect(layer.maxAbsDelta).toBeGreaterThanOrEqual(layer.meanAbsDelta);
      expect(layer.gradNorm).toBeGreaterThan(0);
      expect(layer.weightNorm).toBeGreaterThan(0);
      expect(layer.updateRatio).toBeGreaterThan(0);
    }
  });

  it('unsubscribing after epoch 2 of 1,000 stops the work and leaves nothing scheduled', async () => {
    vi.useFakeTimers();
    try {
      const model = seedNet();
      // a forward pass of the general path, of the fused small-network path or of the WebAssembly tiny-network
      // kernel
      const forward = vi.spyOn(model, 'forward');
      const fused = vi.spyOn(FusedSmallNetwork.prototype, 'forwardLoss');
      const tiny = vi.spyOn(TinySgdNetwork.prototype, 'epoch');
      const epochs: number[] = [];
      const subscription = train(model, xor(), { epochs: 1000, batchSize: 4, yieldEvery: 'epoch' }).subscribe(
        (e) => {
          if (e.type === 'epoch') {
            epochs.push(e.epoch);
            if (e.epoch === 2) subscription.unsubscribe();
          }
        },
      );
      await vi.runAllTimersAsync();
      expect(epochs).toEqual([1, 2]);
      expect(forward.mock.calls.length + fused.mock.calls.length + tiny.mock.calls.length).toBe(2);
      fused.mockRestore();
      tiny.mockRestore();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports bad options and mismatched data on the error channel, never by throwing', async () => {
    const errors: string[] = [];
    const collect = (events$: ReturnType<typeof train>) =>
      new Promise<void>((resolve) =>
        events$.subscribe({ error: (e: Error) => (errors.push(e.message), resolve()), complete: resolve }),
      );
    await collect(train(seedNet(), xor(), { batchSize: 0 }));
    await collect(train(mlp({ inputs: 3, layers: [{ units: 1 }] }), xor()));
    await collect(train(seedNet(), xor(), { lr: -1 }));
    await collect(train(seedNet(), xor(), { loss: 'nope' }));
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/batchSize must be an integer of at least 1, got 0/);
    expect(errors[1]).toMatch(/training data has 2 inputs .* model takes 3 inputs/);
    expect(errors[2]).toMatch(/lr/);
    expect(errors[3]).toMatch(/Unknown loss 'nope'/);
  });

  it('an inference on the live model from a subscriber changes neither the events nor the weights', async () => {
    const run = async (infer: boolean) => {
      const model = seedNet();
      const other = xor().inputs; // all 4 rows: another batch size than training's 2
      const odd = Tensor.fromNested([[0.3, 0.7]]); // another batch size
      const options = { epochs: 30, batchSize: 2, batchEvents: true, outputSample: 2, seed: 5 };
      const events = await lastValueFrom(
        train(model, xor(), options).pipe(
          tap((e) => {
            if (infer && e.type === 'batch') {
              model.forward(odd);
              model.forward(other);
            }
          }),
          toArray(),
        ),
      );
      return JSON.stringify(
        events.map((e) => (e.type === 'epoch' ? { ...e, elapsedMs: 0, samplesPerSecond: 0 } : e)),
      );
    };
    const plain = await run(false);
    const watched = await run(true);
    expect(watched.replace(/"created":"[^"]*"/g, '')).toBe(plain.replace(/"created":"[^"]*"/g, ''));
  });

  it('passes a bug (not a DeltaflowError) on as it is, with its stack, never relabelled', async () => {
    const broken = { inputs: null, targets: null } as unknown as ReturnType<typeof xor>;
    const error = await lastValueFrom(train(seedNet(), broken)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toHaveProperty('code');
    expect((error as Error).stack).toMatch(/training-loop/);
  });

  it('gives the event loop a turn while training (a timer fires during a long run)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const events$ = train(seedNet(), xor(), { epochs: 1_000_000, batchSize: 4 });
    await lastValueFrom(events$.pipe(take(30_000)));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});
