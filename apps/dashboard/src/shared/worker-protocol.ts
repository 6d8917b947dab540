import type { TrainingWorkerInfo } from '@deltaflow/trainer';

/**
 * The registered names the training worker can train with, built-ins and plugins, for the page's selectors
 * (`TrainingWorkerInfo.names` of `@deltaflow/trainer`).
 * @category Worker
 */
export type RegistryNames = TrainingWorkerInfo['names'];

/**
 * The standalone run's model as the person downloads it: the text of a model file (`deltaflow predict --model`
 * reads it) and a file name for it, or `text: null` when there is no run.
 * @category Worker
 */
export interface ModelFileReply {
  type: 'model-file';
  text: string | null;
  name: string;
}
