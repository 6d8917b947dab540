import type { RunState, TrainingEvent } from '@deltaflow/trainer';
import type { EpochColumns } from './epoch-columns.js';

/**
 * A rectangle of the input plane, `[x0, x1, y0, y1]`: what the heatmap and the neuron thumbnails show.
 * @category Feed
 */
export type Extent = readonly [x0: number, x1: number, y0: number, y1: number];

/**
 * Sample points of a 2-D dataset, flat: `inputs` holds x1, x2 pairs and `targets` one value per point.
 * @category Feed
 */
export interface PointSet {
  inputs: Float32Array;
  targets: Float32Array;
}

/**
 * The data points to draw over the heatmap, and the value range of the output colour scale.
 * @category Feed
 */
export interface PointsMessage {
  type: 'points';
  train: PointSet;
  test: PointSet | null;
  extent: Extent;
  /** The output value drawn as the middle of the colour scale's range `[low, high]`. */
  range: readonly [low: number, high: number];
}

/**
 * One layer's weights W (`inputs` rows of `units`, row-major) and biases theta, for the network view and the
 * histograms.
 * @category Feed
 */
export interface LayerWeights {
  inputs: number;
  units: number;
  activation: string;
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * The network evaluated over a `size` x `size` grid of the input plane: `layers[l]` holds every grid point's
 * outputs O_j of layer l (`size * size` rows of `units`, first row at the top left), the last being the output.
 * @category Feed
 */
export interface GridSnapshot {
  size: number;
  extent: Extent;
  layers: Float32Array[];
  units: number[];
}

/**
 * The model at some epoch: weights always, and the grid when the inputs are 2-D.
 * @category Feed
 */
export interface SnapshotMessage {
  type: 'snapshot';
  epoch: number;
  layers: LayerWeights[];
  grid: GridSnapshot | null;
  /**
   * Why there is no grid though the inputs are 2-D (the page cannot build the model: an activation it lacks),
   * one sentence for the page to show where the heatmap would be.
   */
  problem?: string;
}

/**
 * What a dashboard shows, whichever side it comes from (the training worker or the dashboard server): batches
 * of training events, the run's state, data points, model snapshots, connection notes and errors.
 * @category Feed
 */
export type FeedMessage =
  | { type: 'events'; events: TrainingEvent[] }
  | EpochColumns
  | { type: 'state'; state: RunState }
  | PointsMessage
  | SnapshotMessage
  | { type: 'status'; text: string }
  /** A sentence that stays on screen for the page's life (a plugin that could not be installed). */
  | { type: 'notice'; text: string }
  | { type: 'error'; message: string };
