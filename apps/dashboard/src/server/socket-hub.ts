import type { ModelJSON } from '@deltaflow/network';
import type { RunState, TrainingEvent } from '@deltaflow/trainer';
import { WebSocket } from 'ws';
import { parseClientMessage } from '../shared/wire.js';
import type { ClientMessage, HelloMessage, ServerMessage } from '../shared/wire.js';
import { toServerMessages } from './server-messages.js';

/** Events per `events` message when a page catches up on the history. */
const CHUNK = 5000;
/** A page that has this much unsent data waits for the next flush. */
const MAX_BUFFERED = 4 * 1024 * 1024;

interface Client {
  /** How many history events this page has been sent. */
  sent: number;
  /** The model snapshot version it has. */
  model: number;
}

/**
 * The WebSocket side of the dashboard server: keeps the run's history (already thinned), and sends every page
 * what it has not had yet, in batches at most every `flushMs`: a page opened late gets the whole history first,
 * then follows live. Also passes the pages' commands on, and says goodbye on close.
 * @category Server
 */
export class SocketHub {
  private readonly history: TrainingEvent[] = [];
  private readonly clients = new Map<WebSocket, Client>();
  private model: { epoch: number; model: ModelJSON; version: number } | null = null;
  private state: RunState = 'idle';
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly hello: HelloMessage,
    private readonly onCommand: (message: ClientMessage) => void,
    private readonly flushMs = 50,
  ) {}

  /** Number of connected pages. */
  get size(): number {
    return this.clients.size;
  }

  /** Takes a new page: hello, the state, then everything so far. */
  add(socket: WebSocket): void {
    this.clients.set(socket, { sent: 0, model: 0 });
    socket.on('message', (data) => {
      const message = parseClientMessage(String(data));
      if (message && this.hello.control) this.onCommand(message);
    });
    socket.on('close', () => this.clients.delete(socket));
    socket.on('error', () => socket.terminate());
    this.send(socket, this.hello);
    this.send(socket, { type: 'state', state: this.state });
    this.catchUp(socket, new Map());
  }

  /** Records an event and schedules sending it. */
  event(event: TrainingEvent): void {
    this.history.push(event);
    this.schedule();
  }

  /** Records the newest model snapshot. */
  snapshot(epoch: number, model: ModelJSON): void {
    this.model = { epoch, model, version: (this.model?.version ?? 0) + 1 };
    this.schedule();
  }

  /** Sends pending events, then the new state, to every page. */
  setState(state: RunState): void {
    this.state = state;
    this.flush();
    this.broadcast({ type: 'state', state });
  }

  /** Sends an error text to every page. */
  error(message: string): void {
    this.flush();
    this.broadcast({ type: 'error', message });
  }

  /** Sends every page what it is missing, now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const texts = new Map<string, string[]>();
    for (const socket of this.clients.keys()) this.catchUp(socket, texts);
  }

  /** Closes every page's socket (code 1001, going away); resolves when all are closed (terminating after 500 ms). */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const sockets = [...this.clients.keys()];
    await Promise.all(
      sockets.map(
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
    this.clients.clear();
  }

  private schedule(): void {
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.flushMs);
  }

  /** Sends `socket` its missing history (chunked; JSON shared between pages at the same point) and model. */
  private catchUp(socket: WebSocket, texts: Map<string, string[]>): void {
    const client = this.clients.get(socket);
    if (!client || socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > MAX_BUFFERED) return;
    while (client.sent < this.history.length) {
      const end = Math.min(this.history.length, client.sent + CHUNK);
      const key = `${client.sent}:${end}`;
      let frames = texts.get(key);
      if (frames === undefined) {
        frames = toServerMessages(this.history.slice(client.sent, end)).map((m) => JSON.stringify(m));
        texts.set(key, frames);
      }
      for (const frame of frames) socket.send(frame);
      client.sent = end;
    }
    if (this.model && client.model !== this.model.version) {
      client.model = this.model.version;
      this.send(socket, { type: 'model', epoch: this.model.epoch, model: this.model.model });
    }
  }

  private broadcast(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.clients.keys()) if (socket.readyState === WebSocket.OPEN) socket.send(text);
  }

  private send(socket: WebSocket, message: ServerMessage): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }
}
