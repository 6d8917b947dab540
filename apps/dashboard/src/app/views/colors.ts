/** An RGB colour, 0-255 per channel. */
export type Rgb = readonly [number, number, number];

/** The playground's diverging scale: orange for low values, near-white in the middle, blue for high values. */
const LOW: Rgb = [245, 147, 34];
const MID: Rgb = [232, 234, 235];
const HIGH: Rgb = [8, 119, 189];

/** Series colours of the charts, one per line (layers cycle through them). */
export const PALETTE = [
  '#0877bd',
  '#f59322',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];

/**
 * The scale's colour at `t` in [0, 1] (clamped): 0 orange, 0.5 white, 1 blue.
 *
 * @example
 * ```ts
 * colorAt(1); // → [8, 119, 189]
 * ```
 * @category Views
 */
export function colorAt(t: number): Rgb {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5;
  const [a, b, k] = u < 0.5 ? [LOW, MID, u * 2] : [MID, HIGH, (u - 0.5) * 2];
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

/** CSS text of {@link colorAt}. @category Views */
export function cssColorAt(t: number, alpha = 1): string {
  const [r, g, b] = colorAt(t);
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${alpha})`;
}

/** How far the pale tones of the map are mixed towards white (0: the full colour, 1: white). */
export const PALE = 0.45;

/**
 * The pale tone of {@link colorAt}, as the heatmap paints its background: the colour mixed {@link PALE} of the
 * way to white, so points drawn in the full colour stand out on it.
 *
 * @example
 * ```ts
 * paleColorAt(0); // → [249.5, 195.6, 133.45]
 * ```
 * @category Views
 */
export function paleColorAt(t: number): Rgb {
  const [r, g, b] = colorAt(t);
  return [r + (255 - r) * PALE, g + (255 - g) * PALE, b + (255 - b) * PALE];
}

/** `color` at 256 steps, RGB triples, so painting a grid allocates nothing per pixel. */
const table = (color: (t: number) => Rgb): Uint8ClampedArray => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(color(i / 255), i * 3);
  return lut;
};
const LUT = table(colorAt);
const PALE_LUT = table(paleColorAt);

/**
 * Paints `values` (a `size` x `size` grid, row-major, `stride` numbers per point, reading `offset`) into an
 * ImageData through the colour scale, mapping `low`..`high` to 0..1. The grid fills the image unless `size` says
 * otherwise; `left` puts it that many pixels from the image's left edge (one image can hold a row of grids, to be
 * uploaded with a single `putImageData`). `pale` paints the pale tones, `discrete` only the scale's two ends.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * const image = new ImageData(100, 50); // two 50 x 50 grids side by side
 * const a = new Float32Array(50 * 50);
 * const b = new Float32Array(50 * 50).fill(1);
 * paintGrid(image, a, { stride: 1, offset: 0, low: 0, high: 1, size: 50 });
 * paintGrid(image, b, { stride: 1, offset: 0, low: 0, high: 1, size: 50, left: 50 });
 * ```
 * @category Views
 */
export function paintGrid(
  image: ImageData,
  values: Float32Array,
  options: {
    stride: number;
    offset: number;
    low: number;
    high: number;
    size?: number;
    left?: number;
    /** Paint the pale tones ({@link paleColorAt}). */
    pale?: boolean;
    /** Paint only the two ends of the scale: `high`'s colour from the middle of the range up, `low`'s below. */
    discrete?: boolean;
  },
): void {
  const { stride, offset, low, high } = options;
  const lut = options.pale ? PALE_LUT : LUT;
  const discrete = options.discrete === true;
  const columns = options.size ?? image.width;
  const rows = options.size ?? image.height;
  const left = options.left ?? 0;
  const scale = 255 / (high - low || 1);
  const pixels = image.data;
  for (let r = 0; r < rows; r++) {
    let p = 4 * (r * image.width + left);
    let i = r * columns * stride + offset;
    for (let c = 0; c < columns; c++, p += 4, i += stride) {
      const v = (values[i]! - low) * scale;
      const k = 3 * (discrete ? (v >= 127.5 ? 255 : 0) : v > 0 ? (v < 255 ? Math.round(v) : 255) : 0);
      pixels[p] = lut[k]!;
      pixels[p + 1] = lut[k + 1]!;
      pixels[p + 2] = lut[k + 2]!;
      pixels[p + 3] = 255;
    }
  }
}
