import type { EpochEvent, TrainingEvent } from '@deltaflow/trainer';
import { columnsToJSON, packEpochs } from '../shared/epoch-columns.js';
import type { ServerMessage } from '../shared/wire.js';

/**
 * Events as wire messages, in order: runs of epoch events packed into columns (JSON number arrays parse far
 * faster than as many objects), the other events as they are.
 *
 * @example
 * ```ts
 * toServerMessages(events); // start, epochs 1 and 2, end: [events [start], epochs [1, 2], events [end]]
 * ```
 * @category Server
 */
export function toServerMessages(events: readonly TrainingEvent[]): ServerMessage[] {
  const messages: ServerMessage[] = [];
  let others: TrainingEvent[] = [];
  let epochs: EpochEvent[] = [];
  const close = (): void => {
    for (let i = 0; i < others.length; i += CATCH_UP_EVENTS)
      messages.push({ type: 'events', events: others.slice(i, i + CATCH_UP_EVENTS) });
    if (epochs.length > 0) messages.push(columnsToJSON(packEpochs(epochs)));
    others = [];
    epochs = [];
  };
  for (const event of events) {
    if (event.type === 'epoch') {
      if (others.length > 0) close();
      epochs.push(event);
    } else {
      if (epochs.length > 0) close();
      others.push(event);
    }
  }
  close();
  return messages;
}

/** Epoch events per `epochs` message of a catch-up. */
const CATCH_UP_CHUNK = 5000;
/** Other events per `events` message of a catch-up (a backward event is some 300 bytes of JSON). */
const CATCH_UP_EVENTS = 250;

/**
 * A history (a `RunHistory` snapshot) as few wire messages as possible, for a page that connects late:
 * the start event and the other events first ({@link CATCH_UP_EVENTS} a message), every epoch event packed in
 * columns next (one message per {@link CATCH_UP_CHUNK} epochs), the checkpoint and end events last. Each kind of event stays in order, which is all a page
 * needs to fold them in.
 *
 * @example
 * ```ts
 * catchUpMessages(events); // a RunHistory's snapshot: [events [start, backward...], epochs [...], events [end]]
 * ```
 * @category Server
 */
export function catchUpMessages(events: readonly TrainingEvent[]): ServerMessage[] {
  const others: TrainingEvent[] = [];
  const epochs: EpochEvent[] = [];
  const last: TrainingEvent[] = [];
  for (const event of events) {
    if (event.type === 'epoch') epochs.push(event);
    else if (event.type === 'end' || event.type === 'checkpoint') last.push(event);
    else others.push(event);
  }
  const messages: ServerMessage[] = [];
  for (let i = 0; i < others.length; i += CATCH_UP_EVENTS)
    messages.push({ type: 'events', events: others.slice(i, i + CATCH_UP_EVENTS) });
  for (let i = 0; i < epochs.length; i += CATCH_UP_CHUNK)
    messages.push(columnsToJSON(packEpochs(epochs.slice(i, i + CATCH_UP_CHUNK))));
  if (last.length > 0) messages.push({ type: 'events', events: last });
  return messages;
}
