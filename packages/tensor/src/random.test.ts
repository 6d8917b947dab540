import { describe, expect, it } from 'vitest';
import { getInitializer, initializers } from './initializers.js';
import type { InitializerName } from './initializers.js';
import { Random } from './random.js';

function stats(xs: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i]!;
    min = Math.min(min, xs[i]!);
    max = Math.max(max, xs[i]!);
  }
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / xs.length), min, max };
}

describe('Random (xoshiro128**)', () => {
  it('matches the xoshiro128** reference sequence for a known state', () => {
    // Reference: the C code of xoshiro128** from state {1, 2, 3, 4} gives 11520, 0, 5927040, 70819200.
    const rng = new Random(0);
    rng.restore([1, 2, 3, 4, NaN]);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([
      11520, 0, 5927040, 70819200,
    ]);
  });

  it('repeats itself for one seed and differs for another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(sa);
  });

  it('draws uniforms in [0, 1) and standard normals', () => {
    const rng = new Random(1);
    const u = Float64Array.from({ length: 20000 }, () => rng.uniform());
    const su = stats(u);
    expect(su.min).toBeGreaterThanOrEqual(0);
    expect(su.max).toBeLessThan(1);
    expect(su.mean).toBeCloseTo(0.5, 1);
    const n = stats(Float64Array.from({ length: 20000 }, () => rng.normal()));
    expect(n.mean).toBeCloseTo(0, 1);
    expect(n.std).toBeCloseTo(1, 1);
  });

  it('saves and restores its state', () => {
    const rng = new Random(3);
    rng.normal();
    const saved = rng.state();
    const next = [rng.normal(), rng.uniform()];
    rng.restore(saved);
    expect([rng.normal(), rng.uniform()]).toEqual(next);
  });

  it('shuffles into a permutation', () => {
    const xs = Int32Array.from({ length: 100 }, (_, i) => i);
    new Random(5).shuffle(xs);
    expect(Array.from(xs).sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(xs)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('initializers', () => {
  const fanIn = 200;
  const fanOut = 100;
  const draw = (name: InitializerName): ReturnType<typeof stats> => {
    const w = new Float64Array(fanIn * fanOut);
    initializers.create(name)(w, fanIn, fanOut, new Random(9));
    return stats(w);
  };

  it('glorot, he and lecun have the bounds and deviations of torch.nn.init', () => {
    const gu = draw('glorot-uniform');
    const a = Math.sqrt(6 / (fanIn + fanOut));
    expect(gu.max).toBeLessThanOrEqual(a);
    expect(gu.min).toBeGreaterThanOrEqual(-a);
    expect(gu.std).toBeCloseTo(a / Math.sqrt(3), 2);
    expect(draw('glorot-normal').std).toBeCloseTo(Math.sqrt(2 / (fanIn + fanOut)), 2);
    expect(draw('he-uniform').max).toBeLessThanOrEqual(Math.sqrt(6 / fanIn));
    expect(draw('he-uniform').std).toBeCloseTo(Math.sqrt(2 / fanIn), 2);
    expect(draw('he-normal').std).toBeCloseTo(Math.sqrt(2 / fanIn), 2);
    expect(draw('lecun-normal').std).toBeCloseTo(Math.sqrt(1 / fanIn), 2);
    expect(draw('zeros').max).toBe(0);
    expect(draw('uniform').max).toBeLessThanOrEqual(0.05);
    expect(draw('normal').std).toBeCloseTo(0.05, 2);
  });

  it('looks up by name and names the known ones otherwise', () => {
    expect(getInitializer('he-normal')).toBe(initializers.create('he-normal'));
    expect(() => getInitializer('orthogonal')).toThrow(/Unknown initializer 'orthogonal'; registered: zeros/);
  });
});
