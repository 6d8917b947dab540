import { Scaler } from '@deltaflow/data';
import type { Task } from '@deltaflow/data';
import type { ForwardPass, Sequential } from '@deltaflow/network';
import { DeltaflowError, Tensor } from '@deltaflow/tensor';

/**
 * What a model file's `meta` says about using the model, read and checked by {@link modelInfo}: the stored
 * scaler, the class names, the task, the column names and the loss it was trained with.
 *
 * @example
 * ```ts
 * const info: ModelInfo = modelInfo(mlp({ inputs: 2, layers: [{ units: 1 }] }));
 * info.scaler === undefined; // → true
 * ```
 * @category Prediction
 */
export interface ModelInfo {
  /** The loss the model was trained with. */
  loss?: string;
  /** classification or regression. */
  task?: Task;
  /** Class labels, one per class k (output column, or 0/1 for a single sigmoid output). */
  classNames?: string[];
  /** The input columns the model was trained on, in order (only when there is one per input). */
  featureNames?: string[];
  /** The target column names of the training data. */
  targetNames?: string[];
  /** The CSV target column(s) given when training. */
  targetColumns?: string[];
  /** The scaler fitted on the training inputs (`normalize`), applied to raw inputs before every forward pass. */
  scaler?: Scaler;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;

/**
 * Reads and checks what a model's `meta` (kept by `loadModel`/`modelFromJSON` of `@deltaflow/network`) says
 * about using it: the stored scaler (checked against the model's inputs), class names, task, column names.
 *
 * @example
 * ```ts
 * import { modelFromJSON, modelToJSON } from '@deltaflow/network';
 *
 * const model = modelFromJSON({ ...modelToJSON(mlp({ inputs: 1, layers: [{ units: 1 }] })), meta: { classNames: ['no', 'yes'] } });
 * modelInfo(model).classNames; // → ['no', 'yes']
 * ```
 * @param model - a model, usually loaded from a file
 * @param source - the file name, for error messages
 * @throws DeltaflowError `E_MODEL` when `meta.scaler` is unusable or does not fit the model's inputs
 * @category Prediction
 */
export function modelInfo(model: Sequential, source?: string): ModelInfo {
  const raw = model.meta ?? {};
  const where = source ? `Model ${source}` : 'Model';
  let scaler: Scaler | undefined;
  if (raw.scaler !== undefined) {
    try {
      scaler = Scaler.fromJSON(raw.scaler);
    } catch (error) {
      throw new DeltaflowError(
        'E_MODEL',
        `${where}: meta.scaler is unusable (${(error as Error).message.replace(/\.$/, '')}); save the model again with --normalize, or remove meta.scaler.`,
        { cause: error },
      );
    }
    if (scaler.features !== model.inputs) {
      throw new DeltaflowError(
        'E_MODEL',
        `${where}: meta.scaler has ${scaler.features} features but the model takes ${model.inputs} inputs; fix or remove meta.scaler.`,
      );
    }
  }
  const task = raw.task === 'classification' || raw.task === 'regression' ? raw.task : undefined;
  const featureNames = strings(raw.featureNames);
  return {
    ...(typeof raw.loss === 'string' ? { loss: raw.loss } : {}),
    ...(task ? { task } : {}),
    ...(strings(raw.classNames) ? { classNames: strings(raw.classNames) } : {}),
    ...(featureNames?.length === model.inputs ? { featureNames } : {}),
    ...(strings(raw.targetNames) ? { targetNames: strings(raw.targetNames) } : {}),
    ...(strings(raw.targetColumns) ? { targetColumns: strings(raw.targetColumns) } : {}),
    ...(scaler ? { scaler } : {}),
  };
}

/**
 * Whether a model's outputs are class scores: its meta says `task: 'classification'`, or names classes.
 *
 * @example
 * ```ts
 * isClassifier({ classNames: ['a', 'b'] }); // → true
 * isClassifier({ task: 'regression' }); // → false
 * ```
 * @category Prediction
 */
export function isClassifier(info: ModelInfo): boolean {
  return info.task === 'classification' || (info.task === undefined && info.classNames !== undefined);
}

/**
 * The class k of one output row: O >= 0.5 for a single output (k = 1, else 0), else the largest O_k.
 *
 * @example
 * ```ts
 * classOf([0.1, 0.7, 0.2]); // → 1
 * classOf([0.3]); // → 0
 * ```
 * @category Prediction
 */
export function classOf(output: ArrayLike<number>, offset = 0, width = output.length): number {
  if (width === 1) return output[offset]! >= 0.5 ? 1 : 0;
  let k = 0;
  for (let j = 1; j < width; j++) if (output[offset + j]! > output[offset + k]!) k = j;
  return k;
}

/**
 * Runs a model on RAW inputs: scales them with the model's stored scaler (`meta.scaler`, from `--normalize`)
 * first, then the forward pass. Returns the output layer's buffer `[N, outputs]`, overwritten by the next
 * forward pass: read it first. With `pass`, the forward pass goes into it (for a loss of these outputs).
 *
 * @example
 * ```ts
 * const outputs = predictOutputs(model, Tensor.fromNested([[0, 1]]));
 * ```
 * @param model - the model, with its `meta` as loaded
 * @param inputs - raw inputs `[N, inputs]`, any dtype
 * @param options - a forward pass to fill, or a {@link ModelInfo} read before
 * @category Prediction
 */
export function predictOutputs(
  model: Sequential,
  inputs: Tensor,
  options: { pass?: ForwardPass; info?: ModelInfo } = {},
): Tensor {
  const scaler = (options.info ?? modelInfo(model)).scaler;
  const x = inputs.dtype === model.dtype ? inputs : inputs.clone(model.dtype);
  return model.forward(scaler ? scaler.transform(x) : x, options.pass);
}

/**
 * What {@link predict} returns: the outputs O_k of each row and, for a classifier, each row's class index and
 * name.
 *
 * @example
 * ```ts
 * const result: Predictions = predict(model, [[0, 1]]);
 * console.log(result.outputs[0], result.labels?.[0]); // the first row's O_k and, for a classifier, its class
 * ```
 * @category Prediction
 */
export interface Predictions {
  /** One row of O_k per input row. */
  outputs: number[][];
  /** For a classifier: the class index k of each row. */
  classes?: number[];
  /** For a classifier: the class of each row, named by `meta.classNames` (else its index as text). */
  labels?: string[];
}

/**
 * Predicts RAW input rows with a model as loaded from its file: applies the stored scaler, runs the network
 * (dropout off, as in every inference) and, for a classifier, returns the class of each row by name. A model
 * trained with `normalize` gives on raw inputs what it gave on the scaled inputs while training.
 *
 * @example
 * ```ts
 * // not-runnable: reads iris.json
 * import { loadModel } from '@deltaflow/network/node';
 *
 * const { labels } = predict(loadModel('iris.json'), [[5.1, 3.5, 1.4, 0.2]]);
 * console.log(labels); // ['setosa']
 * ```
 * @param model - the model, with its `meta` (from `loadModel`/`modelFromJSON`)
 * @param inputs - raw rows, as numbers or a `[N, inputs]` tensor
 * @throws DeltaflowError `E_SHAPE` when a row does not have one number per input; `E_MODEL` for a bad `meta.scaler`
 * @category Prediction
 */
export function predict(model: Sequential, inputs: Tensor | readonly (readonly number[])[]): Predictions {
  const info = modelInfo(model);
  if (!(inputs instanceof Tensor)) {
    inputs.forEach((row, i) => {
      if (row.length !== model.inputs) {
        throw new DeltaflowError(
          'E_SHAPE',
          `predict: row ${i} has ${row.length} numbers but the model takes ${model.inputs} inputs; give one number per input.`,
        );
      }
    });
  }
  const x =
    inputs instanceof Tensor
      ? inputs
      : Tensor.fromNested(
          inputs.map((r) => [...r]),
          'float64',
        );
  const out = predictOutputs(model, x, { info });
  const k = out.cols;
  const outputs = Array.from({ length: out.rows }, (_, i) =>
    Array.from(out.data.subarray(i * k, (i + 1) * k)),
  );
  if (!isClassifier(info)) return { outputs };
  const classes = outputs.map((row) => classOf(row));
  return { outputs, classes, labels: classes.map((c) => info.classNames?.[c] ?? String(c)) };
}
