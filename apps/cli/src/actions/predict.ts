import type { CsvEncoding } from '@deltaflow/data';
import { Tensor } from '@deltaflow/tensor';
import { predict as predictRows } from '@deltaflow/trainer';
import { UsageError } from '../errors.js';
import { rowsOf } from '../inference.js';
import { out } from '../output.js';
import { loadData } from '../options/data.js';
import { readModelFile } from '../options/model.js';
import type { LoadedModel } from '../options/model.js';
import { integer, parseColumns, parseRow } from '../options/parse.js';
import { loadPlugins } from '../options/plugins.js';
import { formatOutput } from '../render/format.js';
import { checkFits } from '../train/prepare.js';
import type { GlobalArgs } from '../commands/context.js';

/** The parsed flags of `deltaflow predict`. */
export interface PredictArgs extends GlobalArgs {
  model: string;
  input?: string[];
  data?: string;
  target?: string;
  /** `--encoding`: how a CSV file's bytes are read. */
  encoding?: CsvEncoding;
  seed?: number;
  json?: boolean;
}

/** Reads the rows to predict: `--input` values, or the feature columns of `--data` (read exactly, in float64). */
async function readInputs(args: PredictArgs, model: LoadedModel): Promise<number[][]> {
  const given = (args.input?.length ?? 0) > 0;
  if (given === (args.data !== undefined)) {
    throw new UsageError(
      'predict needs either --input "x1,x2,..." (repeatable) or --data FILE.csv, not both.',
    );
  }
  if (given) return args.input!.map((row) => parseRow(row, model.model.inputs));
  const ds = await loadData(args.data!, {
    ...(args.target !== undefined ? { target: parseColumns('--target', args.target) } : {}),
    features: model.meta.featureNames,
    dtype: 'float64',
    model,
    ...(args.encoding !== undefined ? { encoding: args.encoding } : {}),
    ...(args.seed !== undefined ? { seed: integer('--seed', args.seed, 0) } : {}),
  });
  checkFits(ds, model.model, false);
  return rowsOf(ds.inputs);
}

/**
 * Runs `deltaflow predict` (see {@link predictCommand}): prints one line per input row, or one JSON line.
 *
 * @example
 * ```ts
 * // not-runnable: reads xor.json
 * const code = await predict({ model: 'xor.json', input: ['0,1'] });
 * ```
 */
export async function predict(args: PredictArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  const loaded = readModelFile(args.model, '--model');
  const inputs = await readInputs(args, loaded);
  // the stored scaler and class names, applied by the library's predict helper
  const { outputs, labels } = predictRows(loaded.model, Tensor.fromNested(inputs, 'float64'));
  const predictions = inputs.map((input, i) => ({
    input,
    output: outputs[i]!,
    ...(labels ? { label: labels[i]! } : {}),
  }));
  if (args.json) {
    out(JSON.stringify({ predictions }));
    return 0;
  }
  for (const p of predictions) {
    const label = p.label !== undefined ? `  class ${p.label}` : '';
    out(
      `${p.input.map((v) => formatOutput(v)).join(',')} -> ${p.output.map(formatOutput).join(', ')}${label}`,
    );
  }
  return 0;
}
