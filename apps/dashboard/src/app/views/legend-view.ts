import { fitCanvas, watchSize } from './canvas-size.js';
import type { CanvasBox } from './canvas-size.js';
import { paleColorAt } from './colors.js';

/** Short text of a legend value: 0, 0.5, 1, -2.3, 1.2e+4. */
const label = (v: number): string =>
  v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4)
    ? String(Number(v.toPrecision(3)))
    : v.toExponential(1);

/**
 * The heatmap's colour legend: a bar of the map's scale from the lowest output value (orange) through the middle
 * (white) to the highest (blue), with the three values written under it. Redrawn only when the range changes.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * const byId = (id: string) => document.getElementById(id)!;
 * const bar = document.querySelector('canvas')!;
 * const legend = new LegendView(bar, byId('legend-low'), byId('legend-mid'), byId('legend-high'));
 * legend.show(0, 1); // classification: 0 orange, 0.5 white, 1 blue
 * ```
 * @category Views
 */
export class LegendView {
  private readonly context: CanvasRenderingContext2D;
  private box: CanvasBox | null = null;
  private range: [number, number] | null = null;
  private key = '';

  constructor(
    private readonly bar: HTMLCanvasElement,
    private readonly low: HTMLElement,
    private readonly mid: HTMLElement,
    private readonly high: HTMLElement,
  ) {
    this.context = bar.getContext('2d')!;
    watchSize(bar, () => {
      this.box = fitCanvas(this.bar, this.context);
      this.key = '';
      if (this.range) this.show(...this.range);
    });
  }

  /** Shows the scale for outputs from `low` to `high` (drawn when the bar has been laid out). */
  show(low: number, high: number): void {
    this.range = [low, high];
    const key = `${low}:${high}`;
    if (key === this.key) return;
    this.key = key;
    this.low.textContent = label(low);
    this.mid.textContent = label((low + high) / 2);
    this.high.textContent = label(high);
    if (!this.box) return;
    const { width, height } = this.box;
    const ctx = this.context;
    const steps = Math.max(1, Math.round(width));
    for (let i = 0; i < steps; i++) {
      const [r, g, b] = paleColorAt(i / Math.max(1, steps - 1));
      ctx.fillStyle = `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
      ctx.fillRect((i * width) / steps, 0, width / steps + 1, height);
    }
  }
}
