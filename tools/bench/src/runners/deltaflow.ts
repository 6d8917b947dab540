import { argmaxRows, setBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { train } from '@deltaflow/trainer';
import type { TrainingEvent } from '@deltaflow/trainer';
import type { Sequential } from '@deltaflow/network';
import { asTensors, deltaflowModel } from '../workloads.js';
import type { Data, Workload } from '../workloads.js';
import { stopwatch } from './runner.js';
import type { RunPlan, RunResult, Runner } from './runner.js';

/** Copies the plan's initial weights into a fresh model of the workload. */
function modelFor(plan: RunPlan): Sequential {
  const model = deltaflowModel(plan.workload);
  model.layers.forEach((layer, i) => {
    layer.weights.data.set(plan.weights.weights[i]!);
    layer.bias.data.set(plan.weights.biases[i]!);
  });
  return model;
}

/** The training options of a workload, as the CLI would pass them. */
export function trainOptions(w: Workload, epochs: number, rows: number) {
  return {
    epochs,
    lr: w.lr,
    batchSize: Math.min(w.batchSize, rows),
    loss: w.loss,
    optimizer: 'sgd',
    // W1 is full batch (order is irrelevant); the others shuffle every epoch, as users train.
    shuffle: w.id !== 'W1',
    seed: 42,
  } as const;
}

/**
 * Runs `train()` to the end with an idle subscriber (events on, nobody doing anything with them) and resolves
 * with the wall and CPU time from subscribing to the last epoch event, and that epoch's loss. (The end event
 * that follows carries the model file, 2.1 million weights as JSON arrays for W3: a one-off cost of the run,
 * not of training, left out of every throughput.)
 */
export function runTrain(
  model: Sequential,
  data: Data,
  options: ReturnType<typeof trainOptions>,
  clock: 'thread' | 'process' = 'thread',
): Promise<{ seconds: number; cpuSeconds: number; loss: number }> {
  return new Promise((resolve, reject) => {
    let loss = NaN;
    let times = { seconds: NaN, cpuSeconds: NaN };
    const stop = stopwatch(clock);
    train(model, asTensors(data), options).subscribe({
      next: (e: TrainingEvent) => {
        if (e.type === 'epoch') {
          loss = e.loss;
          if (e.epoch === options.epochs) times = stop();
        }
      },
      error: reject,
      complete: () => resolve({ ...times, loss }),
    });
  });
}

function testAccuracy(model: Sequential, test: Data): number {
  const { inputs, targets } = asTensors(test);
  const out = model.forward(inputs);
  const predicted = argmaxRows(out);
  const truth = argmaxRows(targets);
  let correct = 0;
  for (let i = 0; i < test.rows; i++) if (predicted[i] === truth[i]) correct++;
  return correct / test.rows;
}

/** deltaflow's `train()` on one backend (events on, an idle subscriber). */
export class DeltaflowRunner implements Runner {
  constructor(
    readonly name: string,
    private readonly backend: () => Backend,
    /** Whether it gets the full amount of work in a full run. */
    readonly fast: boolean,
  ) {}

  notes(): string | null {
    return null;
  }

  async run(plan: RunPlan): Promise<RunResult> {
    const previous = setBackend(this.backend());
    try {
      const model = modelFor(plan);
      const options = trainOptions(plan.workload, plan.epochs, plan.data.rows);
      // the 2-thread backend's helper thread works too: its CPU time counts (the process's clock)
      const clock = this.name.endsWith('-2t') ? 'process' : 'thread';
      const { seconds, cpuSeconds, loss } = await runTrain(model, plan.data, options, clock);
      const result: RunResult = {
        seconds,
        cpuSeconds,
        samples: plan.epochs * plan.data.rows,
        iterations:
          plan.workload.id === 'W3'
            ? plan.epochs * Math.ceil(plan.data.rows / options.batchSize)
            : plan.epochs,
        loss,
      };
      if (plan.test) result.accuracy = testAccuracy(model, plan.test);
      return result;
    } finally {
      setBackend(previous);
    }
  }
}
