/**
 * Node-only helpers of `@deltaflow/trainer`: record a training stream to a JSONL file and read one back, and
 * {@link nodeWorker}, which trains `createWorkerRun`'s runs in a worker_threads Worker.
 *
 * @packageDocumentation
 */
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { openFileAtomic } from '@deltaflow/core/node';
import { DeltaflowError } from '@deltaflow/tensor';
import { Observable, asyncScheduler, defer, finalize, tap } from 'rxjs';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { TrainingEvent } from './events.js';
import { toJsonLine } from './jsonl.js';
import { JsonlReader } from './jsonl-reader.js';
import type { JsonlReadOptions } from './jsonl-reader.js';
import type { ReplayOptions } from './jsonl.js';

export { nodeWorker } from './worker/node-worker.js';

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
 * thrown out of a subscriber. Node only (`@deltaflow/trainer/node`); in a browser, `toJsonLine` gives each line.
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
 * Options of {@link readJsonl}: the replay's pace, and who hears the warnings.
 *
 * @example
 * ```ts
 * const options: ReadJsonlOptions = { onWarning: (line) => console.warn(line) };
 * ```
 * @category Replay
 */
export interface ReadJsonlOptions extends ReplayOptions, Pick<JsonlReadOptions, 'onWarning'> {}

/** Bytes read from the file at a time. */
const CHUNK_BYTES = 1 << 20;

function readError(path: string, error: unknown): DeltaflowError {
  return new DeltaflowError(
    'E_READ',
    `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
    { cause: error },
  );
}

/**
 * Replays a JSONL file written by {@link recordJsonl}, reading it as a stream (a megabyte at a time), so a
 * recording of any size replays in little memory: events are emitted as their lines are read. Each line is
 * checked strictly (see `JsonlReader`): the first bad line ends the stream with a `DeltaflowError` `E_PARSE`
 * naming its number (the events before it have been emitted), as do two runs concatenated in one file. A byte
 * order mark and a last line cut short are tolerated, each with one line to `onWarning`. Node only
 * (`@deltaflow/trainer/node`); in a browser, `parseJsonl` reads a recording's text.
 *
 * @example
 * ```ts
 * // not-runnable: reads run.jsonl
 * readJsonl('run.jsonl', { onWarning: (line) => console.warn(line) }).subscribe((event) => console.log(event.type));
 * ```
 * @throws DeltaflowError `E_READ` (on the error channel) when the file cannot be read
 * @category Replay
 */
export function readJsonl(path: string, options: ReadJsonlOptions = {}): Observable<TrainingEvent> {
  const { epochDelayMs = 0, scheduler = asyncScheduler, onWarning } = options;
  return new Observable<TrainingEvent>((subscriber) => {
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
    const reader = new JsonlReader({ source: path, ...(onWarning ? { onWarning } : {}) });
    const pending: TrainingEvent[] = [];
    const pause = (): Promise<void> =>
      new Promise((resolve) => scheduler.schedule(() => resolve(), epochDelayMs));
    const emit = async (): Promise<void> => {
      for (let i = 0; i < pending.length && !subscriber.closed; i++) {
        const event = pending[i]!;
        subscriber.next(event);
        if (event.type === 'epoch' && epochDelayMs > 0) await pause();
      }
      pending.length = 0;
    };
    const read = async (): Promise<void> => {
      try {
        for await (const chunk of stream) {
          reader.push(chunk as string, pending);
          await emit();
          if (subscriber.closed) return;
        }
      } catch (error) {
        throw error instanceof DeltaflowError ? error : readError(path, error);
      }
      reader.end(pending);
      await emit();
      subscriber.complete();
    };
    read().catch((error: unknown) => {
      // What was read before the bad line has been emitted; the error follows it.
      void emit().then(() => subscriber.error(error));
    });
    return () => stream.destroy();
  });
}
