import { activations } from '@deltaflow/activations';
import { modelFromJSON } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import { GridSampler } from '../../model/grid.js';
import { weightsOfJSON } from '../../model/weights.js';
import type { Extent, GridSnapshot, SnapshotMessage } from '../../shared/feed.js';

const sampler = new GridSampler(50);

/**
 * The sentence shown where the heatmap would be when the page cannot build `model`: the activations it lacks
 * (a plugin's, whose module the page was not given, or could not install) and how to serve their module, or the
 * loader's own sentence.
 *
 * @example
 * ```ts
 * heatmapProblem(['isru'], new Error('unknown activation'));
 * // → 'The heatmap and the neuron thumbnails cannot be drawn: this page has no activation "isru" (a plugin\'s); serve its module with the page: deltaflow train --dashboard --plugin FILE (a self-contained module).'
 * ```
 * @category Dashboard
 */
export function heatmapProblem(missing: readonly string[], error: unknown): string {
  const head = 'The heatmap and the neuron thumbnails cannot be drawn:';
  if (missing.length === 0) return `${head} ${error instanceof Error ? error.message : String(error)}`;
  const names = missing.map((name) => `"${name}"`).join(', ');
  const which = missing.length === 1 ? `activation ${names} (a plugin's)` : `activations ${names} (plugins')`;
  return `${head} this page has no ${which}; serve its module with the page: deltaflow train --dashboard --plugin FILE (a self-contained module).`;
}

/**
 * A snapshot message from a model file (a checkpoint, an end event, or a server snapshot): the weights, and for
 * a 2-input model the output grid over `extent`, computed here on the page (small nets take well under a
 * millisecond). A model whose activation the page does not know still gives its weights, and says why it has no
 * grid (`problem`, {@link heatmapProblem}).
 *
 * @example
 * ```ts
 * train(model, xor()).subscribe((event) => {
 *   if (event.type === 'end') store.apply(snapshotOfModel(event.model, event.epochs, [-6, 6, -6, 6]));
 * });
 * ```
 * @category Dashboard
 */
export function snapshotOfModel(model: ModelJSON, epoch: number, extent: Extent): SnapshotMessage {
  const layers = weightsOfJSON(model);
  let grid: GridSnapshot | null = null;
  if (layers[0]?.inputs === 2) {
    try {
      grid = sampler.sample(modelFromJSON(model), extent);
    } catch (error) {
      const missing = [...new Set(layers.map((layer) => layer.activation))].filter(
        (name) => name !== '' && !activations.has(name),
      );
      return { type: 'snapshot', epoch, layers, grid: null, problem: heatmapProblem(missing, error) };
    }
  }
  return { type: 'snapshot', epoch, layers, grid };
}
