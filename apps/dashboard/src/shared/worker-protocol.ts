import type { FeedMessage } from './feed.js';
import type { RunDescription } from '@deltaflow/trainer';
import type { UserModel } from './user-run.js';
import type { ClientMessage } from './wire.js';

/**
 * Page to training worker: first `plugins` (module URLs to import and install, possibly none), then
 * `configure` (re)builds the data, the model and a paused run from a run description (plain data, prepared by
 * the library's recipe exactly as the CLI prepares it); `speed` paces this run and the next ones (epochs per
 * second, null for as fast as possible, the default); the rest are the same commands a page sends to the
 * dashboard server (pause, resume, step, stop, learning rate).
 * @category Worker
 */
export type WorkerRequest =
  | ClientMessage
  // `configure`, continuing from an opened model file (its architecture, weights and scaler)
  | { type: 'continue'; description: RunDescription; model: UserModel }
  // the run's model as a model file: the worker answers with a `model-file` reply
  | { type: 'model-file' }
  | { type: 'plugins'; urls: readonly string[] }
  | { type: 'configure'; description: RunDescription }
  | { type: 'speed'; epochsPerSecond: number | null };

/**
 * The registered names the worker can train with, built-ins and plugins, for the page's selectors.
 * @category Worker
 */
export interface RegistryNames {
  activations: string[];
  losses: string[];
  optimizers: string[];
}

/**
 * Training worker to page: `hello` once its plugins are installed, with the registry names; then feed messages,
 * in order, gathered into one `feed` reply per flush of the worker's publisher (one task on the page for all of
 * them, not one per message); `model-file` answers the request of that name.
 * @category Worker
 */
export type WorkerReply =
  { type: 'hello'; names: RegistryNames } | { type: 'feed'; messages: FeedMessage[] } | ModelFileReply;

/**
 * Training worker to page, the answer to a `model-file` request: the run's model as the text of a model file
 * (`deltaflow predict --model` reads it) and a file name for it, or `text: null` when there is no run.
 * @category Worker
 */
export interface ModelFileReply {
  type: 'model-file';
  text: string | null;
  name: string;
}
