import { StrideThinning, halve } from '../shared/thin.js';

/** Columns for uPlot: x values, then one array per series (null for a gap). */
export type SeriesData = [number[], ...(number | null)[][]];

/**
 * A growing chart series kept at a bounded size: every point is offered, every `stride`-th is kept, and when
 * `capacity` is reached the kept points are halved and the stride doubled (the {@link StrideThinning} rule, which
 * the dashboard server's run history uses too). The newest point is always part of
 * {@link DecimatedSeries.data}, so the curve ends where the run is. Rendering costs stay flat however long the
 * run, while the stream itself (every epoch event) is never thinned.
 *
 * @example
 * ```ts
 * const s = new DecimatedSeries(2, 1000);
 * s.push(1, [0.7, 0.8]);
 * s.data(); // the columns a uPlot chart takes
 * ```
 * @category Charts
 */
export class DecimatedSeries {
  private x: number[] = [];
  private columns: (number | null)[][];
  private readonly thinning: StrideThinning;
  private lastX: number | null = null;
  private readonly lastValues: (number | null)[];

  constructor(
    readonly width: number,
    capacity = 1000,
  ) {
    this.thinning = new StrideThinning(capacity);
    this.columns = Array.from({ length: width }, () => []);
    this.lastValues = new Array<number | null>(width).fill(null);
  }

  /** Points offered so far. */
  get count(): number {
    return this.thinning.count;
  }

  /**
   * Whether the next point offered would be kept (not only remembered as the newest). A caller with many points
   * at once can {@link DecimatedSeries.skip} the others without building their values, as long as it offers the
   * last one with {@link DecimatedSeries.push}.
   */
  get keepsNext(): boolean {
    return this.thinning.keepsNext;
  }

  /** Counts a point that would not be kept (see {@link DecimatedSeries.keepsNext}) without offering its values. */
  skip(): void {
    this.thinning.offer();
  }

  /** Offers the point `(x, values)`; `values` has one entry per series (copied: the caller may reuse it). */
  push(x: number, values: readonly (number | null)[]): void {
    this.lastX = x;
    for (let i = 0; i < this.width; i++) this.lastValues[i] = values[i] ?? null;
    if (!this.thinning.offer()) return;
    this.x.push(x);
    this.columns.forEach((column, i) => column.push(values[i] ?? null));
    if (this.thinning.full(this.x.length)) {
      this.x = halve(this.x);
      this.columns = this.columns.map(halve);
    }
  }

  /** The kept points plus the newest, as uPlot's aligned columns (fresh arrays). */
  data(): SeriesData {
    const x = [...this.x];
    const columns = this.columns.map((c) => [...c]);
    const lastX = this.lastX;
    if (lastX !== null && x[x.length - 1] !== lastX) {
      x.push(lastX);
      columns.forEach((c, i) => c.push(this.lastValues[i] ?? null));
    }
    return [x, ...columns];
  }

  /** Forgets every point. */
  clear(): void {
    this.x = [];
    this.columns = Array.from({ length: this.width }, () => []);
    this.thinning.reset();
    this.lastX = null;
  }
}
