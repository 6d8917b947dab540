import { denseLayers } from '@deltaflow/network';
import type { ModelJSON, Sequential } from '@deltaflow/network';
import type { LayerWeights } from '../shared/feed.js';

/**
 * Copies a live model's weights W and biases theta, layer by layer, for the network view and the histograms.
 * @category Model
 */
export function weightsOfModel(model: Sequential, activations: readonly string[]): LayerWeights[] {
  return model.layers.map((layer, i) => ({
    inputs: layer.inputs,
    units: layer.units,
    activation: activations[i] ?? '',
    weights: Float32Array.from(layer.weights.data),
    bias: Float32Array.from(layer.bias.data),
  }));
}

/**
 * Reads the weights out of a model file (a checkpoint or end event, or a server snapshot), without building
 * the model, so it works even when an activation is not registered in the page.
 * @category Model
 */
export function weightsOfJSON(json: ModelJSON): LayerWeights[] {
  return denseLayers(json).map((layer) => ({
    inputs: layer.inputs,
    units: layer.units,
    activation: typeof layer.activation === 'string' ? layer.activation : layer.activation.name,
    weights: Float32Array.from(layer.weights.flat()),
    bias: Float32Array.from(layer.bias),
  }));
}
