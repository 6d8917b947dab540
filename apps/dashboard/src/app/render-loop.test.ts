import { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { startRenderLoop } from './render-loop.js';
import type { DrawScheduler, View } from './render-loop.js';
import { DashboardStore } from './store.js';

/** A scheduler that runs its queued work only when told: one call of `frame()` is one turn of the loop. */
function frames(): { scheduler: DrawScheduler; frame(): void; queued(): number } {
  let queue: (() => void)[] = [];
  return {
    scheduler(work) {
      queue.push(work);
      return new Subscription(() => (queue = queue.filter((w) => w !== work)));
    },
    frame() {
      const due = queue;
      queue = [];
      for (const work of due) work();
    },
    queued: () => queue.length,
  };
}

/** A view that logs its name on every draw, and takes `parts` draws to show a change (`changes` counts them). */
class LoggingView implements View {
  changes = 0;
  private seen = -1;
  private left = 0;

  constructor(
    private readonly name: string,
    private readonly log: string[],
    private readonly parts = 1,
  ) {}

  render(): boolean {
    if (this.seen !== this.changes) {
      this.seen = this.changes;
      this.left = this.parts;
    }
    this.log.push(this.name);
    return --this.left > 0;
  }
}

describe('startRenderLoop', () => {
  it('draws the light views or one heavy view per frame, until everything shows the latest state', () => {
    const store = new DashboardStore();
    const { scheduler, frame, queued } = frames();
    const log: string[] = [];
    const perFrame: string[][] = [];
    const light = new LoggingView('text', log);
    const heavy = [new LoggingView('chart', log), new LoggingView('canvas', log)];
    startRenderLoop(store, [light], heavy, scheduler);
    store.changed$.next();
    store.changed$.next(); // many messages before a frame: still one draw of each
    while (queued() > 0) {
      const before = log.length;
      frame();
      perFrame.push(log.slice(before));
    }
    expect(perFrame).toEqual([['text'], ['chart'], ['canvas']]);
  });

  it('never lets the light views starve the heavy ones, and gives a view in parts several turns', () => {
    const store = new DashboardStore();
    const { scheduler, frame, queued } = frames();
    const log: string[] = [];
    const light = new LoggingView('text', log);
    const charts = new LoggingView('charts', log, 2);
    const canvas = new LoggingView('canvas', log);
    startRenderLoop(store, [light], [charts, canvas], scheduler);
    // a message before every frame: text every other frame, heavy views in between
    for (let i = 0; i < 6; i++) {
      charts.changes++;
      store.changed$.next();
      frame();
    }
    expect(log).toEqual(['text', 'charts', 'text', 'canvas', 'text', 'charts']);
    // the stream stops: what is left gets drawn, then the loop goes quiet
    log.length = 0;
    while (queued() > 0) frame();
    expect(log).toEqual(['text', 'charts', 'canvas', 'charts']);
    frame();
    expect(log).toHaveLength(4);
  });

  it('draws the heavy views in rounds: every view of a round sees the same chart epoch', () => {
    const store = new DashboardStore();
    const { scheduler, frame } = frames();
    const seen: { name: string; round: number; epoch: number }[] = [];
    const view = (name: string, parts: number): View => {
      let left = 0;
      let round = -1;
      return {
        render(s) {
          if (s.chartRound !== round) [round, left] = [s.chartRound, parts];
          seen.push({ name, round, epoch: s.chartEpoch });
          return --left > 0;
        },
      };
    };
    startRenderLoop(store, [], [view('curves', 2), view('heatmap', 1), view('gradients', 2)], scheduler);
    for (let epoch = 1; epoch <= 30; epoch++) {
      store.epoch = epoch; // epochs keep arriving between turns
      store.changed$.next();
      frame();
    }
    const rounds = new Map<number, typeof seen>();
    for (const draw of seen) rounds.set(draw.round, [...(rounds.get(draw.round) ?? []), draw]);
    expect(rounds.size).toBeGreaterThan(2);
    for (const draws of rounds.values()) {
      // one epoch per round, whatever arrived while it was drawn
      expect(new Set(draws.map((d) => d.epoch)).size).toBe(1);
    }
    // a full round: each part of each view once
    expect(
      rounds
        .get(2)!
        .map((d) => d.name)
        .sort(),
    ).toEqual(['curves', 'curves', 'gradients', 'gradients', 'heatmap']);
    expect(rounds.get(3)![0]!.epoch).toBeGreaterThan(rounds.get(2)![0]!.epoch);
  });

  it('keeps drawing the other views when one throws', () => {
    const store = new DashboardStore();
    const { scheduler, frame, queued } = frames();
    const log: string[] = [];
    const broken: View = {
      render() {
        throw new Error('broken view');
      },
    };
    startRenderLoop(
      store,
      [new LoggingView('text', log)],
      [broken, new LoggingView('chart', log)],
      scheduler,
    );
    store.changed$.next();
    frame();
    expect(() => frame()).toThrow('broken view');
    while (queued() > 0) frame();
    expect(log).toEqual(['text', 'chart']);
  });

  it('stops drawing when unsubscribed', () => {
    const store = new DashboardStore();
    const { scheduler, frame, queued } = frames();
    const log: string[] = [];
    const loop = startRenderLoop(
      store,
      [new LoggingView('text', log)],
      [new LoggingView('chart', log)],
      scheduler,
    );
    store.changed$.next();
    loop.unsubscribe();
    expect(queued()).toBe(0);
    frame();
    expect(log).toEqual([]);
  });
});
