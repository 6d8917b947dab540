import type { ModelJSON } from '@deltaflow/network';
import type { RunState, TrainingEvent } from '@deltaflow/trainer';
import { WebSocket } from 'ws';
import { RunHistory } from '../shared/run-history.js';
import { readClientMessage } from '../shared/wire.js';
import type { ClientMessage, HelloMessage, ServerMessage } from '../shared/wire.js';
import { Outbox, socketFull } from './outbox.js';
import { closeSockets } from './page-server.js';
import { catchUpMessages, toServerMessages } from './server-messages.js';

/**
 * A page whose queue (frames not yet handed to its socket) grows past this many characters is too slow to
 * follow live: its queue is dropped, and once its socket drains it gets the (bounded) history afresh.
 */
const MAX_QUEUED = 8 * 1024 * 1024;

interface Client {
  /** Frames waiting for the socket, oldest first (catch-up messages are turned into JSON only when sent). */
  queue: Outbox;
  /** Whether the page must get the history afresh (it is new, or fell too far behind) before anything live. */
  resync: boolean;
  /** The model snapshot version it has. */
  model: number;
}

/**
 * The WebSocket side of the dashboard server. Keeps the run's history at a bounded size ({@link RunHistory}:
 * memory stays flat however long the run), gives a page that connects at any time, even after the run's end,
 * that history first, then sends every page the new events in batches at most every `flushMs`. Every page has
 * its own queue and is only handed more when its socket's buffer has drained (backpressure); a catch-up is
 * turned into JSON and sent a few milliseconds at a time, giving the event loop (the training) a turn between
 * slices, and a page too slow to follow skips ahead to the history instead of making the server hold every
 * event for it. Also passes the pages' commands on, and says goodbye on close.
 * @category Server
 */
export class SocketHub {
  private readonly history = new RunHistory();
  private readonly clients = new Map<WebSocket, Client>();
  /** Events since the last flush (sent to the pages that follow live). */
  private pending: TrainingEvent[] = [];
  private model: { epoch: number; model: ModelJSON; version: number } | null = null;
  private state: RunState = 'idle';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly connected: Promise<void>;
  private resolveConnected!: () => void;

  constructor(
    private readonly hello: HelloMessage,
    private readonly onCommand: (message: ClientMessage) => void,
    private readonly flushMs = 50,
  ) {
    this.connected = new Promise((resolve) => (this.resolveConnected = resolve));
  }

  /** Number of connected pages. */
  get size(): number {
    return this.clients.size;
  }

  /** Settles when the first page connects. */
  get firstPage(): Promise<void> {
    return this.connected;
  }

  /** Events the history holds now (bounded, see {@link RunHistory}). */
  get historySize(): number {
    return this.history.size;
  }

  /**
   * Takes a new page: hello, the state, then the history so far, then the live events. With `control` false
   * (its socket did not give the run's token) the page only watches: its hello says so, and a command from it is
   * answered with an error message, as is a malformed command (a learning rate out of range, ...).
   */
  add(socket: WebSocket, control = true): void {
    // Pending events go to the pages already here; the new one gets them as part of the history.
    this.flush();
    this.clients.set(socket, { queue: new Outbox(), resync: true, model: 0 });
    const steers = this.hello.control && control;
    socket.on('message', (data) => {
      const message = readClientMessage(String(data));
      if ('problem' in message) return this.send(socket, { type: 'error', message: message.problem });
      if (steers) return this.onCommand(message);
      this.send(socket, {
        type: 'error',
        message: this.hello.control
          ? 'This page may only watch the run: open the address the run printed (with its #token=...) to steer it.'
          : 'This run cannot be steered from the dashboard.',
      });
    });
    socket.on('close', () => this.forget(socket));
    socket.on('error', () => socket.terminate());
    this.send(socket, steers === this.hello.control ? this.hello : { ...this.hello, control: steers });
    this.send(socket, { type: 'state', state: this.state });
    this.pump(socket);
    this.resolveConnected();
  }

  /** Records an event and schedules sending it. */
  event(event: TrainingEvent): void {
    this.history.push(event);
    this.pending.push(event);
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

  /** Queues the pending events for every page that follows live, and hands each page what its socket takes. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length > 0 && this.clients.size === 0) this.pending = [];
    if (this.pending.length > 0) {
      const frames = toServerMessages(this.pending).map((m) => JSON.stringify(m));
      this.pending = [];
      for (const client of this.clients.values()) for (const frame of frames) this.enqueue(client, frame);
    }
    for (const socket of this.clients.keys()) this.pump(socket);
  }

  /** Closes every page's socket (code 1001, going away); resolves when all are closed (terminating after 500 ms). */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const sockets = [...this.clients.keys()];
    for (const socket of sockets) this.forget(socket);
    await closeSockets(sockets);
  }

  private schedule(): void {
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.flushMs);
  }

  private forget(socket: WebSocket): void {
    this.clients.get(socket)?.queue.dispose();
    this.clients.delete(socket);
  }

  /** Adds a frame to a page's queue, or, when the page is too far behind, drops its queue for a resync. */
  private enqueue(client: Client, frame: string): void {
    if (client.resync) return; // it will get the history, which holds this
    if (client.queue.queuedChars + frame.length > MAX_QUEUED) {
      client.queue.clear();
      client.resync = true;
      return;
    }
    client.queue.push(frame);
  }

  /**
   * Hands `socket` queued frames while its buffer has room: first the history when it needs it, then its queue,
   * then the newest model. With a full buffer, looks again a little later.
   */
  private pump(socket: WebSocket): void {
    const client = this.clients.get(socket);
    if (!client || socket.readyState !== WebSocket.OPEN) return;
    const resume = (): void => this.pump(socket);
    if (socketFull(socket)) return client.queue.waitForDrain(resume);
    if (client.resync) {
      // Events not yet flushed are in the history: the next flush, which clears them first, resyncs the page.
      if (this.pending.length > 0) return this.schedule();
      client.resync = false;
      // What was queued meanwhile (states, errors) follows the history.
      client.queue.prepend(catchUpMessages(this.history.snapshot()));
      // the model too: a page that resyncs has started over
      client.model = 0;
    }
    if (!client.queue.sendTo(socket, resume)) return;
    if (this.model && client.model !== this.model.version) {
      client.model = this.model.version;
      this.send(socket, { type: 'model', epoch: this.model.epoch, model: this.model.model });
    }
  }

  /** Queues `message` for every page, after what it is already waiting for. */
  private broadcast(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const [socket, client] of this.clients) {
      if (client.resync || client.queue.length > 0) {
        // Order matters (a state after the events it follows): a page catching up gets it after its queue.
        client.queue.push(text);
        this.pump(socket);
      } else {
        this.send(socket, message, text);
      }
    }
  }

  private send(socket: WebSocket, message: ServerMessage, text = JSON.stringify(message)): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
  }
}
