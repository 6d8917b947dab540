import type { EpochEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { columnsToJSON, epochAt, packEpochs, unpackEpochs } from './epoch-columns.js';
import type { EpochColumns } from './epoch-columns.js';

const events: EpochEvent[] = [
  {
    type: 'epoch',
    epoch: 1,
    loss: 0.5,
    valLoss: 0.6,
    metrics: { accuracy: 0.5, valAccuracy: 0.25 },
    elapsedMs: 1.5,
    samplesPerSecond: 1000,
    lr: 0.1,
  },
  {
    type: 'epoch',
    epoch: 2,
    loss: 0.25,
    metrics: { accuracy: 0.75 },
    elapsedMs: 3,
    samplesPerSecond: 1100,
    lr: 0.05,
  },
];

describe('epoch columns', () => {
  it('pack and unpack losslessly, missing values included', () => {
    const packed = packEpochs(events);
    expect(packed.loss).toBeInstanceOf(Float64Array);
    expect(unpackEpochs(packed)).toEqual(events);
    expect(epochAt(packed, 1)).toEqual(events[1]);
  });

  it('survive JSON (NaN becomes null and back to missing)', () => {
    const wire = JSON.parse(JSON.stringify(columnsToJSON(packEpochs(events)))) as EpochColumns;
    expect(wire.valLoss).toEqual([0.6, null]);
    expect(unpackEpochs(wire)).toEqual(events);
  });
});
