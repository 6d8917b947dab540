// Training events for the unit tests of the server and the shared modules.
import type { EpochEvent } from '@deltaflow/trainer';

/** The epoch event of epoch `n`: a loss of 1/n, no metrics, learning rate 0.1. */
export function epochEvent(n: number): EpochEvent {
  return { type: 'epoch', epoch: n, loss: 1 / n, metrics: {}, elapsedMs: n, samplesPerSecond: 1, lr: 0.1 };
}
