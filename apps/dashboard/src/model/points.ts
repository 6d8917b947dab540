import type { Extent, PointSet, PointsMessage } from '../shared/feed.js';

/** The default input plane when no points are known: the playground's [-6, 6] square. */
export const DEFAULT_EXTENT: Extent = [-6, 6, -6, 6];

/**
 * The square that holds every point with a margin of `pad` times its side, centred on the points.
 *
 * @example
 * ```ts
 * extentOf([Float32Array.of(0, 0, 1, 1)]); // → [-0.1, 1.1, -0.1, 1.1]
 * ```
 * @param inputs - flat x1, x2 pairs, one array per point set
 * @category Model
 */
export function extentOf(inputs: readonly ArrayLike<number>[], pad = 0.1): Extent {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const xy of inputs) {
    for (let i = 0; i + 1 < xy.length; i += 2) {
      x0 = Math.min(x0, xy[i]!);
      x1 = Math.max(x1, xy[i]!);
      y0 = Math.min(y0, xy[i + 1]!);
      y1 = Math.max(y1, xy[i + 1]!);
    }
  }
  if (!Number.isFinite(x0) || !Number.isFinite(y0)) return DEFAULT_EXTENT;
  const side = Math.max(x1 - x0, y1 - y0, 1e-6) * (1 + 2 * pad);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return [cx - side / 2, cx + side / 2, cy - side / 2, cy + side / 2];
}

/**
 * The colour scale's range of output values: [0, 1] for classification, the symmetric range of the targets
 * for regression.
 * @category Model
 */
export function outputRange(
  task: 'classification' | 'regression',
  targets: readonly ArrayLike<number>[],
): [number, number] {
  if (task === 'classification') return [0, 1];
  let m = 0;
  for (const t of targets) for (let i = 0; i < t.length; i++) m = Math.max(m, Math.abs(t[i]!));
  return m > 0 ? [-m, m] : [-1, 1];
}

/**
 * The points message for a 2-D dataset with one target column: flat float32 copies of the train and test
 * points (at most `limit` of each), their extent, and the output range.
 *
 * @example
 * ```ts
 * const message = pointsMessage({ inputs: ds.inputs.data, targets: ds.targets.data }, null, 'classification');
 * ```
 * @category Model
 */
export function pointsMessage(
  train: { inputs: ArrayLike<number>; targets: ArrayLike<number> },
  test: { inputs: ArrayLike<number>; targets: ArrayLike<number> } | null,
  task: 'classification' | 'regression',
  limit = 1000,
): PointsMessage {
  const copy = (set: { inputs: ArrayLike<number>; targets: ArrayLike<number> }): PointSet => {
    const n = Math.min(limit, set.targets.length, Math.floor(set.inputs.length / 2));
    return {
      inputs: Float32Array.from({ length: 2 * n }, (_, i) => set.inputs[i]!),
      targets: Float32Array.from({ length: n }, (_, i) => set.targets[i]!),
    };
  };
  const trainSet = copy(train);
  const testSet = test ? copy(test) : null;
  const sets = testSet ? [trainSet, testSet] : [trainSet];
  return {
    type: 'points',
    train: trainSet,
    test: testSet,
    extent: extentOf(sets.map((s) => s.inputs)),
    range: outputRange(
      task,
      sets.map((s) => s.targets),
    ),
  };
}
