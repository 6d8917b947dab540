import { basename } from 'node:path';
import type { TrainingEvent } from '@deltaflow/trainer';
import { readJsonl } from '@deltaflow/trainer/node';
import type { WebSocket } from 'ws';
import { REPLAY_HISTORY, RunHistory } from '../shared/run-history.js';
import type { HelloMessage } from '../shared/wire.js';
import type { DashboardServer, DashboardServerOptions } from './options.js';
import { Outbox } from './outbox.js';
import { servePage } from './page-server.js';
import { toServerMessages } from './server-messages.js';

/** Events per WebSocket frame of the recording. */
const FRAME_EVENTS = 5000;

/**
 * Options of {@link startReplayServer}: where the recorded run is, how fast to start playing it, and the server
 * options that make sense for a recording.
 * @category Server
 */
export interface ReplayServerOptions extends Pick<
  DashboardServerOptions,
  'port' | 'host' | 'closeAfterEndMs' | 'allowedOrigins' | 'pageDir' | 'plugins'
> {
  /** A JSONL file written by `recordJsonl` (or `deltaflow train --events FILE.jsonl`), of any size. */
  file: string;
  /**
   * The playback pace the page starts with: this many milliseconds an epoch (the page's speed box can change
   * it); default: the page picks a speed that plays the recording in about ten seconds.
   */
  epochDelayMs?: number;
  /** Told, one line each, what was tolerated in the file (a byte order mark, a cut last line, no end event). */
  onWarning?: (message: string) => void;
}

/** Reads the whole file as a stream into a bounded history; rejects on the first bad line. */
function readRecording(file: string, notes: string[]): Promise<TrainingEvent[]> {
  const history = new RunHistory(REPLAY_HISTORY);
  return new Promise((resolve, reject) => {
    readJsonl(file, { onWarning: (note) => notes.push(note) }).subscribe({
      next: (event) => history.push(event),
      error: reject,
      complete: () => resolve(history.snapshot()),
    });
  });
}

/** The recording as the WebSocket frames every page gets after the hello (shared by all pages). */
function framesOf(events: readonly TrainingEvent[]): string[] {
  const frames: string[] = [];
  for (let from = 0; from < events.length; from += FRAME_EVENTS) {
    for (const message of toServerMessages(events.slice(from, from + FRAME_EVENTS))) {
      frames.push(JSON.stringify(message));
    }
  }
  return frames;
}

/** Sends `frames` with backpressure ({@link Outbox}); `done` once all are handed to the socket. */
function sendAll(socket: WebSocket, frames: readonly string[], done: () => void): void {
  const outbox = new Outbox();
  for (const frame of frames) outbox.push(frame);
  socket.on('close', () => outbox.dispose());
  const pump = (): void => {
    if (outbox.sendTo(socket, pump)) done();
  };
  pump();
}

/**
 * Serves a recorded run (`deltaflow dashboard --replay FILE.jsonl`). The file is read as a stream, a megabyte
 * at a time, and each event checked strictly before anything listens, so a bad file is refused with the
 * number of its first bad line (and a recording of any size is read in little memory); a byte order mark and a
 * cut last line are tolerated, with a warning (`onWarning`, and on the page). What a page gets is the run
 * thinned to a bounded size (a `RunHistory` with the `REPLAY_HISTORY` caps: every chart keeps its shape), which it then plays back
 * itself: play, pause, step, speed and a scrub bar. The server serves until `close()` (or `closeAfterEndMs`
 * after the first page has the whole recording).
 *
 * @example
 * ```ts
 * // not-runnable: reads run.jsonl, serves until stopped
 * const server = await startReplayServer({ file: 'run.jsonl', port: 4873, onWarning: console.warn });
 * console.log(`replay: ${server.url}`);
 * ```
 * @throws DeltaflowError `E_READ` or `E_PARSE` for a missing or bad file, `E_LISTEN` for a port in use
 * @category Server
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<DashboardServer> {
  const { file, epochDelayMs, onWarning } = options;
  const notes: string[] = [];
  const events = await readRecording(file, notes);
  for (const note of notes) onWarning?.(note);
  const hello: HelloMessage = {
    type: 'hello',
    mode: 'replay',
    control: false,
    title: basename(file),
    points: null,
    replay: {
      events: events.length,
      notes,
      epochsPerSecond: epochDelayMs !== undefined && epochDelayMs > 0 ? 1000 / epochDelayMs : null,
    },
  };
  const frames = [JSON.stringify(hello), ...framesOf(events)];

  let endTimer: ReturnType<typeof setTimeout> | null = null;
  const server = await servePage({
    port: options.port,
    host: options.host,
    pageDir: options.pageDir,
    allowedOrigins: options.allowedOrigins,
    ...(options.plugins ? { plugins: options.plugins } : {}),
    onSocket: (socket) => {
      socket.on('error', () => socket.terminate());
      sendAll(socket, frames, () => {
        if (options.closeAfterEndMs !== undefined && endTimer === null) {
          endTimer = setTimeout(() => void server.close(), options.closeAfterEndMs);
        }
      });
    },
    onClose: () => {
      if (endTimer !== null) clearTimeout(endTimer);
    },
  });
  return server;
}
