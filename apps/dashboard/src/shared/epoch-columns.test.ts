import type { EpochEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { columnBuffers, columnsToJSON, epochAt, packEpochs, unpackEpochs } from './epoch-columns.js';
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

  it('carry the confusion matrices of runs that ask for them, through JSON too', () => {
    const asked: EpochEvent[] = [
      {
        ...events[0]!,
        confusion: [
          [1, 1],
          [0, 2],
        ],
        valConfusion: [
          [2, 0],
          [1, 1],
        ],
      },
      {
        ...events[1]!,
        confusion: [
          [2, 0],
          [0, 2],
        ],
      },
    ];
    const packed = packEpochs(asked);
    // one transferable column per kind of matrix, whatever the number of epochs
    expect(packed.confusion).toEqual({ size: 2, values: new Float64Array([1, 1, 0, 2, 2, 0, 0, 2]) });
    expect(columnBuffers(packed)).toContain((packed.confusion!.values as Float64Array).buffer);
    expect(packed.valConfusion!.values).toEqual(new Float64Array([2, 0, 1, 1, NaN, NaN, NaN, NaN]));
    expect(unpackEpochs(packed)).toEqual(asked);
    const wire = JSON.parse(JSON.stringify(columnsToJSON(packed))) as EpochColumns;
    expect(unpackEpochs(wire)).toEqual(asked);
    expect(packEpochs(events)).not.toHaveProperty('confusion');
  });

  it("carry E's data loss and penalty of runs with a penalty", () => {
    const penalized: EpochEvent[] = events.map((e, i) => ({
      ...e,
      dataLoss: e.loss - 0.01 * i,
      penalty: 0.01 * i,
    }));
    const packed = packEpochs(penalized);
    expect(packed.penalty).toBeInstanceOf(Float64Array);
    expect(unpackEpochs(packed)).toEqual(penalized);
    const wire = JSON.parse(JSON.stringify(columnsToJSON(packed))) as EpochColumns;
    expect(unpackEpochs(wire)).toEqual(penalized);
    expect(packEpochs(events)).not.toHaveProperty('penalty');
  });
});
