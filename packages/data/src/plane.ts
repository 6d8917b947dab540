import type { Dataset, DatasetOptions } from './dataset.js';
import { pointsDataset, settings } from './synthetic.js';

const RADIUS = 6;

/**
 * A tilted plane to regress, as the playground's "plane": points uniform in [-6, 6]^2 and the target
 * (x1 + x2) / 10, so targets lie in [-1.2, 1.2]. Noise shifts the point by up to `noise * 6` in x and y before
 * the target is computed.
 *
 * @example
 * ```ts
 * const ds = plane({ points: 300, noise: 0.05 });
 * ds.task;        // → 'regression'
 * ds.targetNames; // → ['y']
 * ```
 * @param options - `points` (default 500), `noise` (default 0), `seed` (default 42), `dtype`
 * @returns a regression set with features `x1`, `x2` and one target column `y`
 * @category Datasets
 */
export function plane(options: DatasetOptions = {}): Dataset {
  const s = settings('plane', options, 1);
  const n = s.points;
  const xy = new Float64Array(2 * n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = s.rng.range(-RADIUS, RADIUS);
    const y = s.rng.range(-RADIUS, RADIUS);
    const noiseX = s.rng.range(-RADIUS, RADIUS) * s.noise;
    const noiseY = s.rng.range(-RADIUS, RADIUS) * s.noise;
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    t[i] = (x + noiseX + y + noiseY) / 10;
  }
  return pointsDataset('plane', 'regression', xy, t, s, { targetNames: ['y'] });
}
