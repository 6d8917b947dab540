import { describe, expect, it } from 'vitest';
import type { EpochEvent } from '../events.js';
import { addToPack, closePack, fitsPack, openPack, packShape, unpackEpochs } from './epoch-pack.js';

const plain = (epoch: number, loss: number): EpochEvent => ({
  type: 'epoch',
  epoch,
  loss,
  metrics: { accuracy: 0.5, mse: 0.1 + epoch },
  elapsedMs: epoch * 3,
  samplesPerSecond: 1e6 / 3,
  lr: 0.1 / epoch,
});

describe('epoch packs', () => {
  it('give back the events sent: every field, bit for bit (NaN and -0 too), in the same key order', () => {
    const events = [plain(1, 0.1 + 0.2), plain(2, NaN), plain(3, -0), plain(4, Number.MIN_VALUE)];
    const shape = packShape(events[0]!)!;
    const pack = openPack(events[0]!, shape);
    for (const event of events) {
      expect(packShape(event)).toBe(shape);
      expect(fitsPack(pack, event)).toBe(true);
      addToPack(pack, event);
    }
    expect(fitsPack(pack, { ...events[0]!, valLoss: 1 })).toBe(false);
    expect(fitsPack(pack, { ...events[0]!, metrics: { accuracy: 1 } })).toBe(false);
    expect(fitsPack(pack, { ...events[0]!, metrics: { mse: 1, accuracy: 1 } })).toBe(false);
    const back: EpochEvent[] = [];
    unpackEpochs(closePack(pack), (event) => back.push(event));
    expect(back).toEqual(events);
    expect(Object.is(back[2]!.loss, -0)).toBe(true);
    expect(back.map((e) => JSON.stringify(e))).toEqual(events.map((e) => JSON.stringify(e)));
  });

  it('keep valLoss, and tell apart shapes that cannot share a pack', () => {
    const withVal: EpochEvent = {
      type: 'epoch',
      epoch: 1,
      loss: 0.5,
      valLoss: 0.6,
      metrics: {},
      elapsedMs: 1,
      samplesPerSecond: 2,
      lr: 0.5,
    };
    const shape = packShape(withVal)!;
    expect(shape).not.toBe(packShape(plain(1, 0.5)));
    const pack = openPack(withVal, shape);
    addToPack(pack, withVal);
    const back: EpochEvent[] = [];
    unpackEpochs(closePack(pack), (event) => back.push(event));
    expect(back).toEqual([withVal]);
    // a confusion matrix (or any field packs do not know) goes as the object itself
    expect(packShape({ ...plain(1, 0.5), confusion: [[1]] })).toBeNull();
  });
});
