// Training events and data for the dashboard's tests (server, shared modules, attached pages).
import { Tensor } from '@deltaflow/tensor';
import type { EpochEvent, TrainingData } from '@deltaflow/trainer';

/** The epoch event of epoch `n`: a loss of 1/n, no metrics, learning rate 0.1. */
export function epochEvent(n: number): EpochEvent {
  return { type: 'epoch', epoch: n, loss: 1 / n, metrics: {}, elapsedMs: n, samplesPerSecond: 1, lr: 0.1 };
}

/** The four points of XOR: two inputs, one target. */
export function xorData(): TrainingData {
  return {
    inputs: Tensor.fromNested([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]),
    targets: Tensor.fromNested([[0], [1], [1], [0]]),
  };
}
