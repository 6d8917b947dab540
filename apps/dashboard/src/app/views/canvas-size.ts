/** A canvas's laid-out size in CSS pixels, and how many device pixels make one CSS pixel. */
export interface CanvasBox {
  width: number;
  height: number;
  ratio: number;
}

/**
 * Sizes `canvas`'s drawing buffer to its laid-out box in device pixels (sharp on any screen, never stretched)
 * and scales `context` so the caller draws in CSS pixels. Returns the box; the buffer is only touched (which
 * clears it) when its size changes.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * const canvas = document.querySelector('canvas')!;
 * const context = canvas.getContext('2d')!;
 * const { width, height } = fitCanvas(canvas, context);
 * context.fillRect(0, 0, width / 2, height); // the left half, whatever the screen's pixel density
 * ```
 * @param ratio - device pixels per CSS pixel (default: the window's `devicePixelRatio`)
 * @category Views
 */
export function fitCanvas(
  canvas: HTMLCanvasElement,
  context: CanvasRenderingContext2D,
  ratio = globalThis.devicePixelRatio || 1,
): CanvasBox {
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  const pixelWidth = Math.max(1, Math.round(width * ratio));
  const pixelHeight = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
    canvas.width = pixelWidth;
    canvas.height = pixelHeight;
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { width, height, ratio };
}

/**
 * Calls `changed` whenever `element`'s laid-out size changes (and once when it is first laid out), at most once
 * per frame, and when the screen's pixel density changes (the window moved to another screen, or zoomed): a
 * ResizeObserver and a media query, so nothing is measured while the page only redraws.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * watchSize(document.getElementById('heatmap')!, () => console.log('resized'));
 * ```
 * @returns a function that stops watching
 * @category Views
 */
export function watchSize(element: Element, changed: () => void): () => void {
  if (typeof ResizeObserver === 'undefined') return () => undefined;
  let width = -1;
  let height = -1;
  const observer = new ResizeObserver((entries) => {
    const box = entries[entries.length - 1]!.contentRect;
    if (box.width === width && box.height === height) return;
    width = box.width;
    height = box.height;
    changed();
  });
  observer.observe(element);
  let media: MediaQueryList | null = null;
  const ratioChanged = (): void => {
    watchRatio();
    changed();
  };
  const watchRatio = (): void => {
    media?.removeEventListener('change', ratioChanged);
    media = globalThis.matchMedia?.(`(resolution: ${globalThis.devicePixelRatio || 1}dppx)`) ?? null;
    media?.addEventListener('change', ratioChanged);
  };
  watchRatio();
  return () => {
    observer.disconnect();
    media?.removeEventListener('change', ratioChanged);
  };
}
