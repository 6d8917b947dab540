import { createServer } from 'node:http';
import { basename } from 'node:path';
import type { TrainingEvent } from '@deltaflow/trainer';
import { readJsonl } from '@deltaflow/trainer/node';
import { WebSocket, WebSocketServer } from 'ws';
import type { HelloMessage } from '../shared/wire.js';
import { listen, pageUrl, stopListening } from './listen.js';
import { allowedOrigins, refuseUpgrade } from './origins.js';
import type { DashboardServer, DashboardServerOptions } from './options.js';
import { ReplayHistory } from './replay-history.js';
import { toServerMessages } from './server-messages.js';
import { createStaticHandler, findPageDir } from './static-files.js';

/** Events per WebSocket frame of the recording. */
const FRAME_EVENTS = 5000;

/**
 * Options of {@link startReplayServer}: where the recorded run is, how fast to start playing it, and the server
 * options that make sense for a recording.
 * @category Server
 */
export interface ReplayServerOptions extends Pick<
  DashboardServerOptions,
  'port' | 'host' | 'closeAfterEndMs' | 'allowedOrigins' | 'pageDir'
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
  const history = new ReplayHistory();
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

/** Sends `frames` one after the other, each once the previous one has been written out (backpressure). */
function sendAll(socket: WebSocket, frames: readonly string[], done: () => void): void {
  let next = 0;
  const sendNext = (error?: Error): void => {
    if (error || socket.readyState !== WebSocket.OPEN) return;
    if (next === frames.length) return done();
    socket.send(frames[next++]!, sendNext);
  };
  sendNext();
}

/**
 * Serves a recorded run (`deltaflow dashboard --replay FILE.jsonl`). The file is read as a stream, a megabyte
 * at a time, and each event checked strictly before anything listens, so a bad file is refused with the
 * number of its first bad line (and a recording of any size is read in little memory); a byte order mark and a
 * cut last line are tolerated, with a warning (`onWarning`, and on the page). What a page gets is the run
 * thinned to a bounded size ({@link ReplayHistory}: every chart keeps its shape), which it then plays back
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

  const host = options.host ?? '127.0.0.1';
  const http = createServer(createStaticHandler(options.pageDir ?? findPageDir(), { attachPath: 'ws' }));
  const port = await listen(http, options.port ?? 0, host);
  const origins = allowedOrigins(host, port, options.allowedOrigins);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let endTimer: ReturnType<typeof setTimeout> | null = null;
  http.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws' || !origins.has(request.headers.origin ?? '')) return refuseUpgrade(socket);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      sendAll(ws, frames, () => {
        if (options.closeAfterEndMs !== undefined && endTimer === null) {
          endTimer = setTimeout(() => void close(), options.closeAfterEndMs);
        }
      });
    });
  });

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (endTimer !== null) clearTimeout(endTimer);
      await Promise.all(
        [...sockets.clients].map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              const force = setTimeout(() => socket.terminate(), 500);
              socket.once('close', () => {
                clearTimeout(force);
                resolve();
              });
              socket.close(1001, 'The dashboard server is closing.');
            }),
        ),
      );
      sockets.close();
      await stopListening(http);
      resolveClosed();
    })();
    return closing;
  };
  return { url: pageUrl(host, port), port, host, closed, close };
}
