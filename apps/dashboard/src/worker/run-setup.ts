import { createDataset, splitDataset } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { createRun } from '@deltaflow/trainer';
import type { TrainingRun } from '@deltaflow/trainer';
import { pointsMessage } from '../model/points.js';
import type { PointsMessage } from '../shared/feed.js';
import { outputActivation } from '../shared/playground-config.js';
import type { PlaygroundConfig } from '../shared/playground-config.js';

/** Epochs of a standalone run: the playground trains until you pause it. */
export const PLAYGROUND_EPOCHS = 1_000_000;

/** A standalone run, ready to start: the model it trains, the run, and the points for the heatmap. */
export interface PlaygroundRun {
  model: Sequential;
  run: TrainingRun;
  /** Each layer's transfer function, input side first. */
  activations: string[];
  /** For 2-D data with one target: the points to draw; else null. */
  points: PointsMessage | null;
}

function split(ds: Dataset, config: PlaygroundConfig): { train: Dataset; test: Dataset | null } {
  // xor has four fixed points: train and test on all of them.
  if (ds.name === 'xor' || config.trainFraction >= 1) return { train: ds, test: null };
  const { train, validation } = splitDataset(ds, { validation: 1 - config.trainFraction, seed: config.seed });
  return { train, test: validation };
}

/**
 * Builds what a standalone configuration asks for: the seeded dataset and split, the seeded model (hidden
 * layers with the chosen activation, an output layer fitting the task and loss), and a controllable run over
 * it with batch events and the test set as validation data. Throws a DeltaflowError for a bad choice.
 *
 * @example
 * ```ts
 * // not-runnable: trains until stopped
 * import { DEFAULT_CONFIG } from '../shared/playground-config.js';
 *
 * const { run } = setupRun(DEFAULT_CONFIG);
 * run.events$.subscribe(console.log);
 * ```
 * @category Worker
 */
export function setupRun(config: PlaygroundConfig): PlaygroundRun {
  const ds = createDataset(config.dataset, { points: config.points, noise: config.noise, seed: config.seed });
  const { train, test } = split(ds, config);
  const outputs = ds.targets.cols;
  const output = outputActivation(ds.task, config.loss, outputs);
  const activations = [...config.layers.map(() => config.activation), output];
  const model = mlp({
    inputs: ds.inputs.cols,
    layers: activations.map((activation, i) => ({ units: config.layers[i] ?? outputs, activation })),
    seed: config.seed,
  });
  const run = createRun(
    model,
    { inputs: train.inputs, targets: train.targets, task: ds.task },
    {
      epochs: PLAYGROUND_EPOCHS,
      batchSize: config.batchSize,
      seed: config.seed,
      lr: config.lr,
      loss: config.loss,
      optimizer: config.optimizer,
      optimizerOptions: config.weightDecay > 0 ? { weightDecay: config.weightDecay } : {},
      ...(test ? { validation: { inputs: test.inputs, targets: test.targets } } : {}),
      batchEvents: true,
    },
  );
  const planar = ds.inputs.cols === 2 && outputs === 1;
  const points = planar
    ? pointsMessage(
        { inputs: train.inputs.data, targets: train.targets.data },
        test ? { inputs: test.inputs.data, targets: test.targets.data } : null,
        ds.task,
      )
    : null;
  return { model, run, activations, points };
}
