import { Observable, asyncScheduler } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import type { TrainingEvent } from './events.js';
import { JsonlReader } from './jsonl-reader.js';
import type { JsonlReadOptions } from './jsonl-reader.js';

/**
 * One event as one line of JSON Lines (no trailing newline).
 *
 * @example
 * ```ts
 * train(model, data).subscribe((e) => process.stdout.write(toJsonLine(e) + '\n'));
 * ```
 * @category Replay
 */
export function toJsonLine(event: TrainingEvent): string {
  return JSON.stringify(event);
}

/**
 * Reads a whole recording's text back into events, checking each line strictly (see {@link JsonlReader}): a
 * bad line is refused with its number, a byte order mark and a last line cut short are tolerated with a
 * warning. For a file, `readJsonl` of `@deltaflow/trainer/node` reads it as a stream instead (any size).
 *
 * @example
 * ```ts
 * // not-runnable: reads run.jsonl
 * import { readFileSync } from 'node:fs';
 *
 * const events = parseJsonl(readFileSync('run.jsonl', 'utf8'), 'run.jsonl');
 * ```
 * @param source - a file name for error messages
 * @param options - `onWarning`: told what was tolerated, one line each
 * @throws DeltaflowError `E_PARSE` naming the first bad line
 * @category Replay
 */
export function parseJsonl(
  text: string,
  source = 'events',
  options: Pick<JsonlReadOptions, 'onWarning'> = {},
): TrainingEvent[] {
  const events: TrainingEvent[] = [];
  const reader = new JsonlReader({ ...options, source });
  reader.push(text, events);
  reader.end(events);
  return events;
}

/**
 * Options of {@link replay}.
 *
 * @example
 * ```ts
 * replay(events, { epochDelayMs: 50 }).subscribe(render); // 20 epochs a second
 * ```
 * @category Replay
 */
export interface ReplayOptions {
  /** Pause between epochs, in milliseconds; default 0 (as fast as the scheduler goes). */
  epochDelayMs?: number;
  /** Where the pauses are scheduled; default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Plays recorded events back as a stream, like a live run: every consumer of {@link train}'s stream (progress
 * bars, dashboards) works on a replay too.
 *
 * @example
 * ```ts
 * replay(parseJsonl(text), { epochDelayMs: 10 }).subscribe(render);
 * ```
 * @category Replay
 */
export function replay(
  events: readonly TrainingEvent[],
  options: ReplayOptions = {},
): Observable<TrainingEvent> {
  const { epochDelayMs = 0, scheduler = asyncScheduler } = options;
  return new Observable<TrainingEvent>((subscriber) => {
    let index = 0;
    return scheduler.schedule(function next() {
      while (index < events.length && !subscriber.closed) {
        const event = events[index++]!;
        subscriber.next(event);
        if (event.type === 'epoch' && epochDelayMs > 0) {
          this.schedule(undefined, epochDelayMs);
          return;
        }
      }
      subscriber.complete();
    });
  });
}
