import { pluginRegistries } from '@deltaflow/core';
import { Scaler, selectRows } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { gradientCheck } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { RUN_DEFAULTS } from '@deltaflow/trainer';
import { UsageError } from '../errors.js';
import { out, stdoutIsTerminal, warn } from '../output.js';
import { loadData } from '../options/data.js';
import { readModelFile } from '../options/model.js';
import { integer, number } from '../options/parse.js';
import { loadPlugins } from '../options/plugins.js';
import { checkTrainRequest } from '../options/train-request.js';
import type { TrainRequest } from '../options/train-request.js';
import { formatNumber } from '../render/format.js';
import { fitTable } from '../render/table.js';
import type { FitColumn } from '../render/table.js';
import { terminalColumns, wrapParts } from '../render/width.js';
import { checkFits, describeRequest, recipe } from '../train/prepare.js';
import type { GlobalArgs } from '../commands/context.js';

/** The parsed flags of `deltaflow gradcheck`. */
export interface GradcheckArgs extends GlobalArgs {
  model?: string;
  samples?: number;
  tolerance?: number;
  json?: boolean;
  [flag: string]: unknown;
}

/** The model `deltaflow train` would build for these flags and rows: the library's recipe builds it. */
async function recipeModel(request: TrainRequest, ds: Dataset, loss: string): Promise<Sequential> {
  const flags = { ...request, validationSplit: undefined };
  return (await recipe({ ...describeRequest(flags, ds), loss, normalize: false })).model;
}

/**
 * Runs `deltaflow gradcheck`: returns 1 when the worst relative error is above the tolerance.
 *
 * @example
 * ```ts
 * const code = await gradcheck({ samples: 4 });
 * ```
 */
export async function gradcheck(args: GradcheckArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  const tolerance = number('--tolerance', args.tolerance ?? 1e-6, { positive: true });
  const samples = integer('--samples', args.samples ?? 16, 1);
  for (const flag of ['layers', 'activation', 'output-activation', 'dropout'] as const) {
    if (args.model !== undefined && args[flag] !== undefined) {
      throw new UsageError(
        `--${flag} cannot be combined with --model: the model file gives the architecture.`,
      );
    }
  }
  const request = checkTrainRequest({ ...args, init: undefined, dtype: 'float64', json: args.json });
  const loaded = args.model !== undefined ? readModelFile(args.model, '--model') : undefined;
  const loss =
    request.loss ??
    (loaded?.meta.loss && pluginRegistries.loss.has(loaded.meta.loss) ? loaded.meta.loss : RUN_DEFAULTS.loss);
  const target = request.target ?? loaded?.meta.targetColumns;
  const full = await loadData(request.data, {
    ...(target ? { target } : {}),
    features: loaded?.meta.featureNames,
    dtype: 'float64',
    seed: request.seed,
    ...(request.encoding ? { encoding: request.encoding } : {}),
  });
  const ds = selectRows(
    full,
    Int32Array.from({ length: Math.min(samples, full.inputs.rows) }, (_, i) => i),
  );
  const model = loaded?.model ?? (await recipeModel(request, ds, loss));
  checkFits(ds, model);
  const scaler = request.normalize ? Scaler.fit('standard', full.inputs) : loaded?.meta.scaler;
  const inputs = scaler ? scaler.transform(ds.inputs) : ds.inputs;
  // dropout layers are checked ON, with one mask (of the run's seed) frozen for every finite difference
  const dropout = model.layers.some((layer) => layer.dropout > 0);
  const result = gradientCheck(model, inputs, ds.targets, loss, {
    ...(dropout ? { dropoutMask: request.seed } : {}),
    // --l1/--l2: E includes the penalty, the analytic gradient its derivative
    penalty: {
      ...(request.l1 !== undefined ? { l1: request.l1 } : {}),
      ...(request.l2 !== undefined ? { l2: request.l2 } : {}),
    },
  });
  // Every entry left out (all of them at a kink) would be a vacuous pass.
  const passed = result.checked > 0 && result.worst <= tolerance;
  if (args.json) {
    out(JSON.stringify({ ...result, tolerance, passed, loss, samples: ds.inputs.rows }));
  } else {
    const layers = model.summary().layers;
    const width = stdoutIsTerminal() ? terminalColumns() - 1 : Number.POSITIVE_INFINITY;
    const prose = (sentence: string): void => out(wrapParts(sentence.split(' '), width));
    prose(
      `gradient check (float64, central differences) of ${layers.length} layers on ${ds.inputs.rows} samples of ${full.name}, loss ${loss}:`,
    );
    const entry = (i: number) => result.layers[i]!;
    const columns: FitColumn[] = [
      { head: 'layer', align: 'right', cell: (i) => String(entry(i).layer) },
      {
        head: 'shape',
        align: 'left',
        cell: (i) => `${layers[entry(i).layer]!.inputs} -> ${layers[entry(i).layer]!.units}`,
      },
      { head: 'activation', align: 'left', cell: (i) => layers[entry(i).layer]!.activation, drop: 3 },
      { head: 'dE/dW', align: 'right', cell: (i, d) => formatNumber(entry(i).weights, d), drop: 2 },
      {
        head: 'dE/dtheta',
        short: 'dE/\ndtheta',
        align: 'right',
        cell: (i, d) => formatNumber(entry(i).bias, d),
        drop: 1,
      },
      { head: 'worst', align: 'right', cell: (i, d) => formatNumber(entry(i).worst, d) },
      { head: 'at kink', short: 'at\nkink', align: 'right', cell: (i) => String(entry(i).atKink) },
    ];
    out(
      fitTable(columns, result.layers.length, width, {
        digits: [3, 2],
        leftOut: (gone) =>
          `(${gone.join(', ')} left out to fit the terminal; widen it to see ${gone.length === 1 ? 'it' : 'them'}, or use --json)`,
      }),
    );
    prose(
      `${result.atKink} ${result.atKink === 1 ? 'entry' : 'entries'} sat at a kink and ${result.atKink === 1 ? 'was' : 'were'} left out (central differences are not valid there); ${result.checked} checked.`,
    );
    prose(
      `worst relative error ${formatNumber(result.worst, 3)}, tolerance ${tolerance.toExponential()}: ${passed ? 'passed' : 'FAILED'}`,
    );
  }
  if (passed) return 0;
  if (result.checked === 0) {
    warn(
      `deltaflow: gradient check failed: all ${result.atKink} entries sat at a kink of an activation, so none was compared; check more --samples or other --data.`,
    );
    return 1;
  }
  const layer = result.layers.find((l) => l.worst === result.worst)?.layer;
  warn(
    `deltaflow: gradient check failed: the worst relative error ${formatNumber(result.worst, 3)} (layer ${layer}) is above the tolerance ${tolerance.toExponential()}.`,
  );
  return 1;
}
