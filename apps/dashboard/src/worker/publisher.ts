import type { EpochEvent, RunState, TrainingEvent } from '@deltaflow/trainer';
import { columnBuffers, packEpochs } from '../shared/epoch-columns.js';
import type { FeedMessage, SnapshotMessage } from '../shared/feed.js';

/** Posts messages to the page in one go, in order, transferring the given buffers. */
export type Post = (messages: FeedMessage[], transfer: Transferable[]) => void;

/** A queued message; runs of epoch events are packed into columns when sent. */
type Pending = FeedMessage | { type: 'epoch-run'; events: EpochEvent[] };

/**
 * Batches what the worker sends the page: events are gathered and posted at most every `intervalMs` (runs of
 * epoch events packed into transferred columns, every epoch kept), state changes keep their place between
 * events, and only the newest pending snapshot is sent. Order is kept, and everything queued goes in one post,
 * so the page handles a flush in one task.
 * @category Worker
 */
export class Publisher {
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly post: Post,
    private readonly intervalMs = 50,
  ) {}

  /** Queues a training event. */
  event(event: TrainingEvent): void {
    const last = this.pending[this.pending.length - 1];
    if (event.type === 'epoch') {
      if (last?.type === 'epoch-run') last.events.push(event);
      else this.pending.push({ type: 'epoch-run', events: [event] });
    } else if (last?.type === 'events') last.events.push(event);
    else this.pending.push({ type: 'events', events: [event] });
    this.schedule();
  }

  /** Queues a change of the run's state. */
  state(state: RunState): void {
    this.pending.push({ type: 'state', state });
    this.schedule();
  }

  /** Queues a model snapshot, replacing one not sent yet. */
  snapshot(snapshot: SnapshotMessage): void {
    this.pending = this.pending.filter((m) => m.type !== 'snapshot');
    this.pending.push(snapshot);
    this.schedule();
  }

  /** Sends any other message right away, after what is queued. */
  send(message: FeedMessage): void {
    this.pending.push(message);
    this.flush();
  }

  /** Posts everything queued now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = [];
    if (pending.length === 0) return;
    const messages: FeedMessage[] = [];
    const transfer: Transferable[] = [];
    for (const message of pending) {
      if (message.type === 'epoch-run') {
        const columns = packEpochs(message.events);
        messages.push(columns);
        transfer.push(...columnBuffers(columns));
      } else {
        messages.push(message);
        if (message.type === 'snapshot') transfer.push(...snapshotBuffers(message));
      }
    }
    this.post(messages, transfer);
  }

  /** Drops everything queued (a new run replaces the old one). */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private schedule(): void {
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }
}

function snapshotBuffers(snapshot: SnapshotMessage): Transferable[] {
  const buffers: ArrayBuffer[] = [];
  for (const layer of snapshot.layers)
    buffers.push(layer.weights.buffer as ArrayBuffer, layer.bias.buffer as ArrayBuffer);
  for (const layer of snapshot.grid?.layers ?? []) buffers.push(layer.buffer as ArrayBuffer);
  return buffers;
}
