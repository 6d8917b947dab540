import type { ObservedRun, RunState } from '@deltaflow/trainer';
import { GridSampler } from '../model/grid.js';
import { pointsMessage } from '../model/points.js';
import { weightsOfModel } from '../model/weights.js';
import type { PointsMessage, SnapshotMessage } from '../shared/feed.js';

const SNAPSHOT_INTERVAL_MS = 100;
const GRID_SIZE = 50;

/**
 * What the standalone page draws besides the events, computed in the training worker from the live model: the
 * data points of 2-D data (once, after the start event), and model snapshots (weights, and the output grid of
 * 2-D data) at most every 100 ms, at every epoch the run holds at, and at the end. An observer of
 * `serveTrainingWorker` (`@deltaflow/trainer`): the messages reach the page through the run's `messages$`, in
 * order with its events.
 *
 * @example
 * ```ts
 * // not-runnable: in the training worker
 * import { serveTrainingWorker } from '@deltaflow/trainer';
 * import type { TrainingWorkerScope } from '@deltaflow/trainer';
 *
 * serveTrainingWorker(self as unknown as TrainingWorkerScope, { observe: observeForDashboard });
 * ```
 * @category Worker
 */
export function observeForDashboard(run: ObservedRun): () => void {
  const { model, train, validation } = run.prepared;
  const activations = model.summary().layers.map((layer) => layer.activation);
  const points: PointsMessage | null =
    train.inputs.cols === 2 && train.targets.cols === 1
      ? pointsMessage(
          { inputs: train.inputs.data, targets: train.targets.data },
          validation ? { inputs: validation.inputs.data, targets: validation.targets.data } : null,
          train.task,
        )
      : null;
  const sampler = new GridSampler(GRID_SIZE);
  let last = 0;
  let state: RunState = 'idle';

  const snapshot = (epoch: number): void => {
    last = performance.now();
    const grid = points ? sampler.sample(model, points.extent) : null;
    const message: SnapshotMessage = {
      type: 'snapshot',
      epoch,
      layers: weightsOfModel(model, activations),
      grid,
    };
    const buffers: ArrayBuffer[] = [];
    for (const layer of message.layers)
      buffers.push(layer.weights.buffer as ArrayBuffer, layer.bias.buffer as ArrayBuffer);
    for (const layer of grid?.layers ?? []) buffers.push(layer.buffer as ArrayBuffer);
    run.post(message, buffers);
  };

  const states = run.state$.subscribe((s) => (state = s));
  const events = run.events$.subscribe((event) => {
    if (event.type === 'start') {
      if (points) run.post(points);
      snapshot(0);
    } else if (event.type === 'epoch') {
      if (state === 'paused' || performance.now() - last >= SNAPSHOT_INTERVAL_MS) snapshot(event.epoch);
    } else if (event.type === 'end') snapshot(event.epochs);
  });
  return () => {
    states.unsubscribe();
    events.unsubscribe();
  };
}
