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
    if (others.length > 0) messages.push({ type: 'events', events: others });
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
