import { Subscription } from 'rxjs';
import type { DashboardStore } from './store.js';

/**
 * Anything drawn from the store. A heavy view (see {@link startRenderLoop}) whose drawing comes in parts (two
 * charts, say) draws one part per call and returns `true` while parts are left to draw; it is called again on a
 * later frame, after the other views had their turn.
 */
export interface View {
  render(store: DashboardStore): boolean | void;
}

/** Runs `work` once, at some later point; unsubscribing before then cancels it. */
export type DrawScheduler = (work: () => void) => Subscription;

/**
 * Runs `work` in a task of its own just after the next animation frame: `requestAnimationFrame` paces it, a
 * zero-delay timer set from the frame callback runs it once the frame is drawn. So the drawing's cost and the
 * frame's own (style, layout, paint, commit of what the previous drawing changed) fall in two tasks, not one,
 * and input can be handled between them. What it draws shows on the frame after.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * afterNextFrame(() => console.log('drawn after the frame'));
 * ```
 * @category Dashboard
 */
export function afterNextFrame(work: () => void): Subscription {
  const subscription = new Subscription();
  const frame = requestAnimationFrame(() => {
    const timer = setTimeout(work, 0);
    subscription.add(() => clearTimeout(timer));
  });
  subscription.add(() => cancelAnimationFrame(frame));
  return subscription;
}

/**
 * Draws the views after the store changed, one small piece of work per frame, each in a task of its own (see
 * {@link afterNextFrame}). However fast messages arrive (thousands of epochs a second, many messages a frame),
 * a turn draws either the `light` views (counters, text: all of them, once) or one `heavy` view (a chart, a
 * canvas; or one part of it), never both: text that changed costs the next frame a layout and a paint, and a
 * redrawn canvas its own paint, so doing both would make that frame as long as the two together. The light
 * views go first when they are behind, but never two turns running while a heavy view waits; heavy views take
 * turns, each only when the store changed since it last drew, until every one shows the latest state. So no
 * task does more than one chart's work, views skip what did not change, and the page stays responsive however
 * busy the run. Heavy views draw in rounds: a round starts with every view that has something new
 * ({@link DashboardStore.beginChartRound} fixes the epoch range the charts show in it) and ends when each has
 * drawn, so all charts show the same epochs.
 *
 * @example
 * ```ts
 * startRenderLoop(store, [summary], [curves, heatmap]);
 * ```
 * @param schedule - runs each turn; default {@link afterNextFrame} (tests pass a virtual one)
 * @category Dashboard
 */
export function startRenderLoop(
  store: DashboardStore,
  light: readonly View[],
  heavy: readonly View[],
  schedule: DrawScheduler = afterNextFrame,
): Subscription {
  const subscription = new Subscription();
  let lightBehind = false;
  let lightDrewLast = false;
  const dirty = new Set<View>();
  let turn = 0;
  // The turn to come, if any: one at a time (and not added to `subscription`, which would keep every past turn).
  let pending: Subscription | null = null;

  // The heavy views still to draw in this round: every chart of a round shows the same epoch range (the store's
  // chartEpoch, fixed when the round starts), and a view in parts draws each part once per round. `dirty` holds
  // the views with something new for the next round (a change during a round is drawn in the next one).
  const round = new Set<View>();
  const drawHeavy = (): void => {
    if (round.size === 0) {
      if (dirty.size === 0) return;
      for (const view of dirty) round.add(view);
      dirty.clear();
      store.beginChartRound();
    }
    for (let tried = 0; tried < heavy.length; tried++) {
      const view = heavy[turn]!;
      turn = (turn + 1) % heavy.length;
      if (!round.has(view)) continue;
      round.delete(view);
      if (view.render(store) === true) round.add(view);
      return;
    }
  };
  const heavyBehind = (): boolean => round.size > 0 || dirty.size > 0;
  const takeTurn = (): void => {
    pending = null;
    try {
      if (lightBehind && !(lightDrewLast && heavyBehind())) {
        lightBehind = false;
        lightDrewLast = true;
        for (const view of light) view.render(store);
      } else {
        lightDrewLast = false;
        drawHeavy();
      }
    } finally {
      // A view that throws loses its turn, not the others theirs.
      if (lightBehind || heavyBehind()) next();
    }
  };
  const next = (): void => {
    pending ??= schedule(takeTurn);
  };
  subscription.add(() => pending?.unsubscribe());
  subscription.add(
    store.changed$.subscribe(() => {
      lightBehind = true;
      for (const view of heavy) dirty.add(view);
      next();
    }),
  );
  return subscription;
}
