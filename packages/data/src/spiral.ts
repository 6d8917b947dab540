import type { Dataset, DatasetOptions } from './dataset.js';
import { pointsDataset, settings } from './synthetic.js';

/**
 * Two interleaved spirals, as the playground's "spiral": each arm turns 1.75 times around the origin while its
 * radius grows from 0 to 5; the second arm is the first turned by pi. Noise adds a uniform jitter in
 * [-noise, noise] to x and y.
 *
 * @example
 * ```ts
 * const ds = spiral({ points: 400, noise: 0.2 });
 * ds.classNames; // target 1 is the arm starting at angle 0 → ['second', 'first']
 * ```
 * @param options - `points` (default 500), `noise` (default 0), `seed` (default 42), `dtype`
 * @returns a binary classification set with features `x1`, `x2` and one 0/1 target column
 * @category Datasets
 */
export function spiral(options: DatasetOptions = {}): Dataset {
  const s = settings('spiral', options, 2);
  const n = s.points;
  const xy = new Float64Array(2 * n);
  const t = new Float64Array(n);
  const first = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const arm = i < first ? 0 : 1;
    const perArm = arm === 0 ? first : n - first;
    const k = arm === 0 ? i : i - first;
    const r = (k / perArm) * 5;
    const angle = ((1.75 * k) / perArm) * 2 * Math.PI + arm * Math.PI;
    xy[2 * i] = r * Math.sin(angle) + s.rng.range(-1, 1) * s.noise;
    xy[2 * i + 1] = r * Math.cos(angle) + s.rng.range(-1, 1) * s.noise;
    t[i] = arm === 0 ? 1 : 0;
  }
  return pointsDataset('spiral', 'classification', xy, t, s, {
    targetNames: ['first'],
    classNames: ['second', 'first'],
  });
}
