import type { TrainingEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { columnsToJSON, packEpochs } from '../../shared/epoch-columns.js';
import type { FeedMessage } from '../../shared/feed.js';
import { Player } from './player.js';
import { RecordingBuffer } from './recording-buffer.js';
import type { ModelAt } from './player.js';

const model = { format: 'deltaflow-model', version: 1, layers: [] };
const start = { type: 'start' } as unknown as TrainingEvent;
const epoch = (n: number) =>
  ({
    type: 'epoch',
    epoch: n,
    loss: 1 / n,
    metrics: {},
    elapsedMs: n,
    samplesPerSecond: 1,
    lr: 0.1,
  }) as TrainingEvent;
const backward = (n: number) => ({ type: 'backward', epoch: n, layers: [] }) as TrainingEvent;
const checkpoint = (n: number) => ({ type: 'checkpoint', epoch: n, model }) as unknown as TrainingEvent;
const end = (n: number) =>
  ({ type: 'end', reason: 'completed', epochs: n, model }) as unknown as TrainingEvent;

/** A run of 100 epochs (backward, epoch), a checkpoint every 10, and its player with what it sent. */
function setup(): { player: Player; shown: () => number; states: string[]; models: (ModelAt | null)[] } {
  const events: TrainingEvent[] = [start];
  for (let n = 1; n <= 100; n++) {
    events.push(backward(n), epoch(n));
    if (n % 10 === 0) events.push(checkpoint(n));
  }
  events.push(end(100));
  let shownEpoch = 0;
  const states: string[] = [];
  const models: (ModelAt | null)[] = [];
  const player = new Player({
    apply(message: FeedMessage) {
      if (message.type === 'state') states.push(message.state);
      if (message.type === 'events') {
        for (const e of message.events) {
          if (e.type === 'start') shownEpoch = 0;
          if (e.type === 'epoch') shownEpoch = e.epoch;
        }
      }
    },
    model: (m) => models.push(m),
  });
  player.load(events);
  return { player, shown: () => shownEpoch, states, models };
}

describe('Player', () => {
  it('plays at its speed in epochs per second, and ends', () => {
    const { player, shown, states } = setup();
    expect(player.lastEpoch).toBe(100);
    expect(player.state).toBe('paused');
    player.speed = 100;
    player.play();
    expect(player.state).toBe('running');
    player.tick(250);
    expect(shown()).toBe(25);
    player.tick(250);
    expect(shown()).toBe(50);
    player.pause();
    player.tick(1000);
    expect(shown()).toBe(50);
    player.speed = Infinity;
    player.play();
    player.tick(1);
    expect(player.state).toBe('ended');
    expect(states.at(-1)).toBe('ended');
    expect(player.epoch).toBe(100);
  });

  it('steps one recorded epoch, paused; seeks back and forth; shows the newest model before the position', () => {
    const { player, shown, models } = setup();
    player.step();
    expect(shown()).toBe(1);
    player.step();
    expect(shown()).toBe(2);
    expect(player.state).toBe('paused');
    player.seek(57);
    expect(shown()).toBe(57);
    expect(models.at(-1)).toEqual({ model, epoch: 50 });
    player.seek(9);
    expect(shown()).toBe(9);
    expect(models.at(-1)).toBeNull();
    player.seek(10);
    expect(models.at(-1)).toEqual({ model, epoch: 10 });
    player.seek(1000);
    expect(player.state).toBe('ended');
    expect(models.at(-1)).toEqual({ model, epoch: 100 });
    // Play at the end starts over.
    player.play();
    expect(player.epoch).toBe(0);
    expect(player.state).toBe('running');
  });
});

describe('RecordingBuffer', () => {
  it('gathers events and epoch columns in order until all are in', () => {
    const buffer = new RecordingBuffer(4);
    buffer.add({ type: 'events', events: [start] });
    buffer.add(columnsToJSON(packEpochs([epoch(1) as never, epoch(2) as never])));
    expect(buffer.complete).toBe(false);
    buffer.add({ type: 'status', text: 'ignored' });
    buffer.add({ type: 'events', events: [end(2)] });
    expect(buffer.complete).toBe(true);
    expect(buffer.events.map((e) => e.type)).toEqual(['start', 'epoch', 'epoch', 'end']);
    expect(buffer.events[2]).toEqual(epoch(2));
  });
});
