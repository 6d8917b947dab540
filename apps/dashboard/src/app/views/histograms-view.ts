import type { DashboardStore } from '../store.js';
import { fitCanvas, watchSize } from './canvas-size.js';
import type { CanvasBox } from './canvas-size.js';
import { PALETTE } from './colors.js';

const BINS = 24;

/**
 * Weight histograms: one small panel per layer, counting its W_ij in 24 bins over [-max |W|, max |W|].
 * @category Views
 */
export class HistogramsView {
  private readonly context: CanvasRenderingContext2D;
  private version = -1;

  private box: CanvasBox;
  private last: DashboardStore | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext('2d')!;
    this.box = { width: canvas.width, height: canvas.height, ratio: 1 };
    watchSize(canvas, () => this.resize());
  }

  /** Follows the canvas's laid-out size (and the screen's pixel density), and redraws. */
  resize(): void {
    this.box = fitCanvas(this.canvas, this.context);
    this.version = -1;
    if (this.last) this.render(this.last);
  }

  /** Redraws when a new snapshot arrived. */
  render(store: DashboardStore): void {
    this.last = store;
    if (store.snapshotVersion === this.version) return;
    this.version = store.snapshotVersion;
    const ctx = this.context;
    const { width, height } = this.box;
    ctx.clearRect(0, 0, width, height);
    const layers = store.weights ?? [];
    const panel = width / Math.max(1, layers.length);
    layers.forEach((layer, l) => {
      let max = 1e-12;
      for (const w of layer.weights) max = Math.max(max, Math.abs(w));
      const counts = new Array<number>(BINS).fill(0);
      for (const w of layer.weights)
        counts[Math.min(BINS - 1, Math.floor(((w + max) / (2 * max)) * BINS))]!++;
      const top = Math.max(...counts, 1);
      const left = l * panel + 6;
      const inner = panel - 12;
      const base = height - 30;
      ctx.fillStyle = PALETTE[l % PALETTE.length]!;
      counts.forEach((count, b) => {
        const h = (count / top) * (base - 8);
        ctx.fillRect(left + (b * inner) / BINS, base - h, inner / BINS - 1, h);
      });
      ctx.fillStyle = '#555';
      ctx.font = '11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(l === layers.length - 1 ? 'output' : `layer ${l + 1}`, left + inner / 2, height - 16);
      ctx.fillText(`|W| <= ${max.toPrecision(2)}`, left + inner / 2, height - 3);
    });
  }
}
