/**
 * Node-only helpers of `@deltaflow/trainer`: record a training stream to a JSONL file and read one back.
 *
 * @packageDocumentation
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { openFileAtomic } from '@deltaflow/core/node';
import { DeltaflowError } from '@deltaflow/tensor';
import { defer, finalize, tap } from 'rxjs';
import type { Observable } from 'rxjs';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { TrainingEvent } from './events.js';
import { parseJsonl, replay, toJsonLine } from './jsonl.js';
import type { ReplayOptions } from './jsonl.js';

/**
 * Options of {@link recordJsonl}.
 *
 * @example
 * ```ts
 * train(model, data).pipe(recordJsonl('run.jsonl', { atomic: true })).subscribe();
 * ```
 * @category Replay
 */
export interface RecordJsonlOptions {
  /**
   * Write into a temporary file beside `path` and move it into place when the stream completes (`writeFileAtomic`
   * of `@deltaflow/core/node`), so `path` only ever holds a whole run; an error or an unsubscription before
   * completion removes the temporary file. Default false: lines appear in `path` as they come.
   */
  atomic?: boolean;
}

/** Where the lines go: `path` itself, or an atomic file. */
interface LineSink {
  write(line: string): void;
  /** The stream completed. */
  commit(): void;
  /** The stream ended otherwise (error, unsubscribe); also called after commit, then a no-op. Never throws. */
  close(): void;
}

function plainSink(path: string): LineSink {
  let fd: number | null;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw writeError(path, error);
  }
  const close = (): void => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    write(line) {
      try {
        writeSync(fd!, line);
      } catch (error) {
        throw writeError(path, error);
      }
    },
    commit: close,
    close,
  };
}

function atomicSink(path: string): LineSink {
  const file = openFileAtomic(path);
  return {
    write: (line) => file.write(line),
    commit: () => file.commit(),
    close: () => file.abort(),
  };
}

function writeError(path: string, error: unknown): DeltaflowError {
  const failure = new DeltaflowError(
    'E_WRITE',
    `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
  );
  failure.cause = error;
  return failure;
}

/**
 * Writes every event passing through to `path` as JSON Lines (the file is created or truncated on subscribe,
 * each line written as it comes, closed when the stream ends; with `atomic`, see {@link RecordJsonlOptions}).
 * Built on operators, so a failed write (a full disk, a size limit) reaches the error channel as a
 * `DeltaflowError` `E_WRITE`, with the system error as its `cause`, and unsubscribes from the source; it is never
 * thrown out of a subscriber.
 *
 * @example
 * ```ts
 * train(model, data).pipe(recordJsonl('run.jsonl')).subscribe();
 * ```
 * @category Replay
 */
export function recordJsonl(
  path: string,
  options: RecordJsonlOptions = {},
): MonoTypeOperatorFunction<TrainingEvent> {
  return (source) =>
    defer(() => {
      const sink = options.atomic ? atomicSink(path) : plainSink(path);
      return source.pipe(
        tap({
          next: (event) => sink.write(`${toJsonLine(event)}\n`),
          complete: () => sink.commit(),
        }),
        finalize(() => sink.close()),
      );
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
