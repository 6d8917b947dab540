import type { PreparedRun } from '../train/prepare.js';
import { plural } from './format.js';

/**
 * The one line printed before training: data, architecture, loss, optimizer and schedule.
 *
 * @example
 * ```ts
 * describeRun(prepared);
 * // 'xor: 4 samples, model 2-4-1 (sigmoid, sigmoid) float32, loss mse, sgd lr 0.5, batch size 1, 2000 epochs'
 * ```
 */
export function describeRun(prepared: PreparedRun): string {
  const { model, train, validation, options, scaler } = prepared;
  const sizes = [model.inputs, ...model.layers.map((l) => l.units)].join('-');
  const activations = model
    .summary()
    .layers.map((l) => l.activation)
    .join(', ');
  const hyper = Object.entries(options.optimizerOptions ?? {})
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  const samples = `${plural(train.inputs.rows, 'sample')}${validation ? ` + ${validation.inputs.rows} for validation` : ''}`;
  return (
    `${prepared.dataset.name}: ${samples}${scaler ? ' (normalized)' : ''}, model ${sizes} (${activations}) ${model.dtype}, ` +
    `loss ${String(options.loss)}, ${String(options.optimizer)}${hyper ? ` ${hyper}` : ''}, ` +
    `batch size ${Math.min(options.batchSize ?? 32, train.inputs.rows)}, ${plural(options.epochs ?? 100, 'epoch')}`
  );
}
