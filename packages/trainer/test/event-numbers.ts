import type { TrainingEvent } from '../src/events.js';

/** Every number of the events (the clock's fields left out), in order: two runs' events compared bit for bit. */
export function eventNumbers(events: TrainingEvent[]): number[] {
  const out: number[] = [];
  JSON.stringify(events, (key, value: unknown) => {
    if (key === 'elapsedMs' || key === 'samplesPerSecond' || key === 'created') return undefined;
    if (typeof value === 'number') out.push(value);
    return value;
  });
  return out;
}
