// The tfjs bundle (core, cpu backend, and the gradients that tfjs-core alone does not register in Node).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Data } from '../workloads.js';
import { accuracy, stopwatch } from './runner.js';
import type { RunPlan, RunResult, Runner } from './runner.js';

let silenced = false;

/** Hides tfjs-core's one-time "install tfjs-node" advice, which would break up the bench's output. */
function silenceTfjsAdvice(): void {
  if (silenced) return;
  silenced = true;
  tf.env().set('PROD', true);
  // One thread, as the issue measures: never use the threaded wasm build.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

/** The batches of one epoch (in order, no shuffling) as tfjs tensors, made before the clock starts. */
function batches(d: Data, batchSize: number): { x: tf.Tensor2D; y: tf.Tensor2D }[] {
  const out: { x: tf.Tensor2D; y: tf.Tensor2D }[] = [];
  for (let start = 0; start < d.rows; start += batchSize) {
    const rows = Math.min(batchSize, d.rows - start);
    out.push({
      x: tf.tensor2d(d.inputs.subarray(start * d.features, (start + rows) * d.features), [rows, d.features]),
      y: tf.tensor2d(d.targets.subarray(start * d.outputs, (start + rows) * d.outputs), [rows, d.outputs]),
    });
  }
  return out;
}

/**
 * TensorFlow.js 4.22 (the tfjs bundle on its cpu backend, or with tfjs-backend-wasm), the model written as variables and a loss that
 * `optimizer.minimize` differentiates: the fastest way tfjs trains (no Layers API overhead).
 */
export class TfjsRunner implements Runner {
  readonly fast = false;
  constructor(
    readonly name: string,
    private readonly backend: 'cpu' | 'wasm',
  ) {}

  notes(): string | null {
    return this.backend === 'wasm'
      ? `tfjs-wasm: its SIMD build (Node 20 has SIMD), 1 thread; batches in a fixed order.`
      : 'tfjs-cpu: batches in a fixed order (deltaflow shuffles every epoch).';
  }

  async run(plan: RunPlan): Promise<RunResult> {
    silenceTfjsAdvice();
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      await tf.setBackend(this.backend);
    } finally {
      console.warn = warn;
    }
    await tf.ready();
    const w = plan.workload;
    const layers = plan.weights.weights.map((weights, i) => ({
      w: tf.variable(tf.tensor2d(weights, [w.sizes[i]!, w.sizes[i + 1]!])),
      b: tf.variable(tf.tensor1d(plan.weights.biases[i]!)),
    }));
    const last = layers.length - 1;
    const act = (x: tf.Tensor, i: number): tf.Tensor =>
      i === last
        ? w.output === 'sigmoid'
          ? tf.sigmoid(x)
          : x // softmax is fused into the loss
        : w.hidden === 'sigmoid'
          ? tf.sigmoid(x)
          : tf.relu(x);
    const forward = (x: tf.Tensor): tf.Tensor =>
      layers.reduce((h, l, i) => act(tf.add(tf.matMul(h, l.w), l.b), i), x);
    const lossOf = (x: tf.Tensor, y: tf.Tensor): tf.Scalar =>
      w.loss === 'mse'
        ? // deltaflow's mse: mean over the batch of 1/2 sum_k (O_k - t_k)^2
          tf.div(tf.mul(0.5, tf.sum(tf.squaredDifference(forward(x), y))), x.shape[0]!)
        : (tf.losses.softmaxCrossEntropy(y, forward(x)) as tf.Scalar);
    const optimizer = tf.train.sgd(w.lr);
    const data = batches(plan.data, w.batchSize);
    let loss = NaN;
    const stop = stopwatch();
    for (let e = 0; e < plan.epochs; e++) {
      for (let b = 0; b < data.length; b++) {
        const { x, y } = data[b]!;
        const wantLoss = e === plan.epochs - 1 && b === data.length - 1;
        const cost = optimizer.minimize(() => lossOf(x, y), wantLoss);
        if (cost) {
          loss = cost.dataSync()[0]!;
          cost.dispose();
        }
      }
    }
    // Make sure the last update has been computed before the clock stops.
    layers[0]!.w.dataSync();
    const result: RunResult = {
      ...stop(),
      samples: plan.epochs * plan.data.rows,
      iterations: w.id === 'W3' ? plan.epochs * data.length : plan.epochs,
      loss,
    };
    if (plan.test) {
      const test = plan.test;
      const out = tf.tidy(() => forward(tf.tensor2d(test.inputs, [test.rows, test.features])));
      result.accuracy = accuracy(out.dataSync(), test.targets, test.rows, test.outputs);
      out.dispose();
    }
    optimizer.dispose();
    for (const l of layers) {
      l.w.dispose();
      l.b.dispose();
    }
    for (const { x, y } of data) {
      x.dispose();
      y.dispose();
    }
    return result;
  }
}
