import { integerClassLabels, oneHotTargets } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import type { Tensor } from '@deltaflow/tensor';

/**
 * Something {@link prepareRun} decided or noticed about the data that a person should read before training, as
 * one sentence (option names in backquotes, as in the recipe's errors):
 *
 * - `target-type`: a numeric target column of small integers was read as class labels (one-hot);
 * - `output-range`: regression targets lie outside what the output activation can give;
 * - `input-scale`: the inputs are far from unit scale and `normalize` is off.
 *
 * @example
 * ```ts
 * const run = await prepareRun({ data: 'xor' });
 * for (const notice of run.notices) console.warn(`${notice.kind}: ${notice.message}`);
 * ```
 * @category Recipe
 */
export interface RunNotice {
  /** What the notice is about. */
  kind: 'target-type' | 'output-range' | 'input-scale';
  /** One sentence saying what was seen and what to do about it. */
  message: string;
}

/**
 * How a run reads a single numeric target column: `'class'` one-hot encodes its values as class labels,
 * `'value'` keeps the numbers as they are. Left out, small non-negative integers (3 to 20 distinct values, as
 * wine's 0/1/2 or digits 0-9) are read as classes, with a `target-type` {@link RunNotice}.
 *
 * @example
 * ```ts
 * const description: RunDescription = { data: { csv: 'x,class\n1,0\n2,1\n3,2\n' }, targetType: 'value' };
 * ```
 * @category Recipe
 */
export type TargetType = 'class' | 'value';

const list = (labels: readonly number[]): string =>
  labels.length > 4 ? `${labels[0]}-${labels.at(-1)}` : labels.join('/');

/**
 * The dataset with targets read as `targetType` says (or as the integer-label rule infers), and the notice of
 * an inference. With a given model, the inference applies only when the model has one output per class.
 */
export function chooseTargets(
  ds: Dataset,
  targetType: TargetType | undefined,
  modelOutputs: number | undefined,
): { dataset: Dataset; notice?: RunNotice } {
  if (targetType === 'class') return { dataset: oneHotTargets(ds) };
  if (targetType === 'value') return { dataset: ds };
  const labels = integerClassLabels(ds);
  if (!labels || (modelOutputs !== undefined && modelOutputs !== labels.length)) return { dataset: ds };
  return {
    dataset: oneHotTargets(ds),
    notice: {
      kind: 'target-type',
      message: `The target column ${ds.targetNames[0]} holds ${labels.length} integer labels (${list(labels)}), so it is read as ${labels.length} classes (one-hot); to predict it as a number, use \`targetType\` value.`,
    },
  };
}

/** The closed range each bounded output activation gives (an output outside it can never be reached). */
const OUTPUT_RANGES: Readonly<Record<string, readonly [number, number, string]>> = {
  sigmoid: [0, 1, '(0, 1)'],
  'hard-sigmoid': [0, 1, '[0, 1]'],
  softmax: [0, 1, '(0, 1)'],
  tanh: [-1, 1, '(-1, 1)'],
  relu: [0, Infinity, '[0, ∞)'],
  softplus: [0, Infinity, '(0, ∞)'],
};

const show = (v: number): string => String(Number(v.toPrecision(4)));

function extent(t: Tensor): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of t.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A notice when the targets lie outside the range of a bounded output activation. */
export function outputRangeNotice(
  ds: Dataset,
  outputActivation: string,
  fromModel: boolean,
): RunNotice | undefined {
  const range = OUTPUT_RANGES[outputActivation];
  if (!range || ds.targets.size === 0) return undefined;
  const [lo, hi] = extent(ds.targets);
  if (lo >= range[0] && hi <= range[1]) return undefined;
  const interval = range[2];
  const fix = fromModel
    ? 'train a model with the output activation linear instead'
    : 'use the output activation linear (`outputActivation`), the default for regression';
  return {
    kind: 'output-range',
    message: `The targets run from ${show(lo)} to ${show(hi)}, outside the range ${interval} of the output activation ${outputActivation}${fromModel ? ' of the given model' : ''}, so the outputs can never reach them; ${fix}, or scale the targets.`,
  };
}

/** Above this absolute mean or standard deviation, a feature is far from unit scale. */
const FAR_FROM_UNIT = 10;

/** A notice when some feature's absolute mean or standard deviation exceeds 10 (the run does not scale). */
export function inputScaleNotice(ds: Dataset): RunNotice | undefined {
  const { rows, cols, data } = ds.inputs;
  if (rows === 0) return undefined;
  let worst = -1;
  let worstSize = FAR_FROM_UNIT;
  let worstMean = 0;
  let worstStd = 0;
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += data[i * cols + j]!;
    const mean = sum / rows;
    let squares = 0;
    for (let i = 0; i < rows; i++) squares += (data[i * cols + j]! - mean) ** 2;
    const std = Math.sqrt(squares / rows);
    const size = Math.max(Math.abs(mean), std);
    if (size > worstSize) [worst, worstSize, worstMean, worstStd] = [j, size, mean, std];
  }
  if (worst < 0) return undefined;
  return {
    kind: 'input-scale',
    message: `The inputs are far from unit scale (column ${ds.featureNames[worst]} has mean ${show(worstMean)} and standard deviation ${show(worstStd)}), where sigmoid and tanh units saturate and stop learning; standardise them with \`normalize\`.`,
  };
}
