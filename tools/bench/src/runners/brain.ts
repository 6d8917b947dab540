import { createRequire } from 'node:module';
import type { Data, Workload } from '../workloads.js';
import { accuracy, stopwatch } from './runner.js';
import type { RunPlan, RunResult, Runner } from './runner.js';

/** The part of brain.js's NeuralNetwork the bench uses. */
interface BrainNet {
  initialize(): void;
  weights: Float32Array[][];
  biases: Float32Array[];
  train(
    data: { input: Float32Array; output: Float32Array }[],
    options: Record<string, unknown>,
  ): { error: number; iterations: number };
  run(input: Float32Array): ArrayLike<number>;
}
type BrainModule = { NeuralNetwork: new (options: Record<string, unknown>) => BrainNet };

/** Loads brain.js, or says why it cannot be loaded. */
export function loadBrain(): { brain: BrainModule | null; version: string; error: string | null } {
  const require = createRequire(import.meta.url);
  try {
    const brain = require('brain.js') as BrainModule;
    const version = (require('brain.js/package.json') as { version: string }).version;
    return { brain, version, error: null };
  } catch (error) {
    return { brain: null, version: '', error: (error as Error).message.split('\n')[0]! };
  }
}

function samples(d: Data): { input: Float32Array; output: Float32Array }[] {
  return Array.from({ length: d.rows }, (_, r) => ({
    input: d.inputs.subarray(r * d.features, (r + 1) * d.features),
    output: d.targets.subarray(r * d.outputs, (r + 1) * d.outputs),
  }));
}

/**
 * brain.js 2.0 beta's NeuralNetwork (CPU). It updates the weights after every sample (no batches) and uses one
 * activation for every layer, so W3 runs relu throughout with its mse, not softmax + cross-entropy.
 */
export class BrainRunner implements Runner {
  readonly name = 'brain.js';
  readonly fast = false;
  readonly perSample = true;
  constructor(
    private readonly brain: BrainModule,
    /** The installed version, printed in the notes. */
    readonly version: string,
  ) {}

  notes(w: Workload): string | null {
    const base = `brain.js ${this.version}: per-sample updates (its NeuralNetwork has no batches)`;
    return w.id === 'W3' ? `${base}; relu on every layer and mse (no softmax/cross-entropy).` : `${base}.`;
  }

  async run(plan: RunPlan): Promise<RunResult> {
    const w = plan.workload;
    const net = new this.brain.NeuralNetwork({
      inputSize: w.sizes[0],
      hiddenLayers: w.sizes.slice(1, -1),
      outputSize: w.sizes[w.sizes.length - 1],
      activation: w.hidden,
    });
    net.initialize();
    // brain.js keeps weights[layer][node j][input i] = W_ij and biases[layer][j].
    plan.weights.weights.forEach((weights, l) => {
      const inputs = w.sizes[l]!;
      const units = w.sizes[l + 1]!;
      for (let j = 0; j < units; j++)
        for (let i = 0; i < inputs; i++) net.weights[l + 1]![j]![i] = weights[i * units + j]!;
      net.biases[l + 1]!.set(plan.weights.biases[l]!);
    });
    const data = samples(plan.data);
    const stop = stopwatch();
    const status = net.train(data, {
      iterations: plan.epochs,
      learningRate: w.lr,
      momentum: 1e-9, // brain.js refuses 0 (plain sgd); this is as good as none
      errorThresh: 1e-12, // brain.js refuses 0; this never stops a run early
      log: false,
    });
    const result: RunResult = {
      ...stop(),
      samples: plan.epochs * plan.data.rows,
      iterations: w.id === 'W3' ? plan.epochs * plan.data.rows : plan.epochs,
      loss: status.error,
    };
    if (plan.test) {
      const test = plan.test;
      const out = new Float32Array(test.rows * test.outputs);
      for (let r = 0; r < test.rows; r++)
        out.set(net.run(test.inputs.subarray(r * test.features, (r + 1) * test.features)), r * test.outputs);
      result.accuracy = accuracy(out, test.targets, test.rows, test.outputs);
    }
    return result;
  }
}
