import { readFileSync } from 'node:fs';
import type { Data, InitialWeights, Workload } from '../workloads.js';

/** What one timed run of a workload gives. */
export interface RunResult {
  /** Seconds of training timed (wall clock). */
  seconds: number;
  /**
   * CPU seconds used meanwhile: the timing thread's own (see {@link threadCpuSeconds}) where Linux says it, else
   * the process's (user + system); PyTorch, a separate process, and deltaflow's 2-thread backend (a helper
   * thread), the whole process's. What a busy machine does not inflate.
   */
  cpuSeconds: number;
  /** Samples trained on (epochs x rows). */
  samples: number;
  /** Epochs (W1) or steps (W3) run. */
  iterations: number;
  /** The training loss at the end, to show every library did the same work. */
  loss: number;
  /** Test accuracy after training (W2), if measured. */
  accuracy?: number;
}

/** How much work one run does. */
export interface RunPlan {
  workload: Workload;
  weights: InitialWeights;
  data: Data;
  /** Full passes over `data`. */
  epochs: number;
  /** Held-out data to measure accuracy on after training. */
  test?: Data;
}

/** A library the bench measures. */
export interface Runner {
  /** Column name, e.g. `'tfjs-wasm'`. */
  readonly name: string;
  /** How this library deviates from the workload as specified (printed under the table), if it does. */
  notes(workload: Workload): string | null;
  /** Whether it is fast enough to get the full workload (else it gets a smaller budget). */
  readonly fast: boolean;
  /** Whether it trains sample by sample (brain.js), so its smallest unit of work is one sample. */
  readonly perSample?: boolean;
  /** The workloads it trains, when not all three (PyTorch: W2 and W3). */
  readonly workloads?: readonly ('W1' | 'W2' | 'W3')[];
  run(plan: RunPlan): Promise<RunResult>;
}

/** What {@link threadCpuSeconds} sleeps on. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The CPU seconds the calling thread has run (Linux: the first field of /proc/thread-self/schedstat, in
 * nanoseconds), or null where that file is missing. Not the process's: the other workers' threads, and V8's
 * compiler and GC helper threads, are not counted. The kernel adds a running thread's time at its scheduler tick
 * (every 4 ms here) or when the thread stops running, so the thread first sleeps 1 ms (not timed: the stopwatch
 * reads the wall clock inside these reads).
 */
export function threadCpuSeconds(): number | null {
  try {
    Atomics.wait(pause, 0, 0, 1);
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ', 1)[0]);
    return Number.isFinite(ns) ? ns / 1e9 : null;
  } catch {
    return null;
  }
}

/**
 * A stopwatch reading wall time and CPU time together: the calling thread's CPU time (see
 * {@link threadCpuSeconds}), or the process's (`process.cpuUsage`) where the thread's is not known or where the
 * library works on more threads than the caller's (`clock: 'process'`: deltaflow's 2-thread backend, whose helper
 * thread's work the caller's clock would miss).
 */
export function stopwatch(
  clock: 'thread' | 'process' = 'thread',
): () => { seconds: number; cpuSeconds: number } {
  const thread0 = clock === 'thread' ? threadCpuSeconds() : null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const thread = thread0 === null ? null : threadCpuSeconds();
    return { seconds, cpuSeconds: thread !== null ? thread - thread0! : (cpu.user + cpu.system) / 1e6 };
  };
}

/** The accuracy of predictions `[rows, k]` (argmax) against one-hot `targets`. */
export function accuracy(
  outputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  rows: number,
  k: number,
): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestT = 0;
    for (let j = 1; j < k; j++) {
      if (outputs[r * k + j]! > outputs[r * k + best]!) best = j;
      if (targets[r * k + j]! > targets[r * k + bestT]!) bestT = j;
    }
    if (best === bestT) correct++;
  }
  return correct / rows;
}
