import { pluginRegistries } from '@deltaflow/core';
import { getLoss } from '@deltaflow/losses';
import { computeMetrics } from '@deltaflow/trainer';
import { registeredName } from '../errors.js';
import { infer } from '../inference.js';
import { out } from '../output.js';
import { alignClasses, loadData } from '../options/data.js';
import { readModelFile } from '../options/model.js';
import { parseColumns } from '../options/parse.js';
import { loadPlugins } from '../options/plugins.js';
import { formatMetrics, formatOutput } from '../render/format.js';
import { table } from '../render/table.js';
import { checkFits } from '../train/prepare.js';
import type { GlobalArgs } from '../commands/context.js';

/** The parsed flags of `deltaflow evaluate`. */
export interface EvaluateArgs extends GlobalArgs {
  model: string;
  data: string;
  target?: string;
  loss?: string;
  json?: boolean;
}

/**
 * Runs `deltaflow evaluate`: loss E and metrics of a saved model on a dataset.
 *
 * @example
 * ```ts
 * // not-runnable: reads xor.json
 * const code = await evaluate({ model: 'xor.json', data: 'xor' });
 * ```
 */
export async function evaluate(args: EvaluateArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  const { model, meta } = readModelFile(args.model, '--model');
  const lossName =
    args.loss !== undefined
      ? registeredName('--loss', 'loss', args.loss)
      : meta.loss && pluginRegistries.loss.has(meta.loss)
        ? meta.loss
        : 'mse';
  const target = args.target !== undefined ? parseColumns('--target', args.target) : meta.targetColumns;
  let ds = await loadData(args.data, {
    ...(target ? { target } : {}),
    features: meta.featureNames,
    dtype: model.dtype,
  });
  ds = alignClasses(ds, meta.classNames);
  checkFits(ds, model);
  const pass = model.createPass();
  const outputs = infer(model, ds.inputs, meta.scaler, pass);
  const loss = model.loss(pass, ds.targets, getLoss(lossName));
  const metrics = computeMetrics(outputs, ds.targets, meta.task ?? ds.task);
  const samples = ds.inputs.rows;
  if (args.json) {
    out(JSON.stringify({ loss, lossFunction: lossName, metrics, samples, data: args.data }));
    return 0;
  }
  out(`${args.model} on ${ds.name}:`);
  out(
    table(
      ['', 'value'],
      [['samples', String(samples)], [`loss (${lossName})`, formatOutput(loss)], ...formatMetrics(metrics)],
      ['left', 'right'],
    ),
  );
  return 0;
}
