import { DeltaflowError } from '@deltaflow/tensor';
import { Observable, asyncScheduler } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import type { TrainingEvent } from './events.js';

const EVENT_TYPES = new Set(['start', 'forward', 'backward', 'batch', 'epoch', 'checkpoint', 'end']);

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
 * Reads JSON Lines back into events, checking each line; a bad line is refused with its number.
 *
 * @example
 * ```ts
 * // not-runnable: reads run.jsonl
 * import { readFileSync } from 'node:fs';
 *
 * const events = parseJsonl(readFileSync('run.jsonl', 'utf8'), 'run.jsonl');
 * ```
 * @param source - a file name for error messages
 * @category Replay
 */
export function parseJsonl(text: string, source = 'events'): TrainingEvent[] {
  const events: TrainingEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      throw new DeltaflowError('E_PARSE', `${source}: line ${i + 1} is not valid JSON.`);
    }
    const type = (event as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
      throw new DeltaflowError(
        'E_PARSE',
        `${source}: line ${i + 1} is not a training event (type ${JSON.stringify(type)}).`,
      );
    }
    events.push(event as TrainingEvent);
  });
  if (events.length === 0 || events[0]!.type !== 'start') {
    throw new DeltaflowError('E_PARSE', `${source}: a recorded run must begin with a start event.`);
  }
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
