import type { MonoTypeOperatorFunction } from 'rxjs';
import { Observable } from 'rxjs';
import type { TrainingEvent } from '@deltaflow/trainer';

/** The event types {@link thinEvents} may drop; everything else (start, epoch, checkpoint, end) always passes. */
const THINNED: ReadonlySet<TrainingEvent['type']> = new Set(['batch', 'forward', 'backward']);

/**
 * Thins a training stream on purpose, for displays: passes every `start`, `epoch`, `checkpoint` and `end`
 * event, and at most one `batch`, `forward` and `backward` event (each type on its own) per `intervalMs`.
 * Order is kept and nothing is delayed (a leading throttle without timers), so the epoch counter, the loss
 * curve and the end of the run are never lost.
 *
 * @example
 * ```ts
 * run.events$.pipe(thinEvents(50)).subscribe(send);
 * ```
 * @param intervalMs - the smallest gap between two passed events of one thinned type
 * @param now - the clock, for tests; default `performance.now`
 * @category Streams
 */
export function thinEvents(
  intervalMs: number,
  now: () => number = () => performance.now(),
): MonoTypeOperatorFunction<TrainingEvent> {
  return (source) =>
    new Observable<TrainingEvent>((subscriber) => {
      const last = new Map<TrainingEvent['type'], number>();
      return source.subscribe({
        next(event) {
          if (THINNED.has(event.type)) {
            const t = now();
            const previous = last.get(event.type);
            if (previous !== undefined && t - previous < intervalMs) return;
            last.set(event.type, t);
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
