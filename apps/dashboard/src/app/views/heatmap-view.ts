import type { Extent, PointSet } from '../../shared/feed.js';
import type { DashboardStore } from '../store.js';
import { fitCanvas, watchSize } from './canvas-size.js';
import type { CanvasBox } from './canvas-size.js';
import { cssColorAt, paintGrid } from './colors.js';
import type { LegendView } from './legend-view.js';

/** Radius of a drawn point, in CSS pixels. */
const RADIUS = 4;

/** The elements a {@link HeatmapView} uses beside its canvas; each is optional. */
export interface HeatmapParts {
  /** A canvas stacked over the heatmap that holds the points (redrawn only when they change). */
  points?: HTMLCanvasElement;
  /** The "show test data" checkbox (test points are drawn only when checked). */
  showTest?: HTMLInputElement;
  /** The "discretize output" checkbox (the map shows only which side of the middle each cell is on). */
  discretize?: HTMLInputElement;
  /** The colour legend, told the output range. */
  legend?: LegendView;
  /** Elements shown only while there is a map (its frame, the legend, the toggles). */
  withMap?: HTMLElement[];
  /** Says why the map is blank when the page could not evaluate the model (`store.gridProblem`). */
  problem?: HTMLElement;
}

/**
 * The output over the input plane, for 2-D data: the network's output on the grid as a colour map (orange low,
 * blue high: the decision boundary is where they meet), in pale tones, with the points on top in the full colours
 * of their targets and a dark edge, so they stand out on any part of the map, however saturated: training points
 * as discs, test points (when "show test data" is checked) as diamonds. "Discretize output" paints each cell by
 * which side of the middle of the output range it lies on. The points are drawn once per point set (and size)
 * into a canvas of their own stacked on the map, so a new snapshot costs one upload of the grid and one image
 * draw, however many points there are. Both canvases follow their box's size, in device pixels.
 * @category Views
 */
export class HeatmapView {
  private readonly context: CanvasRenderingContext2D;
  private readonly cell = document.createElement('canvas');
  private readonly cellContext = this.cell.getContext('2d')!;
  private image: ImageData | null = null;
  private version = '';
  /** The points' canvas: the page's overlay, or an offscreen one drawn onto the map. */
  private readonly dots: HTMLCanvasElement;
  private readonly dotsContext: CanvasRenderingContext2D;
  private readonly overlay: boolean;
  private dotsKey = '';
  private box: CanvasBox;
  private last: DashboardStore | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly note: HTMLElement,
    private readonly parts: HeatmapParts = {},
  ) {
    this.context = canvas.getContext('2d')!;
    this.overlay = parts.points !== undefined;
    this.dots = parts.points ?? document.createElement('canvas');
    this.dotsContext = this.dots.getContext('2d')!;
    this.box = { width: canvas.width, height: canvas.height, ratio: 1 };
    watchSize(canvas, () => this.resize());
    for (const toggle of [parts.showTest, parts.discretize])
      toggle?.addEventListener('change', () => this.redraw());
  }

  /** Follows the canvas's laid-out size (and the screen's pixel density), and redraws. */
  resize(): void {
    this.box = fitCanvas(this.canvas, this.context);
    this.redraw();
  }

  /** Redraws when a new snapshot or new points arrived. */
  render(store: DashboardStore): void {
    this.last = store;
    const version = `${store.snapshotVersion}:${store.pointsVersion}`;
    if (version === this.version) return;
    this.version = version;
    const grid = store.grid;
    const points = store.points;
    // 2-D inputs whose model the page could not evaluate: say why, instead of "needs 2-D data"
    const problemText = grid === null ? (store.gridProblem ?? '') : '';
    const problem = this.parts.problem;
    if (problem) {
      if (problem.textContent !== problemText) problem.textContent = problemText;
      if (problem.hidden !== (problemText === '')) problem.hidden = problemText === '';
    }
    const planar = grid !== null || points !== null;
    if (this.canvas.hidden === planar) this.canvas.hidden = !planar;
    const noteHidden = planar || (problem !== undefined && problemText !== '');
    if (this.note.hidden !== noteHidden) this.note.hidden = noteHidden;
    for (const element of this.parts.withMap ?? []) if (element.hidden === planar) element.hidden = !planar;
    if (!planar) return;
    const { width, height } = this.box;
    const ctx = this.context;
    const [low, high] = points?.range ?? [0, 1];
    this.parts.legend?.show(low, high);
    ctx.clearRect(0, 0, width, height);
    if (grid) {
      const output = grid.layers[grid.layers.length - 1]!;
      const units = grid.units[grid.units.length - 1]!;
      if (this.image?.width !== grid.size) {
        this.cell.width = grid.size;
        this.cell.height = grid.size;
        this.image = this.cellContext.createImageData(grid.size, grid.size);
      }
      const discrete = this.parts.discretize?.checked === true;
      paintGrid(this.image, output, { stride: units, offset: 0, low, high, pale: true, discrete });
      this.cellContext.putImageData(this.image, 0, 0);
      ctx.imageSmoothingEnabled = !discrete;
      ctx.drawImage(this.cell, 0, 0, width, height);
    }
    this.drawDots(store);
  }

  /** Draws the points into their canvas when they, the size or the toggles changed; paints it onto the map if offscreen. */
  private drawDots(store: DashboardStore): void {
    const points = store.points;
    const showTest = this.parts.showTest?.checked === true;
    const { width, height, ratio } = this.box;
    const key = `${store.pointsVersion}:${width}x${height}@${ratio}:${showTest}`;
    if (key !== this.dotsKey) {
      this.dotsKey = key;
      const dots = this.dotsContext;
      // The same box as the map's (measured on resize only: drawing never forces a layout).
      const pixelWidth = Math.max(1, Math.round(width * ratio));
      const pixelHeight = Math.max(1, Math.round(height * ratio));
      if (this.dots.width !== pixelWidth || this.dots.height !== pixelHeight) {
        this.dots.width = pixelWidth;
        this.dots.height = pixelHeight;
      }
      dots.setTransform(ratio, 0, 0, ratio, 0, 0);
      dots.clearRect(0, 0, width, height);
      if (points) {
        const [low, high] = points.range;
        this.drawPoints(dots, points.train, points.extent, low, high, false);
        if (points.test && showTest) this.drawPoints(dots, points.test, points.extent, low, high, true);
      }
    }
    if (!this.overlay && points) this.context.drawImage(this.dots, 0, 0, width, height);
  }

  /** Draws again what was last drawn (after a resize or a toggle). */
  private redraw(): void {
    this.version = '';
    this.dotsKey = '';
    if (this.last) this.render(this.last);
  }

  private drawPoints(
    ctx: CanvasRenderingContext2D,
    set: PointSet,
    extent: Extent,
    low: number,
    high: number,
    test: boolean,
  ): void {
    const { width, height } = this.box;
    const [x0, x1, y0, y1] = extent;
    ctx.lineWidth = 1.25;
    ctx.strokeStyle = 'rgba(20, 20, 20, 0.85)';
    const r = RADIUS;
    for (let i = 0; i < set.targets.length; i++) {
      const px = ((set.inputs[2 * i]! - x0) / (x1 - x0)) * width;
      const py = ((y1 - set.inputs[2 * i + 1]!) / (y1 - y0)) * height;
      ctx.fillStyle = cssColorAt((set.targets[i]! - low) / (high - low || 1));
      ctx.beginPath();
      if (test) {
        ctx.moveTo(px, py - r - 1);
        ctx.lineTo(px + r + 1, py);
        ctx.lineTo(px, py + r + 1);
        ctx.lineTo(px - r - 1, py);
        ctx.closePath();
      } else ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}
