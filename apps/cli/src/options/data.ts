import { datasetNames, loadDataset, oneHotTargets } from '@deltaflow/data';
import type { CsvEncoding, Dataset } from '@deltaflow/data';
import { readArrow, readArrowColumns, readCsvColumns, readCsvStream } from '@deltaflow/data/node';
import { Tensor, allocate } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import { CliError, UsageError } from '../errors.js';
import type { LoadedModel } from './model.js';

/**
 * How to read `--data`: the target columns (CSV only; default the last column, `[]` for none) and, when the file
 * has them all, the feature columns a model was trained on.
 */
export interface DataOptions {
  target?: readonly string[];
  features?: readonly string[];
  dtype: DType;
  /** How a CSV file's bytes are read (`--encoding`); default strict UTF-8. */
  encoding?: CsvEncoding;
  /** Seed of a built-in dataset's generated points (`--seed`); default 42. */
  seed?: number;
  /** A saved model whose columns to read when `target` is left out (see {@link modelTargets}). */
  model?: LoadedModel;
}

/**
 * The target columns of a CSV file for a saved model, when `--target` is not given: one rule for `evaluate`,
 * `predict` and `train --init`, so they read the same file the same way.
 *
 * 1. the model's `meta.targetColumns` (its `--target`), when the file has them all;
 * 2. else, when the file has every feature column the model was trained on (`meta.featureNames`), the other
 *    columns (the last of them when there are more than the model's targets);
 * 3. else the columns after the first `inputs` (a model saved from code, without names).
 *
 * An empty list means the file holds features only (enough for `predict`).
 *
 * @example
 * ```ts
 * // a 2-input model saved from code, without meta
 * modelTargets(['x1', 'x2', 'y'], { model: mlp({ inputs: 2, layers: [{ units: 1 }] }), meta: { raw: {} } });
 * // → ['y']
 * ```
 */
export function modelTargets(header: readonly string[], loaded: LoadedModel): string[] {
  const { model, meta } = loaded;
  const has = (names: readonly string[] | undefined): names is readonly string[] =>
    names !== undefined && names.every((name) => header.includes(name));
  if (has(meta.targetColumns)) return [...meta.targetColumns];
  // one label column for a model of class outputs, else one column per output
  const width = meta.classNames && model.outputs > 1 ? 1 : model.outputs;
  if (has(meta.featureNames)) {
    const rest = header.filter((name) => !meta.featureNames!.includes(name));
    return rest.length > width ? rest.slice(-width) : rest;
  }
  return header.slice(model.inputs);
}

/**
 * The targets of `ds` as a saved model reads them: a model of class outputs gets one-hot columns in the order of
 * its `classNames` (a column of integer labels is one-hot encoded first).
 *
 * @example
 * ```ts
 * // not-runnable: reads wine.csv and wine.json
 * import { readModelFile } from './model.js';
 *
 * const ds = targetsForModel(await loadData('wine.csv', { dtype: 'float32' }), readModelFile('wine.json', '--model'));
 * ```
 * @throws CliError naming a label the model does not know
 */
export function targetsForModel(ds: Dataset, loaded: LoadedModel): Dataset {
  const { model, meta } = loaded;
  const oneHot =
    meta.classNames && model.outputs > 1 && ds.targets.cols === 1 && ds.targets.rows > 0
      ? oneHotTargets(ds)
      : ds;
  return alignClasses(oneHot, meta.classNames);
}

/** Whether `--data` names a built-in dataset rather than a CSV file. */
export function isBuiltinDataset(spec: string): boolean {
  return (datasetNames as readonly string[]).includes(spec);
}

/** Extensions of Arrow IPC files: `.arrow`, `.feather` (Feather v2), `.ipc`. */
const ARROW_FILE = /\.(arrow|feather|ipc)$/i;

/**
 * Loads `--data`: a built-in dataset by name (xor, circle, spiral, gauss, plane, iris, mnist), a CSV file, or an
 * Arrow IPC (Feather v2) file (`.arrow`, `.feather`, `.ipc`).
 *
 * @example
 * ```ts
 * const ds = await loadData('one-row.csv', { target: ['t1', 't2'], dtype: 'float64' });
 * ```
 * @throws UsageError for an unknown dataset name or `--target` with a built-in set; DeltaflowError `E_CSV`
 * naming the file, line and column of malformed CSV
 */
export async function loadData(spec: string, options: DataOptions): Promise<Dataset> {
  if (isBuiltinDataset(spec)) {
    if (options.target && options.target.length > 0) {
      throw new UsageError(
        `--target applies to CSV files; the built-in dataset '${spec}' has its own targets.`,
      );
    }
    return loadDataset(spec, {
      dtype: options.dtype,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
  }
  if (!/[./\\]/.test(spec)) {
    throw new UsageError(
      `--data: unknown dataset '${spec}'; use a built-in one (${datasetNames.join(', ')}) or the path of a CSV file.`,
    );
  }
  // An Arrow IPC (Feather v2) file: typed columns. A CSV file: its header first (its first chunk), then the rows,
  // streamed: the file is never one string, so any size works.
  const arrow = ARROW_FILE.test(spec);
  const encoding = options.encoding ? { encoding: options.encoding } : {};
  const header = arrow ? await readArrowColumns(spec) : readCsvColumns(spec, encoding);
  const target = options.target ?? (options.model ? modelTargets(header, options.model) : undefined);
  const targetSet = new Set(target ?? [header.at(-1)]);
  const features =
    options.features && options.features.every((name) => header.includes(name) && !targetSet.has(name))
      ? options.features
      : undefined;
  if (arrow) {
    return readArrow(spec, {
      file: spec,
      dtype: options.dtype,
      ...(target ? { target } : {}),
      ...(features ? { features } : {}),
    });
  }
  return readCsvStream(spec, {
    file: spec,
    dtype: options.dtype,
    ...encoding,
    ...(target ? { target } : {}),
    ...(features ? { features } : {}),
  });
}

/**
 * Puts the one-hot target columns of `ds` in the order of a model's `classNames` (a test file may hold fewer
 * classes, so its own one-hot columns differ). Returns `ds` when they already agree.
 *
 * @throws CliError naming a label the model does not know
 */
export function alignClasses(ds: Dataset, classNames: readonly string[] | undefined): Dataset {
  const own = ds.classNames;
  if (!classNames || !own || ds.targets.cols !== own.length || own.length < 2) return ds;
  if (own.length === classNames.length && own.every((name, i) => name === classNames[i])) return ds;
  const column = own.map((name) => {
    const k = classNames.indexOf(name);
    if (k < 0) {
      throw new CliError(
        `${ds.name}: the class '${name}' is not one the model knows (${classNames.join(', ')}).`,
      );
    }
    return k;
  });
  const rows = ds.targets.rows;
  const from = ds.targets.data;
  const to = allocate(ds.targets.dtype, rows * classNames.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < own.length; j++) to[i * classNames.length + column[j]!] = from[i * own.length + j]!;
  }
  return {
    ...ds,
    targets: new Tensor(to, [rows, classNames.length]),
    classNames: [...classNames],
    targetNames: [...classNames],
  };
}
