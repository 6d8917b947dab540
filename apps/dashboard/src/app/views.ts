import type { View } from './render-loop.js';

/** The page's views: light ones (text) and heavy ones (charts, canvases), as `startRenderLoop` draws them. */
export interface Views {
  light: View[];
  heavy: View[];
}
import { CurvesView } from './views/curves-view.js';
import { GradientsView } from './views/gradients-view.js';
import { HeatmapView } from './views/heatmap-view.js';
import { HistogramsView } from './views/histograms-view.js';
import { NetworkView } from './views/network-view.js';
import { SummaryView } from './views/summary-view.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * Creates every view on the page's elements, and keeps the charts as wide as their columns.
 * @category Dashboard
 */
export function createViews(): Views {
  const curves = new CurvesView(
    byId('loss-chart'),
    byId('metric-chart'),
    byId<HTMLInputElement>('log-scale'),
    byId('metric-title'),
  );
  const gradients = new GradientsView(byId('delta-chart'), byId('norm-chart'));
  window.addEventListener('resize', () => {
    curves.resize();
    gradients.resize();
  });
  return {
    light: [new SummaryView(byId('summary'), byId('epoch'), byId('state'), byId('notice'))],
    heavy: [
      curves,
      gradients,
      new HeatmapView(byId<HTMLCanvasElement>('heatmap'), byId('heatmap-note')),
      new NetworkView(byId<HTMLCanvasElement>('network')),
      new HistogramsView(byId<HTMLCanvasElement>('histograms')),
    ],
  };
}
