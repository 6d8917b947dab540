import { animationFrameScheduler, auditTime } from 'rxjs';
import { Subscription } from 'rxjs';
import type { DashboardStore } from './store.js';

/** Anything drawn from the store. */
export interface View {
  render(store: DashboardStore): void;
}

/**
 * Draws the views on animation frames after the store changed. However fast events arrive (thousands of epochs
 * a second), `light` views (counters, text) are drawn at most once per frame (`auditTime(0,
 * animationFrameScheduler)`), and `heavy` ones (charts, canvases) one per frame in turn, each only when the
 * store changed since it last drew, and always until every one shows the latest state. So no frame does more
 * than one chart's work, and views skip what did not change.
 *
 * @example
 * ```ts
 * startRenderLoop(store, [summary], [curves, heatmap]);
 * ```
 * @category Dashboard
 */
export function startRenderLoop(
  store: DashboardStore,
  light: readonly View[],
  heavy: readonly View[],
): Subscription {
  const subscription = new Subscription();
  subscription.add(
    store.changed$.pipe(auditTime(0, animationFrameScheduler)).subscribe(() => {
      for (const view of light) view.render(store);
    }),
  );
  const dirty = new Set<View>();
  let next = 0;
  let scheduled = false;
  const frame = (): void => {
    scheduled = false;
    for (let tried = 0; tried < heavy.length; tried++) {
      const view = heavy[next]!;
      next = (next + 1) % heavy.length;
      if (!dirty.delete(view)) continue;
      view.render(store);
      break;
    }
    if (dirty.size > 0) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    subscription.add(animationFrameScheduler.schedule(frame));
  };
  subscription.add(
    store.changed$.subscribe(() => {
      for (const view of heavy) dirty.add(view);
      schedule();
    }),
  );
  return subscription;
}
