// The standalone page's training worker: @deltaflow/trainer's serveTrainingWorker, which prepares each run the
// page describes with the library's recipe, trains it here and posts its events (sampled for display, epoch and
// end never dropped), its state and the page's model snapshots in one message per flush. The dashboard adds its
// bundled plugins and the snapshots (observeForDashboard); everything else is the library's worker API.
import { serveTrainingWorker } from '@deltaflow/trainer';
import type { TrainingWorkerScope } from '@deltaflow/trainer';
import { DASHBOARD_PLUGINS } from './plugins.js';
import { observeForDashboard } from './snapshots.js';

serveTrainingWorker(self as unknown as TrainingWorkerScope, {
  plugins: DASHBOARD_PLUGINS,
  observe: observeForDashboard,
});
