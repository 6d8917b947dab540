// The default worker module of nodeWorker(): a worker_threads Worker serving training runs.
import { parentPort } from 'node:worker_threads';
import { serveTrainingWorker } from './host.js';
import type { TrainingWorkerScope } from './host.js';

if (!parentPort) throw new Error('This module runs in a worker_threads Worker; start it with nodeWorker().');
serveTrainingWorker(parentPort as unknown as TrainingWorkerScope);
