import type { View } from './render-loop.js';

/** The page's views: light ones (text) and heavy ones (charts, canvases), as `startRenderLoop` draws them. */
export interface Views {
  light: View[];
  heavy: View[];
}
import { ConfusionView } from './views/confusion-view.js';
import { CurvesView } from './views/curves-view.js';
import { GradientsView } from './views/gradients-view.js';
import { HeatmapView } from './views/heatmap-view.js';
import { HistogramsView } from './views/histograms-view.js';
import { LegendView } from './views/legend-view.js';
import { NetworkView } from './views/network-view.js';
import { SummaryView } from './views/summary-view.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * Creates every view on the page's elements. Each chart and canvas follows its box's size by itself (a
 * ResizeObserver), so the layout can change with the window's width.
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
  const legend = new LegendView(
    byId<HTMLCanvasElement>('legend-bar'),
    byId('legend-low'),
    byId('legend-mid'),
    byId('legend-high'),
  );
  const heatmap = new HeatmapView(byId<HTMLCanvasElement>('heatmap'), byId('heatmap-note'), {
    points: byId<HTMLCanvasElement>('heatmap-points'),
    showTest: byId<HTMLInputElement>('show-test'),
    discretize: byId<HTMLInputElement>('discretize'),
    legend,
    withMap: [byId('heatmap').parentElement!, byId('legend'), byId('map-toggles')],
    problem: byId('heatmap-problem'),
  });
  return {
    light: [
      new SummaryView(byId('summary'), byId('epoch'), byId('state'), byId('notice')),
      new ConfusionView(byId('confusion'), byId('confusion-note')),
    ],
    heavy: [
      curves,
      gradients,
      heatmap,
      new NetworkView(byId<HTMLCanvasElement>('network')),
      new HistogramsView(byId<HTMLCanvasElement>('histograms')),
    ],
  };
}
