import { WebSocket } from 'ws';
import type { ServerMessage } from '../shared/wire.js';

/** A page whose socket holds this much unsent data gets nothing more until it drains. */
export const MAX_BUFFERED = 1024 * 1024;
/** How often a page with a full socket buffer is looked at again, in milliseconds. */
const DRAIN_POLL_MS = 25;
/** Time one page's sending may take from the event loop at once, in milliseconds; then it yields a turn. */
const SLICE_MS = 4;

/**
 * Whether `socket`'s buffer is too full to be handed more (over {@link MAX_BUFFERED}).
 *
 * @example
 * ```ts
 * // not-runnable: needs a page's open socket
 * import type { WebSocket } from 'ws';
 *
 * declare const socket: WebSocket;
 * const outbox = new Outbox();
 * if (socketFull(socket)) outbox.waitForDrain(() => console.log('look again'));
 * ```
 * @category Server
 */
export function socketFull(socket: WebSocket): boolean {
  return socket.bufferedAmount > MAX_BUFFERED;
}

/**
 * One page's frames waiting for its socket, sent with backpressure: a frame is handed to the socket only while
 * its buffer is under {@link MAX_BUFFERED} (else it is looked at again every few milliseconds), and the sending
 * gives the event loop (the training) a turn every few milliseconds. Frames are JSON text, or messages turned into
 * JSON only when sent (a catch-up). Shared by the live server's pages and the replay's.
 *
 * @example
 * ```ts
 * // not-runnable: needs a page's open socket
 * import type { WebSocket } from 'ws';
 *
 * declare const socket: WebSocket;
 * const outbox = new Outbox();
 * outbox.push(JSON.stringify({ type: 'status', text: 'hello' }));
 * const pump = (): void => {
 *   if (outbox.sendTo(socket, pump)) console.log('all handed to the socket');
 * };
 * pump();
 * ```
 * @category Server
 */
export class Outbox {
  private items: (string | ServerMessage)[] = [];
  private chars = 0;
  private drain: ReturnType<typeof setTimeout> | null = null;
  private next: ReturnType<typeof setImmediate> | null = null;

  /** Frames waiting. */
  get length(): number {
    return this.items.length;
  }

  /** Characters of the waiting frames that are JSON text already (messages not yet turned into JSON count 0). */
  get queuedChars(): number {
    return this.chars;
  }

  /** Queues a frame after the others. */
  push(frame: string | ServerMessage): void {
    this.items.push(frame);
    if (typeof frame === 'string') this.chars += frame.length;
  }

  /** Puts `messages` before the waiting frames (a catch-up, which what was queued meanwhile must follow). */
  prepend(messages: readonly ServerMessage[]): void {
    this.items = [...messages, ...this.items];
  }

  /** Drops every waiting frame. */
  clear(): void {
    this.items = [];
    this.chars = 0;
  }

  /** Calls `resume` once the socket has had time to drain (one pending look at a time). */
  waitForDrain(resume: () => void): void {
    this.drain ??= setTimeout(() => {
      this.drain = null;
      resume();
    }, DRAIN_POLL_MS);
  }

  /**
   * Hands `socket` waiting frames, oldest first, while its buffer has room and for a few milliseconds at most.
   * Returns true when none is left; otherwise `resume` is called later (once the buffer may have drained, or on
   * the event loop's next turn) to go on.
   */
  sendTo(socket: WebSocket, resume: () => void): boolean {
    const sliceStart = performance.now();
    while (this.items.length > 0) {
      if (socket.readyState !== WebSocket.OPEN) return false;
      if (socketFull(socket)) {
        this.waitForDrain(resume);
        return false;
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        this.next ??= setImmediate(() => {
          this.next = null;
          resume();
        });
        return false;
      }
      const item = this.items.shift()!;
      if (typeof item === 'string') this.chars -= item.length;
      socket.send(typeof item === 'string' ? item : JSON.stringify(item));
    }
    return true;
  }

  /** Cancels the pending looks (the page has gone). */
  dispose(): void {
    if (this.drain) clearTimeout(this.drain);
    if (this.next) clearImmediate(this.next);
    this.drain = null;
    this.next = null;
  }
}
