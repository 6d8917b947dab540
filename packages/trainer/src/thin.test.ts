import { mlp } from '@deltaflow/network';
import { xor } from '@deltaflow/data';
import { Subject, from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { EpochEvent, TrainingEvent } from './events.js';
import { EventThinner, thinEvents } from './thin.js';
import { train } from './train.js';

const batch = (n: number): TrainingEvent => ({ type: 'batch', epoch: 1, batch: n, loss: 1 });
const forward = (n: number): TrainingEvent => ({ type: 'forward', epoch: n, loss: 1, metrics: {} });
const backward = (n: number): TrainingEvent => ({ type: 'backward', epoch: n, layers: [] });
const epoch = (n: number): TrainingEvent => ({
  type: 'epoch',
  epoch: n,
  loss: 1 / n,
  metrics: {},
  elapsedMs: 0,
  samplesPerSecond: 0,
  lr: 0.1,
});
const end = (epochs: number): TrainingEvent => ({
  type: 'end',
  reason: 'completed',
  epochs,
  model: { format: 'deltaflow-model', version: 1, layers: [] },
});
const label = (e: TrainingEvent): string => ('epoch' in e ? `${e.type}${e.epoch}` : e.type);

describe('thinEvents (from the dashboard: every epoch kept when asked)', () => {
  it('keeps every epoch event and at most one batch event per interval, in order and undelayed', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const values = {
        a: batch(1),
        b: batch(2),
        c: batch(3),
        d: batch(4),
        e: epoch(1),
        f: epoch(2),
        g: epoch(3),
      };
      const source = cold('a-b-e-c-d-f-g|', values);
      const thinned = source.pipe(thinEvents({ sampleMs: 5, epochMs: 0, scheduler }));
      expectObservable(thinned).toBe('a---e-c---f-g|', values);
    });
  });

  it('thins batch, forward and backward events each on its own clock, and never start or end', () => {
    const scheduler = { now: () => 0, schedule: () => ({ unsubscribe() {} }) } as never;
    const events: TrainingEvent[] = [
      batch(1),
      forward(1),
      backward(1),
      batch(2),
      forward(2),
      epoch(1),
      end(1),
    ];
    const seen: string[] = [];
    from(events)
      .pipe(thinEvents({ sampleMs: 10, epochMs: 0, scheduler, trailing: false }))
      .subscribe((e) => seen.push(e.type));
    // the dropped forward of epoch 2 is held and emitted before the end
    expect(seen).toEqual(['batch', 'forward', 'backward', 'epoch', 'forward', 'end']);
  });
});

describe('thinEvents: a faithful epoch series', () => {
  it('samples epochs by count, keeping the first and the last, and every end event', async () => {
    const events = [
      { type: 'start' } as unknown as TrainingEvent,
      ...Array.from({ length: 1000 }, (_, i) => epoch(i + 1)),
      end(1000),
    ];
    const out = await lastValueFrom(
      from(events).pipe(thinEvents({ epochMs: 0, epochEvery: 250 }), toArray()),
    );
    expect(out.map(label)).toEqual([
      'start',
      'epoch1',
      'epoch251',
      'epoch501',
      'epoch751',
      'epoch1000',
      'end',
    ]);
  });

  it('samples epochs by time: at most one per epochMs, and the last one before the end', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: epoch(1), b: epoch(2), c: epoch(3), d: epoch(4), e: epoch(5), z: end(5) };
      const source = cold('abcd-e(z|)', values);
      const thinned = source.pipe(thinEvents({ epochMs: 3, trailing: false, scheduler }));
      expectObservable(thinned).toBe('a--d--(ez|)', values);
    });
  });

  it('with both rules, an epoch passes when both gaps are reached', () => {
    let t = 0;
    const scheduler = { now: () => t, schedule: () => ({ unsubscribe() {} }) } as never;
    const thinner = new EventThinner({ epochMs: 10, epochEvery: 3, scheduler });
    const kept: string[] = [];
    for (let n = 1; n <= 12; n++) {
      t = n * 4; // an epoch every 4 ms: the time gap (10 ms) needs 3 epochs, the count gap 3
      thinner.push(epoch(n), (e) => kept.push(label(e)));
    }
    expect(kept).toEqual(['epoch1', 'epoch4', 'epoch7', 'epoch10']);
  });

  it('emits the held epoch before a checkpoint, on completion and on an error, in the order they came', async () => {
    const checkpoint: TrainingEvent = {
      type: 'checkpoint',
      epoch: 4,
      model: { format: 'deltaflow-model', version: 1, layers: [] },
    };
    const options = { epochMs: 0, epochEvery: 10, sampleMs: 0 };
    const withCheckpoint = await lastValueFrom(
      from([epoch(1), epoch(2), epoch(3), epoch(4), checkpoint, epoch(5)]).pipe(
        thinEvents(options),
        toArray(),
      ),
    );
    expect(withCheckpoint.map(label)).toEqual(['epoch1', 'epoch4', 'checkpoint4', 'epoch5']);

    const source = new Subject<TrainingEvent>();
    const seen: string[] = [];
    let failure: unknown = null;
    source
      .pipe(thinEvents(options))
      .subscribe({ next: (e) => seen.push(label(e)), error: (e) => (failure = e) });
    for (let n = 1; n <= 3; n++) source.next(epoch(n));
    source.error(new Error('boom'));
    expect(seen).toEqual(['epoch1', 'epoch3']);
    expect((failure as Error).message).toBe('boom');
  });

  it('flushes the held forward, backward and epoch in their order when the stream is quiet (trailing)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const values = {
        a: forward(1),
        b: backward(1),
        c: epoch(1),
        d: forward(2),
        e: backward(2),
        f: epoch(2),
      };
      // epoch 2 comes 1 ms after epoch 1, then the run waits (paused): after 50 ms of quiet its events follow
      const source = cold('(abc)(def) 200ms |', values);
      const thinned = source.pipe(thinEvents({ sampleMs: 10, epochMs: 10, scheduler }));
      expectObservable(thinned).toBe('(abc) 50ms (def) 150ms |', values);
    });
  });

  it('starts over at a start event', () => {
    const start = { type: 'start' } as unknown as TrainingEvent;
    const thinner = new EventThinner({ epochMs: 0, epochEvery: 100 });
    const kept: string[] = [];
    for (const e of [start, epoch(1), epoch(2), start, epoch(1)]) thinner.push(e, (x) => kept.push(label(x)));
    expect(kept).toEqual(['start', 'epoch1', 'epoch2', 'start', 'epoch1']);
  });

  it('refuses a negative or non-finite gap, naming the option', () => {
    expect(() => new EventThinner({ epochMs: -1 })).toThrow(/epochMs/);
    expect(() => new EventThinner({ epochEvery: 0 })).toThrow(/epochEvery/);
    expect(() => new EventThinner({ sampleMs: Number.NaN })).toThrow(/sampleMs/);
  });

  it('thins a real 5,000-epoch run to a few events, its last epoch equal to the unthinned one', async () => {
    const run = () =>
      train(mlp({ inputs: 2, layers: [{ units: 3 }, { units: 1 }], seed: 3 }), xor(), { epochs: 5000 });
    const all = await lastValueFrom(run().pipe(toArray()));
    const thin = await lastValueFrom(run().pipe(thinEvents({ epochEvery: 500, epochMs: 0 }), toArray()));
    const epochs = (events: TrainingEvent[]) => events.filter((e): e is EpochEvent => e.type === 'epoch');
    expect(all.length).toBeGreaterThan(15_000);
    expect(epochs(thin).map((e) => e.epoch)).toEqual([
      1, 501, 1001, 1501, 2001, 2501, 3001, 3501, 4001, 4501, 5000,
    ]);
    expect(epochs(thin).at(-1)!.loss).toBe(epochs(all).at(-1)!.loss);
    expect(thin[0]!.type).toBe('start');
    expect(thin.at(-1)).toEqual(expect.objectContaining({ type: 'end', reason: 'completed', epochs: 5000 }));
    expect(thin.length).toBeLessThan(100);
  });
});
