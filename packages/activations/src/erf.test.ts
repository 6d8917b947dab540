import { describe, expect, it } from 'vitest';
import { erf, erfc } from './erf.js';
import { Random } from '@deltaflow/tensor';

// [x, erf(x), erfc(x), erfc(-x)] from mpmath 1.2.1 at 50 digits, rounded to double; torch.erf (1.13.0a0,
// float64) gives the same erf values.
const table: [number, number, number, number][] = [
  [1e-300, 1.1283791670955126e-300, 1, 1],
  [1e-10, 1.1283791670955126e-10, 0.999999999887162, 1.000000000112838],
  [1e-5, 1.1283791670579e-5, 0.9999887162083294, 1.0000112837916706],
  [0.1, 0.1124629160182849, 0.887537083981715, 1.1124629160182848],
  [0.3, 0.3286267594591274, 0.6713732405408726, 1.3286267594591274],
  [0.5, 0.5204998778130465, 0.4795001221869535, 1.5204998778130465],
  [0.8, 0.7421009647076605, 0.2578990352923395, 1.7421009647076604],
  [1, 0.8427007929497149, 0.15729920705028513, 1.8427007929497148],
  [1.1, 0.8802050695740817, 0.11979493042591827, 1.8802050695740817],
  [1.5, 0.9661051464753108, 0.033894853524689274, 1.9661051464753108],
  [2, 0.9953222650189527, 0.004677734981047266, 1.9953222650189528],
  [2.5, 0.999593047982555, 0.0004069520174449589, 1.999593047982555],
  [3, 0.9999779095030014, 2.209049699858544e-5, 1.9999779095030015],
  [3.5, 0.9999992569016276, 7.430983723414128e-7, 1.9999992569016276],
  [4.5, 0.9999999998033839, 1.9661604415428876e-10, 1.999999999803384],
  [5.5, 0.9999999999999927, 7.357847917974398e-15, 1.9999999999999927],
  [6, 1, 2.1519736712498913e-17, 2],
];

/** |actual - expected| / |expected|, or |actual| when expected is 0. */
function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe('erf', () => {
  it('matches the published values of the issue', () => {
    expect(erf(0.5)).toBe(0.5204998778130465);
    expect(erf(1)).toBe(0.8427007929497149);
    expect(erf(2)).toBe(0.9953222650189527);
    expect(erf(-3)).toBe(-0.9999779095030014);
    expect(erf(1e-10)).toBe(1.1283791670955126e-10);
    expect(erf(6)).toBe(1);
  });

  it('has a relative error below 1e-15 against 50-digit values, for x and -x', () => {
    for (const [x, e] of table) {
      expect(relativeError(erf(x), e)).toBeLessThan(1e-15);
      expect(relativeError(erf(-x), -e)).toBeLessThan(1e-15);
    }
  });

  it('is odd, keeps -0, and handles the special values', () => {
    const rng = new Random(5);
    for (let i = 0; i < 1000; i++) {
      const x = rng.range(0, 7);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(1000)).toBe(1);
    expect(erf(-1000)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });

  it('is monotonic across the seams of its approximations', () => {
    for (const seam of [0.84375, 1.25, 1 / 0.35, 6]) {
      const below = seam * (1 - 1e-15);
      expect(erf(below)).toBeLessThanOrEqual(erf(seam));
      expect(erf(seam)).toBeLessThanOrEqual(erf(seam * (1 + 1e-15)));
    }
  });
});

describe('erfc', () => {
  it('has a relative error below 1e-15 against 50-digit values, for x and -x', () => {
    for (const [x, , c, cNeg] of table) {
      expect(relativeError(erfc(x), c)).toBeLessThan(1e-15);
      expect(relativeError(erfc(-x), cNeg)).toBeLessThan(1e-15);
    }
  });

  it('keeps its tail where 1 - erf(x) is 0', () => {
    expect(relativeError(erfc(10), 2.088487583762545e-45)).toBeLessThan(1e-15);
    expect(relativeError(erfc(15), 7.212994172451207e-100)).toBeLessThan(1e-15);
    expect(relativeError(erfc(26.5), 2.2109076642637343e-307)).toBeLessThan(1e-14);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(NaN)).toBeNaN();
  });

  it('agrees with 1 - erf(x) where that has no cancellation', () => {
    const rng = new Random(9);
    for (let i = 0; i < 1000; i++) {
      const x = rng.range(-3, 0.5);
      expect(Math.abs(erfc(x) - (1 - erf(x)))).toBeLessThan(1e-15);
    }
  });
});
