/**
 * A seeded pseudo-random generator: **xoshiro128\*\*** (Blackman and Vigna, 2018), 128 bits of state, period
 * 2^128 - 1, seeded from one 32-bit integer by **SplitMix32**. The same seed gives the same sequence on every
 * machine; numbers come from 32-bit integer arithmetic only, so results are bit-for-bit reproducible.
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform();       // in [0, 1), 53 random bits
 * rng.normal(0, 1);    // standard normal (Box-Muller)
 * rng.int(10);         // integer in [0, 10)
 * ```
 * @category Random
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = NaN;

  /** @param seed - any integer; 0 is fine */
  constructor(seed: number) {
    let x = seed | 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit unsigned integer of the xoshiro128** sequence. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A float in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A normal deviate with the given mean and standard deviation (Box-Muller, the second value is kept). */
  normal(mean = 0, std = 1): number {
    let z = this.spare;
    if (Number.isNaN(z)) {
      const u = 1 - this.uniform(); // (0, 1]: log is finite
      const v = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      z = r * Math.cos(2 * Math.PI * v);
      this.spare = r * Math.sin(2 * Math.PI * v);
    } else {
      this.spare = NaN;
    }
    return mean + std * z;
  }

  /** An integer in [0, n), without modulo bias. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** The generator's full state, to save and later {@link Random.restore}. */
  state(): [number, number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3, this.spare];
  }

  /** Continues from a state taken by {@link Random.state}. */
  restore(state: readonly [number, number, number, number, number]): void {
    [this.s0, this.s1, this.s2, this.s3, this.spare] = state;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
