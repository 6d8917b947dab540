/**
 * Node-only helpers of `@deltaflow/trainer`: record a training stream to a JSONL file and read one back.
 *
 * @packageDocumentation
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { DeltaflowError } from '@deltaflow/tensor';
import { Observable, defer } from 'rxjs';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { TrainingEvent } from './events.js';
import { parseJsonl, replay, toJsonLine } from './jsonl.js';
import type { ReplayOptions } from './jsonl.js';

/**
 * Writes every event passing through to `path` as JSON Lines (the file is created or truncated on subscribe,
 * each line written as it comes, closed when the stream ends).
 *
 * @example
 * ```ts
 * train(model, data).pipe(recordJsonl('run.jsonl')).subscribe();
 * ```
 * @category Replay
 */
export function recordJsonl(path: string): MonoTypeOperatorFunction<TrainingEvent> {
  return (source) =>
    new Observable<TrainingEvent>((subscriber) => {
      let fd: number;
      try {
        fd = openSync(path, 'w');
      } catch (error) {
        subscriber.error(
          new DeltaflowError('E_WRITE', `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code}.`),
        );
        return;
      }
      const subscription = source.subscribe({
        next(event) {
          writeSync(fd, `${toJsonLine(event)}\n`);
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        closeSync(fd);
      };
    });
}

/**
 * Replays a JSONL file written by {@link recordJsonl}.
 *
 * @example
 * ```ts
 * // not-runnable: reads run.jsonl
 * readJsonl('run.jsonl').subscribe((event) => console.log(event.type));
 * ```
 * @category Replay
 */
export function readJsonl(path: string, options: ReplayOptions = {}): Observable<TrainingEvent> {
  return defer(() => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new DeltaflowError('E_READ', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code}.`);
    }
    return replay(parseJsonl(text, path), options);
  });
}
