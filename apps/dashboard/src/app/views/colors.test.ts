import { describe, expect, it } from 'vitest';
import { colorAt, paintGrid, paleColorAt, PALE } from './colors.js';

/** An ImageData-shaped object (Node has no ImageData). */
const image = (width: number, height: number): ImageData =>
  ({ width, height, data: new Uint8ClampedArray(width * height * 4) }) as unknown as ImageData;

const pixel = (img: ImageData, i: number): number[] => [...img.data.slice(4 * i, 4 * i + 3)];

describe('colors', () => {
  it('mixes the pale tones PALE of the way to white', () => {
    for (const t of [0, 0.25, 0.5, 1]) {
      const full = colorAt(t);
      const pale = paleColorAt(t);
      pale.forEach((c, k) => expect(c).toBeCloseTo(full[k]! + (255 - full[k]!) * PALE, 9));
    }
    // Far enough from the full colour that a point drawn in it stands out (RGB distance).
    for (const t of [0, 1])
      expect(Math.hypot(...colorAt(t).map((c, k) => c - paleColorAt(t)[k]!))).toBeGreaterThan(100);
  });

  it('paints the pale scale, or only its two ends when discrete', () => {
    const values = Float32Array.of(0, 0.3, 0.5, 0.7, 1, 2);
    const smooth = image(6, 1);
    paintGrid(smooth, values, { stride: 1, offset: 0, low: 0, high: 1, size: 6, pale: true });
    expect(pixel(smooth, 0)).toEqual(paleColorAt(0).map(Math.round));
    expect(pixel(smooth, 4)).toEqual(paleColorAt(1).map(Math.round));
    expect(new Set([0, 1, 2, 3, 4].map((i) => String(pixel(smooth, i)))).size).toBe(5);

    const discrete = image(6, 1);
    paintGrid(discrete, values, {
      stride: 1,
      offset: 0,
      low: 0,
      high: 1,
      size: 6,
      pale: true,
      discrete: true,
    });
    const low = String(paleColorAt(0).map(Math.round));
    const high = String(paleColorAt(1).map(Math.round));
    expect([0, 1, 2, 3, 4, 5].map((i) => String(pixel(discrete, i)))).toEqual([
      low,
      low,
      high,
      high,
      high,
      high,
    ]);
    expect(discrete.data[3]).toBe(255);
  });
});
