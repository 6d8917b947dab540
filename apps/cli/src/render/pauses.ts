import type { TrainingRun } from '@deltaflow/trainer';

/** What the live line shows instead of the ETA while a dashboard page holds the run. */
export const PAUSED_NOTE = 'paused from the page';

/**
 * Calls `changed(true)` when the run is paused and `changed(false)` when it runs again after a pause: in the CLI
 * only a dashboard page pauses a run (`train --dashboard`), so this is how the terminal learns of it. Called
 * once the event announcing the change (the epoch event that carries a pause) has been delivered.
 *
 * @example
 * ```ts
 * watchPauses(run, (paused) => console.log(paused ? 'paused from the page' : 'resumed from the page'));
 * ```
 */
export function watchPauses(run: Pick<TrainingRun, 'state$'>, changed: (paused: boolean) => void): void {
  let paused = false;
  run.state$.subscribe((state) => {
    // The state turns paused just before the epoch event that announces the pause: tell once it is out.
    if (state === 'paused' && !paused) {
      paused = true;
      queueMicrotask(() => changed(true));
    } else if (state === 'running' && paused) {
      paused = false;
      queueMicrotask(() => changed(false));
    }
  });
}
