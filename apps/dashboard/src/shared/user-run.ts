import type { RunDescription } from '@deltaflow/trainer';
import { describePlaygroundRun } from './playground-config.js';
import type { PlaygroundConfig } from './playground-config.js';

/**
 * A CSV the person opened or dropped on the standalone page, and the columns they chose: the target, and the
 * features the network takes, the two plotted ones (x, then y) first.
 * @category Playground
 */
export interface UserData {
  /** The whole CSV text. */
  csv: string;
  /** The file's name, for messages and the model file's meta. */
  file: string;
  /** The target column. */
  target: string;
  /** The input columns, in the network's order: the plotted x and y first, then any others. */
  features: string[];
  /**
   * What the CSV check found the target to be; a classification run asks for the confusion matrix. Left out:
   * regression (no confusion matrix is asked).
   */
  task?: 'classification' | 'regression';
}

/**
 * A model file the person opened on the standalone page to continue training: its text, as the CLI's
 * `predict --model` and `train --init` read it, and its name.
 * @category Playground
 */
export interface UserModel {
  text: string;
  file: string;
}

/**
 * The run a standalone configuration describes over the person's own CSV: as
 * {@link describePlaygroundRun}, but the data is the CSV with the chosen target and features, the train/test
 * split is the configuration's train fraction (the usual split, seeded), the confusion matrix is asked when the
 * CSV check found classes, and the inputs are standardised
 * (z-score, fitted on the training rows only; the scaler goes into the model file, so `deltaflow predict`
 * applies it). Without a CSV, the playground's own description.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from './playground-config.js';
 *
 * const data: UserData = { csv: 'a,b,y\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n', file: 'mine.csv', target: 'y', features: ['a', 'b'] };
 * describeUserRun(DEFAULT_CONFIG, data).target; // → ['y']
 * ```
 * @category Playground
 */
export function describeUserRun(config: PlaygroundConfig, data: UserData | null): RunDescription {
  const description = describePlaygroundRun(config);
  if (!data) return description;
  const { validationSplit: _builtin, metrics: _metrics, ...rest } = description;
  return {
    ...rest,
    ...(data.task === 'classification' ? { metrics: ['confusion'] as const } : {}),
    data: { csv: data.csv, file: data.file, features: data.features },
    target: [data.target],
    normalize: true,
    ...(config.trainFraction < 1 ? { validationSplit: 1 - config.trainFraction } : {}),
  };
}
