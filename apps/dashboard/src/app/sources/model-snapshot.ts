import { modelFromJSON } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import { GridSampler } from '../../model/grid.js';
import { weightsOfJSON } from '../../model/weights.js';
import type { Extent, GridSnapshot, SnapshotMessage } from '../../shared/feed.js';

const sampler = new GridSampler(50);

/**
 * A snapshot message from a model file (a checkpoint, an end event, or a server snapshot): the weights, and for
 * a 2-input model the output grid over `extent`, computed here on the page (small nets take well under a
 * millisecond). A model whose activation the page does not know still gives its weights.
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
    } catch {
      grid = null;
    }
  }
  return { type: 'snapshot', epoch, layers, grid };
}
