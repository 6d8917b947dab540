import type { Dataset, DatasetOptions } from './dataset.js';
import { pointsDataset, settings } from './synthetic.js';

/**
 * Two gaussian blobs, as the playground's "gauss": class 1 around (2, 2), class 0 around (-2, -2). The variance
 * of each coordinate grows linearly with the noise, from 0.5 at noise 0 to 4 at noise 0.5 (the playground's
 * scale), so noisy blobs overlap.
 *
 * @example
 * ```ts
 * const ds = gauss({ points: 100, noise: 0.25, seed: 3 }); // variance 2.25
 * ```
 * @param options - `points` (default 500), `noise` (default 0), `seed` (default 42), `dtype`
 * @returns a binary classification set with features `x1`, `x2` and one 0/1 target column
 * @category Datasets
 */
export function gauss(options: DatasetOptions = {}): Dataset {
  const s = settings('gauss', options, 2);
  const n = s.points;
  const xy = new Float64Array(2 * n);
  const t = new Float64Array(n);
  const std = Math.sqrt(0.5 + 7 * s.noise); // variance: 0.5 at noise 0, 4 at noise 0.5
  const positive = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const centre = i < positive ? 2 : -2;
    xy[2 * i] = s.rng.normal(centre, std);
    xy[2 * i + 1] = s.rng.normal(centre, std);
    t[i] = i < positive ? 1 : 0;
  }
  return pointsDataset('gauss', 'classification', xy, t, s, {
    targetNames: ['positive'],
    classNames: ['negative', 'positive'],
  });
}
