import { DeltaflowError } from '@deltaflow/core';

// What a browser bundle gets for @deltaflow/trainer/node: package.json's "browser" condition maps that Node-only
// entry point here, so no node: module reaches the bundle. A bundler reports the missing names at build time;
// where one does not, loading this module says why in one sentence.

throw new DeltaflowError(
  'E_ENVIRONMENT',
  '@deltaflow/trainer/node (nodeWorker, recordJsonl, readJsonl) uses worker_threads and files, so it runs in Node only; in a browser, use createWorkerRun of @deltaflow/trainer with a Web Worker.',
);
