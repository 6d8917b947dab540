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

/**
 * The rule that keeps a growing series at a bounded size, shared by the page's chart series and the server's
 * run history so both keep the same points: every `stride`-th point offered is kept, and when `capacity`
 * points are held they are halved (every other one dropped, the first kept) and the stride doubled. Whatever
 * the run's length, at most `capacity` points are held, spread evenly from the first epoch to the latest.
 *
 * @example
 * ```ts
 * const rule = new StrideThinning(1000);
 * const kept: number[] = [];
 * for (let epoch = 1; epoch <= 5000; epoch++) {
 *   if (!rule.offer()) continue;
 *   kept.push(epoch);
 *   if (rule.full(kept.length)) kept.splice(0, kept.length, ...halve(kept));
 * }
 * kept.length <= 1000; // → true
 * ```
 * @category Streams
 */
export class StrideThinning {
  private stride = 1;
  private seen = 0;

  /** @param capacity - the most points a holder keeps (at least 2) */
  constructor(readonly capacity: number) {}

  /** Points offered so far. */
  get count(): number {
    return this.seen;
  }

  /** Whether the next point offered will be kept. */
  get keepsNext(): boolean {
    return this.seen % this.stride === 0;
  }

  /** Counts one point offered and says whether to keep it. */
  offer(): boolean {
    return this.seen++ % this.stride === 0;
  }

  /**
   * Call after keeping a point, with the number now held: true when the holder must drop every other point
   * ({@link halve}), the stride being doubled for what follows.
   */
  full(held: number): boolean {
    if (held < this.capacity) return false;
    this.stride *= 2;
    return true;
  }

  /** Starts over: stride 1, nothing seen. */
  reset(): void {
    this.stride = 1;
    this.seen = 0;
  }
}

/**
 * Every other element of `items`, starting with the first: what a holder keeps when {@link StrideThinning.full}.
 *
 * @example
 * ```ts
 * halve([1, 2, 3, 4, 5]); // → [1, 3, 5]
 * ```
 * @category Streams
 */
export function halve<T>(items: readonly T[]): T[] {
  return items.filter((_, i) => i % 2 === 0);
}
