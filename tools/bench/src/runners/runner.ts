import type { Data, InitialWeights, Workload } from '../workloads.js';

/** What one timed run of a workload gives. */
export interface RunResult {
  /** Seconds of training timed (wall clock). */
  seconds: number;
  /** CPU seconds the process used meanwhile (user + system): what a busy machine does not inflate. */
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

/** A stopwatch reading wall time and the process's CPU time together. */
export function stopwatch(): () => { seconds: number; cpuSeconds: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
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
