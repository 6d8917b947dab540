import type { RunPlan, RunResult, Runner } from './runners/runner.js';
import { flopsPerSample, head } from './workloads.js';
import type { Data, InitialWeights, Workload } from './workloads.js';

/** What a workload runs on: its training data (and test data), the full amount of work, the initial weights. */
export interface WorkloadSetup {
  workload: Workload;
  weights: InitialWeights;
  data: Data;
  test?: Data;
  /** The full amount: epochs over `data` (W1: 5,000; W2: 3 on 8,000 digits; W3: see main). */
  fullEpochs: number;
}

/** Which clock a value is computed from: wall time, or the process's CPU time (robust to a busy machine). */
export type Clock = 'wall' | 'cpu';

const secondsOf = (r: RunResult, clock: Clock): number => (clock === 'wall' ? r.seconds : r.cpuSeconds);

/** The quantity a result is judged by, in the workload's unit. */
export function valueOf(w: Workload, r: RunResult, clock: Clock): number {
  const s = secondsOf(r, clock);
  if (w.unit === 'us/epoch') return (s * 1e6) / r.iterations;
  if (w.unit === 'samples/s') return r.samples / s;
  return gflops(w, r, clock);
}

/** GFLOP/s as the issue counts them (6 * B * sum(in * out) per step, i.e. per sample 6 * sum(in * out)). */
export function gflops(w: Workload, r: RunResult, clock: Clock): number {
  return (flopsPerSample(w) * r.samples) / secondsOf(r, clock) / 1e9;
}

/**
 * A plan doing about `fraction` of the full amount of work (at least one batch, at most the full amount):
 * W1 scales its epochs, W2 and W3 the samples of one epoch (or the epochs once every sample is used).
 */
export function scaledPlan(setup: WorkloadSetup, fraction: number, perSample = false): RunPlan {
  const { workload: w, data, weights, test } = setup;
  const full = setup.fullEpochs * data.rows;
  const unit = perSample ? 1 : Math.min(w.batchSize, data.rows);
  const wanted = Math.max(Math.min(fraction, 1) * full, perSample ? 4 : unit);
  if (w.id === 'W1' || wanted >= data.rows) {
    const epochs = Math.max(1, Math.round(wanted / data.rows));
    return { workload: w, weights, data, epochs, test };
  }
  // brain.js (per-sample) and the others: whole batches of the first rows.
  const rows = Math.max(unit, Math.round(wanted / unit) * unit);
  return { workload: w, weights, data: head(data, rows), epochs: 1, test };
}

/**
 * The amount of work of the JIT-cold first run, the same for every library: W1 the full 5,000 epochs (a
 * short CLI run); W2 and W3 1% of the full amount (what the slowest library does in a few seconds).
 */
export function coldFraction(w: Workload): number {
  return w.id === 'W1' ? 1 : 0.01;
}

/**
 * Runs a short warm-up (which also lets the JIT settle) and returns the fraction of the full workload that takes
 * about `seconds` with this runner.
 */
export async function calibrate(runner: Runner, setup: WorkloadSetup, seconds: number): Promise<number> {
  const probe = scaledPlan(setup, setup.workload.id === 'W1' ? 0.04 : 0.01, runner.perSample);
  const r = await runner.run({ ...probe, test: undefined });
  const probeFraction = (probe.epochs * probe.data.rows) / (setup.fullEpochs * setup.data.rows);
  return Math.min(1, (probeFraction * seconds) / Math.max(r.cpuSeconds, 1e-6));
}
