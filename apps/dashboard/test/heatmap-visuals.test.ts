// The heatmap as TensorFlow Playground shows it, in chromium: points that stand out from a saturated map (and
// plane's points filled with their colour), a colour legend, and the "show test data" and "discretize output"
// toggles. Reads the map's canvas and the points' canvas stacked on it, pixel by pixel.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, screenshot, waitForEpoch, waitForState } from './helpers/browser.js';
import { usePlayground } from './helpers/playground.js';

const playground = usePlayground();

/** What the canvases show: the points' pixels, how many differ clearly from the map beneath, the map's colours. */
interface Pixels {
  /** Opaque pixels of the points' canvas. */
  points: number;
  /** Of those, how many differ from the map's pixel beneath by more than 60 (RGB distance). */
  contrasting: number;
  /** Distinct colours of the map (without the points). */
  mapColours: number;
}

async function pixelsOf(page: Page): Promise<Pixels> {
  // Both layers drawn: the map's centre is opaque, and some point is on the points' canvas.
  await page.waitForFunction(() => {
    const opaque = (id: string, all: boolean): boolean => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      if (!all) return data[4 * ((canvas.height >> 1) * canvas.width + (canvas.width >> 1)) + 3] === 255;
      for (let p = 3; p < data.length; p += 4) if (data[p] === 255) return true;
      return false;
    };
    return opaque('heatmap', false) && opaque('heatmap-points', true);
  });
  return page.evaluate(() => {
    const read = (id: string): ImageData => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      return canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    };
    const map = read('heatmap');
    const dots = read('heatmap-points');
    if (map.width !== dots.width || map.height !== dots.height)
      throw new Error('the canvases differ in size');
    let points = 0;
    let contrasting = 0;
    const colours = new Set<number>();
    for (let p = 0; p < map.data.length; p += 4) {
      colours.add((map.data[p]! << 16) | (map.data[p + 1]! << 8) | map.data[p + 2]!);
      if (dots.data[p + 3]! < 250) continue;
      points++;
      const d = Math.hypot(
        dots.data[p]! - map.data[p]!,
        dots.data[p + 1]! - map.data[p + 1]!,
        dots.data[p + 2]! - map.data[p + 2]!,
      );
      if (d > 60) contrasting++;
    }
    return { points, contrasting, mapColours: colours.size };
  });
}

/** Trains `query`'s run for `epochs` epochs, then pauses; waits for the map to show the last snapshot. */
async function trained(query: string, epochs: number): Promise<Page> {
  const { page, errors } = await openPage(playground.browser.context, `${playground.server.url}?${query}`);
  await waitForState(page, 'paused');
  await page.click('#play');
  await waitForEpoch(page, epochs, 60_000);
  await page.click('#pause');
  await waitForState(page, 'paused');
  await page.waitForTimeout(300);
  expect(errors).toEqual([]);
  return page;
}

describe('heatmap visuals', () => {
  it('draws points that stand out on a saturated map, and fills plane’s points', async () => {
    const gauss = await trained('dataset=gauss&layers=8,8&activation=tanh&lr=0.3&seed=3', 300);
    const saturated = await pixelsOf(gauss);
    await screenshot(gauss, 'heatmap-saturated');
    console.log(`gauss, saturated: ${JSON.stringify(saturated)}`);
    expect(saturated.points).toBeGreaterThan(1000);
    // Each point's fill is its target's full colour on the map's pale tone of the same colour, with a dark edge.
    expect(saturated.contrasting / saturated.points).toBeGreaterThan(0.8);

    const plane = await trained('dataset=plane&seed=1', 200);
    const filled = await pixelsOf(plane);
    await screenshot(plane, 'heatmap-plane');
    console.log(`plane: ${JSON.stringify(filled)}`);
    // Plane's outputs fill the scale, white in the middle: points are coloured discs with a dark edge.
    expect(filled.contrasting / filled.points).toBeGreaterThan(0.5);
  });

  it('shows a colour legend with the output range', async () => {
    const circle = await trained('dataset=circle&seed=2', 5);
    expect(await circle.isVisible('#legend')).toBe(true);
    const labels = async (p: Page) =>
      Promise.all(['#legend-low', '#legend-mid', '#legend-high'].map((s) => p.textContent(s)));
    expect(await labels(circle)).toEqual(['0', '0.5', '1']);
    const ends = await circle.evaluate(() => {
      const bar = document.getElementById('legend-bar') as HTMLCanvasElement;
      const ctx = bar.getContext('2d')!;
      const at = (x: number) => [...ctx.getImageData(x, bar.height >> 1, 1, 1).data.slice(0, 3)];
      return [at(1), at(bar.width >> 1), at(bar.width - 2)];
    });
    // Orange, near white, blue.
    expect(ends[0]![0]).toBeGreaterThan(ends[0]![2]! + 60);
    expect(Math.min(...ends[1]!)).toBeGreaterThan(220);
    expect(ends[2]![2]).toBeGreaterThan(ends[2]![0]! + 60);

    const plane = await trained('dataset=plane&seed=1', 3);
    const [low, mid, high] = await labels(plane);
    expect(Number(mid)).toBe(0);
    expect(Number(low)).toBeLessThan(0);
    expect(Number(high)).toBe(-Number(low));
  });

  it('shows the test points only when "show test data" is checked', async () => {
    const page = await trained('dataset=circle&train=0.5&seed=2', 5);
    const trainOnly = await pixelsOf(page);
    await page.check('#show-test');
    await page.waitForTimeout(200);
    const both = await pixelsOf(page);
    await screenshot(page, 'heatmap-test-data');
    expect(both.points).toBeGreaterThan(trainOnly.points * 1.5);
    await page.uncheck('#show-test');
    await page.waitForTimeout(200);
    expect((await pixelsOf(page)).points).toBe(trainOnly.points);
  });

  it('"discretize output" paints the map in its two end colours only', async () => {
    const page = await trained('dataset=circle&layers=6&lr=0.1&seed=2', 50);
    const smooth = await pixelsOf(page);
    expect(smooth.mapColours).toBeGreaterThan(50);
    await page.check('#discretize');
    await page.waitForTimeout(200);
    const discrete = await pixelsOf(page);
    await screenshot(page, 'heatmap-discretized');
    expect(discrete.mapColours).toBeLessThanOrEqual(2);
    await page.uncheck('#discretize');
    await page.waitForTimeout(200);
    expect((await pixelsOf(page)).mapColours).toBeGreaterThan(50);
  });
});
