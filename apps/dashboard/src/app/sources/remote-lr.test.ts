import type { EpochEvent, StartEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { rateInUse } from './remote-lr.js';

const start = { config: { optimizerOptions: { lr: 0.05, momentum: 0 } } } as unknown as StartEvent;
const epoch = (lr: number) => ({ lr }) as EpochEvent;

describe('rateInUse', () => {
  it("is the newest epoch's rate, else the start's, else unknown", () => {
    expect(rateInUse({ start: null, last: null })).toBeUndefined();
    expect(rateInUse({ start, last: null })).toBe(0.05);
    expect(rateInUse({ start, last: epoch(0.2) })).toBe(0.2);
  });
});
