import { pluginRegistries } from '@deltaflow/core';
import { Scaler, selectRows } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { activationSweep, gradientCheck } from '@deltaflow/network';
import type { ActivationSweepResult, Sequential } from '@deltaflow/network';
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

/** The range of the activation sweep: wide (a model's net inputs rarely leave -3..3), dense steps. */
const SWEEP = { from: -10, to: 10, step: 0.005 } as const;

/** Sweeps every activation of the model once (hidden and output; the same name and config once). */
function sweepActivations(model: Sequential): ActivationSweepResult[] {
  const seen = new Map<string, ActivationSweepResult>();
  for (const layer of model.layers) {
    const { activation } = layer;
    const key = JSON.stringify([activation.name, activation.config]);
    if (!seen.has(key)) seen.set(key, activationSweep(activation, SWEEP));
  }
  return [...seen.values()];
}

/**
 * Runs `deltaflow gradcheck`: the layers' dE/dW against central differences on a few samples, then a sweep of
 * every activation's f' over x in -10..10 (so a df wrong only where the data never sends a net input is caught);
 * returns 1 when the worst relative error of either is above the tolerance.
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
  const sweeps = sweepActivations(model);
  const sweepWorst = sweeps.reduce<ActivationSweepResult | undefined>(
    (worst, sweep) => (worst && worst.worst >= sweep.worst ? worst : sweep),
    undefined,
  );
  const sweepPassed = !sweepWorst || sweepWorst.worst <= tolerance;
  // Every entry left out (all of them at a kink) would be a vacuous pass.
  const passed = result.checked > 0 && result.worst <= tolerance && sweepPassed;
  if (args.json) {
    out(
      JSON.stringify({
        ...result,
        activations: sweeps.map(({ name, worst, worstX, analytic, numeric, checked, atKink }) => ({
          name,
          worst,
          worstX,
          analytic,
          numeric,
          checked,
          atKink,
        })),
        sweep: SWEEP,
        tolerance,
        passed,
        loss,
        samples: ds.inputs.rows,
      }),
    );
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
      `activation sweep (f' against central differences, float64, x from ${SWEEP.from} to ${SWEEP.to} in steps of ${SWEEP.step}):`,
    );
    for (const sweep of sweeps) {
      prose(
        `${sweep.name}: worst relative error ${formatNumber(sweep.worst, 3)} at x = ${formatNumber(sweep.worstX, 4)} (f' ${formatNumber(sweep.analytic, 6)}, differences ${formatNumber(sweep.numeric, 6)})`,
      );
    }
    prose(
      `worst relative error ${formatNumber(Math.max(result.worst, sweepWorst?.worst ?? 0), 3)}, tolerance ${tolerance.toExponential()}: ${passed ? 'passed' : 'FAILED'}`,
    );
  }
  if (passed) return 0;
  if (result.checked > 0 && result.worst <= tolerance && sweepWorst) {
    // the layers passed: the sweep failed
    warn(
      `deltaflow: gradient check failed: the derivative of the activation ${sweepWorst.name} is off at x = ${formatNumber(sweepWorst.worstX, 4)} (f' ${formatNumber(sweepWorst.analytic, 6)}, central differences ${formatNumber(sweepWorst.numeric, 6)}: relative error ${formatNumber(sweepWorst.worst, 3)}, above the tolerance ${tolerance.toExponential()}); fix its df there.`,
    );
    return 1;
  }
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
