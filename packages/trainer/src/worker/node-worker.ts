// Node's worker_threads Worker as a WorkerLike.
import { Worker } from 'node:worker_threads';
import type { WorkerFactory, WorkerLike } from './client.js';

/**
 * A worker factory for Node: each call starts a worker_threads `Worker` running `entry` (default: the package's
 * own worker module, which serves training runs), adapted to {@link WorkerLike}. Give it to `createWorkerRun` or
 * `startTrainingWorker` as `worker`.
 *
 * @example
 * ```ts
 * // not-runnable: starts a worker thread
 * import { createWorkerRun } from '@deltaflow/trainer';
 * import { nodeWorker } from '@deltaflow/trainer/node';
 *
 * const run = createWorkerRun({ data: 'xor' }, { worker: nodeWorker() });
 * run.events$.subscribe((event) => event.type === 'end' && console.log(event.reason));
 * ```
 * @param entry - the worker module: one that calls `serveTrainingWorker(parentPort)`; default the package's
 * @returns a factory for the `worker` option
 * @category Worker
 */
export function nodeWorker(entry: URL = new URL('./node-entry.js', import.meta.url)): WorkerFactory {
  return () => {
    const worker = new Worker(entry);
    const adapted: WorkerLike = {
      postMessage: (message) => worker.postMessage(message),
      addEventListener(type, listener) {
        if (type === 'message') worker.on('message', (data: unknown) => listener({ data }));
        else worker.on('error', (error: Error) => listener({ message: error.message }));
      },
      terminate: () => worker.terminate(),
    };
    return adapted;
  };
}
