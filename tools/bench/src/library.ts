import { Worker } from 'node:worker_threads';
import type { RunResult } from './runners/runner.js';
import type { WorkerOptions, WorkerReply, WorkerRequest } from './worker.js';

/** A library under test, running in its own worker thread; the main thread's handle on it. */
export class Library {
  name = '';
  fast = false;
  perSample = false;
  /** The workloads it trains (PyTorch: W2 and W3). */
  workloads: string[] = ['W1', 'W2', 'W3'];
  notes: Record<string, string | null> = {};
  unavailable: string | null = null;
  private readonly worker: Worker;
  private pending: ((reply: WorkerReply) => void) | null = null;

  private constructor(options: WorkerOptions) {
    this.name = options.runner;
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: options });
    this.worker.on('message', (reply: WorkerReply) => {
      const resolve = this.pending;
      this.pending = null;
      resolve?.(reply);
    });
    this.worker.on('error', (error) => {
      const resolve = this.pending;
      this.pending = null;
      resolve?.({ type: 'error', message: error.stack ?? String(error) });
    });
  }

  /** Starts the worker and asks what it is (name, notes), or why it cannot run. */
  static async start(options: WorkerOptions): Promise<Library> {
    const library = new Library(options);
    const reply = await library.ask({ type: 'describe' });
    if (reply.type === 'describe') {
      library.name = reply.name;
      library.fast = reply.fast;
      library.perSample = reply.perSample;
      library.workloads = reply.workloads;
      library.notes = reply.notes;
    } else {
      library.unavailable =
        reply.type === 'unavailable' ? reply.reason : reply.type === 'error' ? reply.message : '?';
      await library.stop();
    }
    return library;
  }

  private ask(request: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage(request);
    });
  }

  /**
   * The JIT-cold run: the first thing the fresh worker trains (refused after any other run), the same amount of
   * work for every library (see `coldFraction`). The bench runs it with no other worker alive.
   */
  async cold(workload: 'W1' | 'W2' | 'W3'): Promise<RunResult> {
    const reply = await this.ask({ type: 'cold', workload });
    if (reply.type !== 'cold')
      throw new Error(`${this.name}: ${reply.type === 'error' ? reply.message : reply.type}`);
    return reply.result;
  }

  /** Warm-up run; returns the fraction of the full workload that takes about `seconds`. */
  async calibrate(workload: 'W1' | 'W2' | 'W3', seconds: number): Promise<number> {
    const reply = await this.ask({ type: 'calibrate', workload, seconds });
    if (reply.type !== 'calibrate')
      throw new Error(`${this.name}: ${reply.type === 'error' ? reply.message : reply.type}`);
    return reply.fraction;
  }

  /** Runs the plan repeatedly for at least `seconds` (JIT warm-up); returns how many runs it took. */
  async warmup(workload: 'W1' | 'W2' | 'W3', fraction: number, seconds: number): Promise<number> {
    const reply = await this.ask({ type: 'warmup', workload, fraction, seconds });
    if (reply.type !== 'warmup')
      throw new Error(`${this.name}: ${reply.type === 'error' ? reply.message : reply.type}`);
    return reply.runs;
  }

  /** One timed run of `fraction` of the workload (with a test-set accuracy when asked). */
  async run(workload: 'W1' | 'W2' | 'W3', fraction: number, withTest: boolean): Promise<RunResult> {
    const reply = await this.ask({ type: 'run', workload, fraction, withTest });
    if (reply.type !== 'run')
      throw new Error(`${this.name}: ${reply.type === 'error' ? reply.message : reply.type}`);
    return reply.result;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
