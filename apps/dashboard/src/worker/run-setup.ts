import type { Sequential } from '@deltaflow/network';
import { createRun, prepareRun } from '@deltaflow/trainer';
import type { RunDescription, TrainingRun } from '@deltaflow/trainer';
import { pointsMessage } from '../model/points.js';
import type { PointsMessage } from '../shared/feed.js';

/** A standalone run, ready to start: the model it trains, the run, and the points for the heatmap. */
export interface PlaygroundRun {
  model: Sequential;
  run: TrainingRun;
  /** Each layer's transfer function, input side first. */
  activations: string[];
  /** For 2-D data with one target: the points to draw; else null. */
  points: PointsMessage | null;
  /**
   * What the run's model file keeps in its `meta`, as `deltaflow train --save` writes it: the data's column,
   * class and target names, the input scaler, the split, and the loss, task, optimizer, batch size and seed.
   */
  meta: Record<string, unknown>;
}

/**
 * Builds what a run description asks for with the library's recipe, exactly as `deltaflow train` and your own
 * code do (the same description gives the same weights, bit for bit): the seeded data and split, the seeded
 * model, and a controllable run over it with batch events and the validation part as the test set. Rejects
 * with the recipe's DeltaflowError for a bad choice (cross-entropy on one output, ...).
 *
 * @example
 * ```ts
 * // not-runnable: the playground's run trains until it is stopped
 * import { DEFAULT_CONFIG, describePlaygroundRun } from '../shared/playground-config.js';
 *
 * const { run } = await setupRun(describePlaygroundRun(DEFAULT_CONFIG));
 * run.events$.subscribe(console.log);
 * ```
 * @category Worker
 */
export async function setupRun(description: RunDescription): Promise<PlaygroundRun> {
  const { model, train, validation, trainOptions, meta } = await prepareRun(description);
  const run = createRun(model, train, { ...trainOptions, batchEvents: true });
  const planar = train.inputs.cols === 2 && train.targets.cols === 1;
  const points = planar
    ? pointsMessage(
        { inputs: train.inputs.data, targets: train.targets.data },
        validation ? { inputs: validation.inputs.data, targets: validation.targets.data } : null,
        train.task,
      )
    : null;
  const activations = model.summary().layers.map((layer) => layer.activation);
  const { loss, optimizer, optimizerOptions, batchSize, seed, task } = trainOptions;
  return {
    model,
    run,
    activations,
    points,
    meta: { ...meta, loss, optimizer, optimizerOptions, batchSize, seed, task },
  };
}
