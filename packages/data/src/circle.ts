import type { Dataset, DatasetOptions } from './dataset.js';
import { pointsDataset, settings } from './synthetic.js';

const RADIUS = 5;

/**
 * Two classes in the plane, as the playground's "circle": half the points in a disc of radius 2.5 around the
 * origin (class 1, `'inside'`), half in a ring from radius 3.5 to 5 (class 0, `'outside'`). Noise moves the point
 * by up to `noise * 5` in x and y before its label is decided, so some points get the other class's label.
 *
 * @example
 * ```ts
 * const ds = circle({ points: 200, noise: 0.1, seed: 1 });
 * ds.inputs.shape;  // → [200, 2]
 * ds.targets.shape; // 1 inside, 0 outside → [200, 1]
 * ```
 * @param options - `points` (default 500), `noise` (default 0), `seed` (default 42), `dtype`
 * @returns a binary classification set with features `x1`, `x2` and one 0/1 target column
 * @category Datasets
 */
export function circle(options: DatasetOptions = {}): Dataset {
  const s = settings('circle', options, 2);
  const n = s.points;
  const xy = new Float64Array(2 * n);
  const t = new Float64Array(n);
  const inside = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const r = i < inside ? s.rng.range(0, RADIUS * 0.5) : s.rng.range(RADIUS * 0.7, RADIUS);
    const angle = s.rng.range(0, 2 * Math.PI);
    const x = r * Math.sin(angle);
    const y = r * Math.cos(angle);
    const noiseX = s.rng.range(-RADIUS, RADIUS) * s.noise;
    const noiseY = s.rng.range(-RADIUS, RADIUS) * s.noise;
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    t[i] = Math.hypot(x + noiseX, y + noiseY) < RADIUS * 0.5 ? 1 : 0;
  }
  return pointsDataset('circle', 'classification', xy, t, s, {
    targetNames: ['inside'],
    classNames: ['outside', 'inside'],
  });
}
