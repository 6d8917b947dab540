import type { Extent, PointSet } from '../../shared/feed.js';
import type { DashboardStore } from '../store.js';
import { cssColorAt, paintGrid } from './colors.js';

/**
 * The output over the input plane, for 2-D data: the network's output on the grid as a colour map (orange low,
 * blue high: the decision boundary is where they meet), with the training points (white ring) and the test
 * points (dark ring) on top, coloured by their targets. The points are drawn once per point set into a layer of
 * their own, so a new snapshot costs one upload of the grid and two image draws, however many points there are.
 * @category Views
 */
export class HeatmapView {
  private readonly context: CanvasRenderingContext2D;
  private readonly cell = document.createElement('canvas');
  private readonly cellContext = this.cell.getContext('2d')!;
  private image: ImageData | null = null;
  private version = '';
  /** The points, drawn over a transparent background; redrawn when the point set or the canvas size changes. */
  private readonly dots = document.createElement('canvas');
  private dotsKey = '';

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly note: HTMLElement,
  ) {
    this.context = canvas.getContext('2d')!;
  }

  /** Redraws when a new snapshot or new points arrived. */
  render(store: DashboardStore): void {
    const version = `${store.snapshotVersion}:${store.pointsVersion}`;
    if (version === this.version) return;
    this.version = version;
    const grid = store.grid;
    const points = store.points;
    const planar = grid !== null || points !== null;
    if (this.canvas.hidden === planar) this.canvas.hidden = !planar;
    if (this.note.hidden !== planar) this.note.hidden = planar;
    if (!planar) return;
    const { width, height } = this.canvas;
    const ctx = this.context;
    const [low, high] = points?.range ?? [0, 1];
    ctx.clearRect(0, 0, width, height);
    if (grid) {
      const output = grid.layers[grid.layers.length - 1]!;
      const units = grid.units[grid.units.length - 1]!;
      if (this.image?.width !== grid.size) {
        this.cell.width = grid.size;
        this.cell.height = grid.size;
        this.image = this.cellContext.createImageData(grid.size, grid.size);
      }
      paintGrid(this.image, output, { stride: units, offset: 0, low, high });
      this.cellContext.putImageData(this.image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.cell, 0, 0, width, height);
    }
    if (points) {
      const key = `${store.pointsVersion}:${width}x${height}`;
      if (key !== this.dotsKey) {
        this.dotsKey = key;
        this.dots.width = width;
        this.dots.height = height;
        const dots = this.dots.getContext('2d')!;
        this.drawPoints(dots, points.train, points.extent, low, high, 'rgba(255, 255, 255, 0.9)');
        if (points.test)
          this.drawPoints(dots, points.test, points.extent, low, high, 'rgba(30, 30, 30, 0.9)');
      }
      ctx.drawImage(this.dots, 0, 0);
    }
  }

  private drawPoints(
    ctx: CanvasRenderingContext2D,
    set: PointSet,
    extent: Extent,
    low: number,
    high: number,
    ring: string,
  ): void {
    const { width, height } = this.canvas;
    const [x0, x1, y0, y1] = extent;
    ctx.lineWidth = 1;
    ctx.strokeStyle = ring;
    for (let i = 0; i < set.targets.length; i++) {
      const px = ((set.inputs[2 * i]! - x0) / (x1 - x0)) * width;
      const py = ((y1 - set.inputs[2 * i + 1]!) / (y1 - y0)) * height;
      ctx.fillStyle = cssColorAt((set.targets[i]! - low) / (high - low || 1));
      ctx.beginPath();
      ctx.arc(px, py, 3, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}
