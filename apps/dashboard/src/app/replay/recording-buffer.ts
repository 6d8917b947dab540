import type { TrainingEvent } from '@deltaflow/trainer';
import { unpackEpochs } from '../../shared/epoch-columns.js';
import type { FeedMessage } from '../../shared/feed.js';

/**
 * Gathers a replay server's recording from the page's feed: its events, and its runs of epoch events (sent
 * packed in columns), in order, until all `expected` events are in.
 *
 * @example
 * ```ts
 * const recording = new RecordingBuffer(events.length);
 * recording.add({ type: 'events', events });
 * recording.complete; // → true
 * ```
 * @category Dashboard
 */
export class RecordingBuffer {
  readonly events: TrainingEvent[] = [];

  constructor(readonly expected: number) {}

  /** Takes a feed message; events and epoch columns are kept, anything else is ignored. */
  add(message: FeedMessage): void {
    if (message.type === 'events') for (const event of message.events) this.events.push(event);
    else if (message.type === 'epochs') for (const event of unpackEpochs(message)) this.events.push(event);
  }

  /** Whether every event of the recording is in. */
  get complete(): boolean {
    return this.events.length >= this.expected;
  }
}
