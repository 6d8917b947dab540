// The series-capacity rule of the page's charts and the server's run history. The thinning of a live stream
// is @deltaflow/trainer's published thinEvents.

/**
 * The rule that keeps a growing series at a bounded size, shared by the page's chart series and the server's
 * run history so both keep the same points: every `stride`-th point offered is kept, and when `capacity`
 * points are held they are halved (every other one dropped, the first kept) and the stride doubled. Whatever
 * the run's length, at most `capacity` points are held, spread evenly from the first epoch to the latest.
 *
 * @example
 * ```ts
 * const rule = new StrideThinning(1000);
 * const kept: number[] = [];
 * for (let epoch = 1; epoch <= 5000; epoch++) {
 *   if (!rule.offer()) continue;
 *   kept.push(epoch);
 *   if (rule.full(kept.length)) kept.splice(0, kept.length, ...halve(kept));
 * }
 * kept.length <= 1000; // → true
 * ```
 * @category Streams
 */
export class StrideThinning {
  private stride = 1;
  private seen = 0;

  /** @param capacity - the most points a holder keeps (at least 2) */
  constructor(readonly capacity: number) {}

  /** Points offered so far. */
  get count(): number {
    return this.seen;
  }

  /** Whether the next point offered will be kept. */
  get keepsNext(): boolean {
    return this.seen % this.stride === 0;
  }

  /** Counts one point offered and says whether to keep it. */
  offer(): boolean {
    return this.seen++ % this.stride === 0;
  }

  /**
   * Call after keeping a point, with the number now held: true when the holder must drop every other point
   * ({@link halve}), the stride being doubled for what follows.
   */
  full(held: number): boolean {
    if (held < this.capacity) return false;
    this.stride *= 2;
    return true;
  }

  /** Starts over: stride 1, nothing seen. */
  reset(): void {
    this.stride = 1;
    this.seen = 0;
  }
}

/**
 * Every other element of `items`, starting with the first: what a holder keeps when {@link StrideThinning.full}.
 *
 * @example
 * ```ts
 * halve([1, 2, 3, 4, 5]); // → [1, 3, 5]
 * ```
 * @category Streams
 */
export function halve<T>(items: readonly T[]): T[] {
  return items.filter((_, i) => i % 2 === 0);
}
