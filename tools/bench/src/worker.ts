/**
 * One library's process-within-the-process: each runner lives in its own worker thread (its own V8 isolate, so
 * its JIT state and garbage never touch another library's), and the main thread asks it, one at a time, to run a
 * plan. Nothing runs concurrently, so the machine's second core is left to the rest of the system.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { jsBackend, loadWasmBackend } from '@deltaflow/tensor';
import { calibrate, coldFraction, scaledPlan } from './measure.js';
import type { WorkloadSetup } from './measure.js';
import { BrainRunner, loadBrain } from './runners/brain.js';
import { DeltaflowRunner } from './runners/deltaflow.js';
import type { RunResult, Runner } from './runners/runner.js';
import { TfjsRunner } from './runners/tfjs.js';
import { TorchRunner, probeTorch } from './runners/torch.js';
import { W1, W2, W3, initialWeights, mnistData, wideData, xorData } from './workloads.js';

/** What the main thread asks for. */
export type WorkerRequest =
  | { type: 'describe' }
  | { type: 'cold'; workload: 'W1' | 'W2' | 'W3' }
  | { type: 'calibrate'; workload: 'W1' | 'W2' | 'W3'; seconds: number }
  | { type: 'run'; workload: 'W1' | 'W2' | 'W3'; fraction: number; withTest: boolean }
  | { type: 'warmup'; workload: 'W1' | 'W2' | 'W3'; fraction: number; seconds: number };

/** What a worker answers. */
export type WorkerReply =
  | {
      type: 'describe';
      name: string;
      fast: boolean;
      perSample: boolean;
      workloads: ('W1' | 'W2' | 'W3')[];
      notes: Record<string, string | null>;
    }
  | { type: 'calibrate'; fraction: number }
  | { type: 'run'; result: RunResult }
  | { type: 'cold'; result: RunResult }
  | { type: 'warmup'; runs: number }
  | { type: 'unavailable'; reason: string }
  | { type: 'error'; message: string };

/** The data every worker makes the same way. */
export interface WorkerOptions {
  runner: string;
  quick: boolean;
  w3StepsPerEpoch: number;
}

const options = workerData as WorkerOptions;

function makeRunner(name: string): Runner | string {
  if (name === 'deltaflow-wasm') {
    const wasm = loadWasmBackend();
    return wasm ? new DeltaflowRunner(name, () => wasm, true) : 'no WebAssembly SIMD in this runtime';
  }
  if (name === 'deltaflow-wasm-2t') {
    const wasm = loadWasmBackend({ threads: 2 });
    return wasm?.name === 'wasm-simd-2t'
      ? new DeltaflowRunner(name, () => wasm, true)
      : 'no helper thread for the WebAssembly kernels in this runtime';
  }
  if (name === 'deltaflow-js') return new DeltaflowRunner(name, () => jsBackend, loadWasmBackend() === null);
  if (name === 'tfjs-cpu') return new TfjsRunner(name, 'cpu');
  if (name === 'tfjs-wasm') return new TfjsRunner(name, 'wasm');
  if (name === 'brain.js') {
    const { brain, version, error } = loadBrain();
    return brain ? new BrainRunner(brain, version) : `cannot be loaded here (${error})`;
  }
  if (name === 'pytorch-1t' || name === 'pytorch-2t') {
    const torch = probeTorch();
    return 'version' in torch
      ? new TorchRunner(name === 'pytorch-1t' ? 1 : 2, torch.version, torch.blas)
      : torch.reason;
  }
  return `unknown library ${name}`;
}

const setups = new Map<string, Promise<WorkloadSetup>>();

function setup(id: 'W1' | 'W2' | 'W3'): Promise<WorkloadSetup> {
  let found = setups.get(id);
  if (!found) {
    found = (async (): Promise<WorkloadSetup> => {
      if (id === 'W1')
        return { workload: W1, weights: initialWeights(W1), data: xorData(), fullEpochs: 5000 };
      if (id === 'W2') {
        const { train, test } = await mnistData();
        return { workload: W2, weights: initialWeights(W2), data: train, test, fullEpochs: 3 };
      }
      return {
        workload: W3,
        weights: initialWeights(W3),
        data: wideData(W3.batchSize * options.w3StepsPerEpoch),
        fullEpochs: options.quick ? 1 : 2,
      };
    })();
    setups.set(id, found);
  }
  return found;
}

const runner = makeRunner(options.runner);

/** Whether this worker has trained anything yet: its cold run must be the first thing it trains. */
let trained = false;

parentPort!.on('message', async (request: WorkerRequest) => {
  const reply = (message: WorkerReply): void => parentPort!.postMessage(message);
  if (typeof runner === 'string') return reply({ type: 'unavailable', reason: runner });
  try {
    if (request.type === 'describe') {
      const notes: Record<string, string | null> = {};
      for (const w of [W1, W2, W3]) notes[w.id] = runner.notes(w);
      return reply({
        type: 'describe',
        name: runner.name,
        fast: runner.fast,
        perSample: !!runner.perSample,
        workloads: [...(runner.workloads ?? ['W1', 'W2', 'W3'])],
        notes,
      });
    }
    const s = await setup(request.workload);
    if (request.type === 'cold') {
      // The JIT-cold run: the first thing this fresh worker trains, the same amount of work for every library
      // (W1: the full 5,000 epochs), before any calibration or warm-up.
      if (trained) throw new Error(`${runner.name}: a cold run must be the first run of a fresh worker`);
      trained = true;
      const plan = scaledPlan(s, coldFraction(s.workload), runner.perSample);
      return reply({ type: 'cold', result: await runner.run({ ...plan, test: undefined }) });
    }
    trained = true;
    if (request.type === 'calibrate') {
      return reply({ type: 'calibrate', fraction: await calibrate(runner, s, request.seconds) });
    }
    if (request.type === 'warmup') {
      // Repeats the timed plan until `seconds` have passed, so the JIT has settled before anything is kept.
      const plan = { ...scaledPlan(s, request.fraction, runner.perSample), test: undefined };
      const t0 = performance.now();
      let runs = 0;
      do {
        await runner.run(plan);
        runs++;
      } while (performance.now() - t0 < request.seconds * 1000);
      return reply({ type: 'warmup', runs });
    }
    const plan = scaledPlan(s, request.fraction, runner.perSample);
    const result = await runner.run({ ...plan, test: request.withTest ? plan.test : undefined });
    return reply({ type: 'run', result });
  } catch (error) {
    return reply({ type: 'error', message: (error as Error).stack ?? String(error) });
  }
});
