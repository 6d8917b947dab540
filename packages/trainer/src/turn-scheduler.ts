import { Subscription } from 'rxjs';
import type { SchedulerAction, SchedulerLike } from 'rxjs';

/** The side of a `MessageChannel` used here (a browser's and Node's ports both have these). */
interface Port {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** The host functions that give the event loop a turn, looked up at each call (so fake timers in tests apply). */
interface TurnHost {
  setImmediate?: (callback: () => void) => unknown;
  clearImmediate?: (handle: unknown) => void;
  MessageChannel?: new () => { port1: Port; port2: Port };
}

/**
 * Runs `callback` after one real turn of the event loop, without a timer's delay: `setImmediate` in Node (after
 * the turn's timers and I/O), a `MessageChannel` message in a browser or worker (a task: events and rendering
 * come between), else `setTimeout(0)`. Returns what cancels it.
 */
function nextTurn(callback: () => void): () => void {
  const host = globalThis as unknown as TurnHost;
  if (typeof host.setImmediate === 'function' && typeof host.clearImmediate === 'function') {
    const handle = host.setImmediate(callback);
    const clear = host.clearImmediate;
    return () => clear(handle);
  }
  if (typeof host.MessageChannel === 'function') {
    const channel = new host.MessageChannel();
    let cancelled = false;
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!cancelled) callback();
    };
    channel.port2.postMessage(null);
    return () => {
      cancelled = true;
      channel.port1.close();
    };
  }
  const handle = setTimeout(callback, 0);
  return () => clearTimeout(handle);
}

/** One scheduled piece of work of {@link turnScheduler}: rescheduled by the work itself, cancelled by unsubscribing. */
class TurnAction<T> extends Subscription implements SchedulerAction<T> {
  private cancel: (() => void) | null = null;

  constructor(private readonly work: (this: SchedulerAction<T>, state?: T) => void) {
    super(() => {
      this.cancel?.();
      this.cancel = null;
    });
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.cancel?.();
    const run = (): void => {
      this.cancel = null;
      if (!this.closed) this.work.call(this, state);
    };
    if (delay > 0) {
      const handle = setTimeout(run, delay);
      this.cancel = () => clearTimeout(handle);
    } else this.cancel = nextTurn(run);
    return this;
  }
}

/**
 * The scheduler the training loop yields on by default: a zero delay is one real turn of the event loop (timers,
 * I/O, signals and a UI's events all run in it) but not a timer, whose clamp (1 ms and more, under load) would be
 * paid at every yield; a positive delay is a timer. RxJS's `asyncScheduler` makes every yield a timer.
 * @internal
 */
export const turnScheduler: SchedulerLike = {
  now: () => Date.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new TurnAction<T>(work).schedule(state, delay);
  },
};
