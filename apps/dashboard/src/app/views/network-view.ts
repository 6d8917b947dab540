import type { GridSnapshot, LayerWeights } from '../../shared/feed.js';
import type { DashboardStore } from '../store.js';
import { fitCanvas, watchSize } from './canvas-size.js';
import type { CanvasBox } from './canvas-size.js';
import { paintGrid } from './colors.js';

/** Nodes drawn per column; the rest are summarised as "+n". */
const MAX_NODES = 12;
const THUMB = 34;

/**
 * The network: a column of nodes per layer, links coloured by the sign of W_ij (blue positive, orange negative)
 * and as wide as |W_ij| is large. For 2-D data every node shows its output over the input plane (the input
 * nodes show x1 and x2), as computed on the grid. The thumbnails are painted side by side into one image and
 * uploaded with a single `putImageData` per redraw (uploading into a canvas that was just drawn from would make
 * the page flush the drawing first, once per node); the input nodes' ramps never change and are painted once.
 * @category Views
 */
export class NetworkView {
  private readonly context: CanvasRenderingContext2D;
  /** Every drawn node's thumbnail, left to right: slot k is the square at x = k * grid size. */
  private readonly atlas = document.createElement('canvas');
  private readonly atlasContext = this.atlas.getContext('2d')!;
  private image: ImageData | null = null;
  /** Grid size and input count the atlas's input ramps were painted for. */
  private atlasKey = '';
  private version = -1;
  private thumb = THUMB;

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
    const layers = store.weights;
    if (!layers || layers.length === 0) return;
    const sizes = [layers[0]!.inputs, ...layers.map((l) => l.units)];
    const columns = sizes.map((n, c) => this.column(n, c, sizes.length));
    const tallest = Math.max(...columns.map((nodes) => nodes.length));
    this.thumb = Math.max(12, Math.min(THUMB, (height - 50) / tallest - 4));
    const grid = store.grid;
    if (grid)
      this.paintThumbnails(
        grid,
        columns.map((nodes) => nodes.length),
      );
    layers.forEach((layer, l) => this.links(layer, columns[l]!, columns[l + 1]!));
    let slot = 0;
    columns.forEach((nodes, c) => {
      nodes.forEach(([x, y], i) => this.node(x, y, grid ? slot++ : -1, c, i, layers));
      const hidden = sizes[c]! - nodes.length;
      ctx.fillStyle = '#555';
      ctx.font = '11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      if (hidden > 0) ctx.fillText(`+${hidden}`, nodes[0]![0], height - 22);
      const label = c === 0 ? `${sizes[0]} in` : `${sizes[c]} ${layers[c - 1]!.activation}`;
      ctx.fillText(label, nodes[0]![0], height - 8);
    });
  }

  /** Paints every drawn node's output over the plane into the atlas, then uploads it once. */
  private paintThumbnails(grid: GridSnapshot, shown: readonly number[]): void {
    const n = grid.size;
    const slots = shown.reduce((a, b) => a + b, 0);
    const key = `${n}:${shown.join(',')}`;
    if (this.atlasKey !== key || !this.image) {
      this.atlasKey = key;
      this.atlas.width = n * slots;
      this.atlas.height = n;
      this.image = this.atlasContext.createImageData(n * slots, n);
      // Input node i is x1 or x2 itself: a ramp across the plane, the same for every snapshot.
      for (let i = 0; i < shown[0]!; i++) {
        const ramp = new Float32Array(n * n);
        for (let p = 0; p < n * n; p++) ramp[p] = i === 0 ? p % n : n - 1 - Math.floor(p / n);
        paintGrid(this.image, ramp, { stride: 1, offset: 0, low: 0, high: n - 1, size: n, left: i * n });
      }
    }
    let slot = shown[0]!;
    for (let c = 1; c < shown.length; c++) {
      const values = grid.layers[c - 1]!;
      const units = grid.units[c - 1]!;
      for (let i = 0; i < shown[c]!; i++, slot++) {
        let max = 1e-12;
        for (let p = 0; p < n * n; p++) max = Math.max(max, Math.abs(values[p * units + i]!));
        paintGrid(this.image, values, {
          stride: units,
          offset: i,
          low: -max,
          high: max,
          size: n,
          left: slot * n,
        });
      }
    }
    this.atlasContext.putImageData(this.image, 0, 0);
  }

  private column(n: number, c: number, count: number): [number, number][] {
    const { width, height } = this.box;
    const shown = Math.min(n, MAX_NODES);
    const x = 30 + (c * (width - 60)) / Math.max(1, count - 1);
    const usable = height - 50;
    const gap = Math.min(THUMB + 8, usable / shown);
    const top = 10 + (usable - gap * shown) / 2 + gap / 2;
    return Array.from({ length: shown }, (_, i) => [x, top + i * gap]);
  }

  private links(layer: LayerWeights, from: [number, number][], to: [number, number][]): void {
    const ctx = this.context;
    let max = 1e-12;
    for (let i = 0; i < layer.weights.length; i++) max = Math.max(max, Math.abs(layer.weights[i]!));
    from.forEach(([x0, y0], i) => {
      to.forEach(([x1, y1], j) => {
        const w = layer.weights[i * layer.units + j]!;
        ctx.strokeStyle = w >= 0 ? 'rgba(8, 119, 189, 0.75)' : 'rgba(245, 147, 34, 0.75)';
        ctx.lineWidth = 0.3 + 3.5 * (Math.abs(w) / max);
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
      });
    });
  }

  /** Draws node `i` of column `c`: its thumbnail (atlas `slot`), or without a grid a dot coloured by its bias. */
  private node(x: number, y: number, slot: number, c: number, i: number, layers: LayerWeights[]): void {
    const ctx = this.context;
    if (slot < 0) {
      const bias = c === 0 ? 0 : layers[c - 1]!.bias[i]!;
      ctx.fillStyle = bias >= 0 ? '#0877bd' : '#f59322';
      ctx.strokeStyle = '#333';
      ctx.beginPath();
      ctx.arc(x, y, 7, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
      return;
    }
    const n = this.atlas.height;
    const t = this.thumb;
    ctx.drawImage(this.atlas, slot * n, 0, n, n, x - t / 2, y - t / 2, t, t);
    ctx.strokeStyle = '#333';
    ctx.lineWidth = 1;
    ctx.strokeRect(x - t / 2, y - t / 2, t, t);
  }
}
