// The default worker module of createWorkerRun in a browser: a module Web Worker serving training runs.
import { serveTrainingWorker } from './host.js';
import type { TrainingWorkerScope } from './host.js';

serveTrainingWorker(globalThis as unknown as TrainingWorkerScope);
