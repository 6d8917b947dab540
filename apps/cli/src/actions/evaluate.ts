import type { CsvEncoding } from '@deltaflow/data';
import { pluginRegistries } from '@deltaflow/core';
import { getLoss } from '@deltaflow/losses';
import { classificationReport, computeMetrics, predictOutputs } from '@deltaflow/trainer';
import type { ClassificationReport } from '@deltaflow/trainer';
import { UsageError, registeredName } from '../errors.js';
import { out } from '../output.js';
import { loadData, targetsForModel } from '../options/data.js';
import { readModelFile } from '../options/model.js';
import { integer, parseColumns } from '../options/parse.js';
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
  /** `--encoding`: how a CSV file's bytes are read. */
  encoding?: CsvEncoding;
  seed?: number;
  loss?: string;
  json?: boolean;
}

/** The error functions E of the built-in losses, per sample, as `docs/guides/the-math.md` writes them. */
const LOSS_FORMULAS: Record<string, string> = {
  mse: '1/2 sum (O - t)^2',
  mae: 'sum |O - t|',
  'cross-entropy': '-sum t log O',
  'binary-cross-entropy': '-sum [t log O + (1 - t) log(1 - O)]',
};

/** What evaluate's table calls the metrics of `computeMetrics`. */
const METRIC_LABELS: Record<string, string> = {
  mse: 'mean squared error',
  mae: 'mean absolute error',
  r2: 'R²',
  precision: 'precision (macro average)',
  recall: 'recall (macro average)',
  f1: 'F1 (macro average)',
  auc: 'ROC AUC',
};

/**
 * The confusion matrix and the per-class table of a classification report, as text tables.
 *
 * @example
 * ```ts
 * import { classificationReport } from '@deltaflow/trainer';
 *
 * const report = classificationReport(Tensor.fromNested([[0.9], [0.2]]), Tensor.fromNested([[1], [0]]));
 * reportTables(report).length; // → 2
 * ```
 */
export function reportTables(report: ClassificationReport): string[] {
  const matrix = table(
    ['true \\ predicted', ...report.classes],
    report.confusion.map((row, i) => [report.classes[i]!, ...row.map(String)]),
    ['left', ...report.classes.map((): 'right' => 'right')],
  );
  const perClass = table(
    ['class', 'precision', 'recall', 'F1', 'support'],
    [
      ...report.perClass.map((c) => [
        c.name,
        formatOutput(c.precision),
        formatOutput(c.recall),
        formatOutput(c.f1),
        String(c.support),
      ]),
      [
        'macro average',
        formatOutput(report.macro.precision),
        formatOutput(report.macro.recall),
        formatOutput(report.macro.f1),
        String(report.samples),
      ],
    ],
    ['left', 'right', 'right', 'right', 'right'],
  );
  return [matrix, perClass];
}

/**
 * The row label of the loss E: its name and, for a built-in, its formula (E of mse is half the mean squared
 * error, so both rows must say what they are).
 *
 * @example
 * ```ts
 * lossLabel('mse'); // → 'loss E (mse, mean of 1/2 sum (O - t)^2)'
 * ```
 */
export function lossLabel(lossName: string): string {
  const formula = LOSS_FORMULAS[lossName];
  return `loss E (${lossName}${formula ? `, mean of ${formula}` : ''})`;
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
  const loaded = readModelFile(args.model, '--model');
  const { model, meta } = loaded;
  const lossName =
    args.loss !== undefined
      ? registeredName('--loss', 'loss', args.loss)
      : meta.loss && pluginRegistries.loss.has(meta.loss)
        ? meta.loss
        : 'mse';
  const ds = targetsForModel(
    await loadData(args.data, {
      ...(args.target !== undefined ? { target: parseColumns('--target', args.target) } : {}),
      features: meta.featureNames,
      dtype: model.dtype,
      model: loaded,
      ...(args.encoding !== undefined ? { encoding: args.encoding } : {}),
      ...(args.seed !== undefined ? { seed: integer('--seed', args.seed, 0) } : {}),
    }),
    loaded,
  );
  if (ds.targets.cols === 0) {
    throw new UsageError(
      `evaluate needs target columns, but ${args.data} has only the model's ${ds.inputs.cols} input column(s); add the targets, or choose them with --target.`,
    );
  }
  checkFits(ds, model);
  const pass = model.createPass();
  const outputs = predictOutputs(model, ds.inputs, { pass, info: meta });
  const loss = model.loss(pass, ds.targets, getLoss(lossName));
  const task = meta.task ?? ds.task;
  const metrics = computeMetrics(outputs, ds.targets, task);
  // classification: confusion matrix, per-class precision/recall/F1, macro averages, ROC AUC when binary
  const report =
    task === 'classification'
      ? classificationReport(outputs, ds.targets, meta.classNames ?? ds.classNames)
      : undefined;
  if (report) {
    Object.assign(metrics, report.macro);
    if (report.auc !== undefined) metrics.auc = report.auc;
  }
  const samples = ds.inputs.rows;
  if (args.json) {
    const details = report
      ? { classes: report.classes, confusion: report.confusion, perClass: report.perClass }
      : {};
    out(JSON.stringify({ loss, lossFunction: lossName, metrics, ...details, samples, data: args.data }));
    return 0;
  }
  out(`${args.model} on ${ds.name}:`);
  out(
    table(
      ['', 'value'],
      [
        ['samples', String(samples)],
        [lossLabel(lossName), formatOutput(loss)],
        ...formatMetrics(metrics).map(([name, value]): [string, string] => [
          METRIC_LABELS[name] ?? name,
          value,
        ]),
      ],
      ['left', 'right'],
    ),
  );
  if (report) for (const text of reportTables(report)) out(text);
  return 0;
}
