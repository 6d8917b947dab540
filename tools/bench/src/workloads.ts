import { loadMnist, splitDataset, xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { Random, Tensor } from '@deltaflow/tensor';
import type { Tensor2D } from '@deltaflow/tensor';

/** The seed every library's initial weights, data split and synthetic data come from. */
export const SEED = 42;

/** One of the three workloads. */
export interface Workload {
  id: 'W1' | 'W2' | 'W3';
  title: string;
  /** Layer sizes, inputs first. */
  sizes: readonly number[];
  hidden: 'sigmoid' | 'relu';
  output: 'sigmoid' | 'softmax';
  loss: 'mse' | 'cross-entropy';
  lr: number;
  batchSize: number;
  unit: 'us/epoch' | 'samples/s' | 'GFLOP/s';
  /** Whether a bigger number is better (throughputs) or worse (times). */
  higherIsBetter: boolean;
  /** The goal for deltaflow, in `unit`. */
  goal: number;
}

export const W1: Workload = {
  id: 'W1',
  title: 'XOR 2-4-1 sigmoid, mse, sgd 0.5, full batch',
  sizes: [2, 4, 1],
  hidden: 'sigmoid',
  output: 'sigmoid',
  loss: 'mse',
  lr: 0.5,
  batchSize: 4,
  unit: 'us/epoch',
  higherIsBetter: false,
  goal: 2,
};

export const W2: Workload = {
  id: 'W2',
  title: 'MNIST 784-128-10 sigmoid/sigmoid, mse, sgd 0.5, batch 32, 8,000 digits',
  sizes: [784, 128, 10],
  hidden: 'sigmoid',
  output: 'sigmoid',
  loss: 'mse',
  lr: 0.5,
  batchSize: 32,
  unit: 'samples/s',
  higherIsBetter: true,
  goal: 30_000,
};

export const W3: Workload = {
  id: 'W3',
  title: '1024-1024-1024-10 relu, softmax + cross-entropy, sgd 0.01, batch 128',
  sizes: [1024, 1024, 1024, 10],
  hidden: 'relu',
  output: 'softmax',
  loss: 'cross-entropy',
  lr: 0.01,
  batchSize: 128,
  unit: 'GFLOP/s',
  higherIsBetter: true,
  goal: 25,
};

/** Floating-point operations of one training sample, as the issue counts them: 6 * sum(in * out). */
export function flopsPerSample(w: Workload): number {
  let s = 0;
  for (let i = 1; i < w.sizes.length; i++) s += w.sizes[i - 1]! * w.sizes[i]!;
  return 6 * s;
}

/** Float32 inputs `[n, features]` and targets `[n, outputs]` as flat arrays, the form every library gets. */
export interface Data {
  inputs: Float32Array;
  targets: Float32Array;
  rows: number;
  features: number;
  outputs: number;
}

/** Weights `[in, out]` (row-major, W_ij at i * out + j) and biases of every layer. */
export interface InitialWeights {
  weights: Float32Array[];
  biases: Float32Array[];
}

function toData(inputs: Tensor, targets: Tensor): Data {
  return {
    inputs: Float32Array.from(inputs.data),
    targets: Float32Array.from(targets.data),
    rows: inputs.rows,
    features: inputs.cols,
    outputs: targets.cols,
  };
}

/** The deltaflow model of a workload, with the seeded initial weights every library starts from. */
export function deltaflowModel(w: Workload): Sequential {
  const layers = w.sizes.slice(1).map((units, i) => ({
    units,
    activation: i === w.sizes.length - 2 ? w.output : w.hidden,
  }));
  return mlp({ inputs: w.sizes[0]!, layers, seed: SEED });
}

/** The initial weights of a workload (glorot-uniform by deltaflow's seeded generator, zero biases). */
export function initialWeights(w: Workload): InitialWeights {
  const model = deltaflowModel(w);
  return {
    weights: model.layers.map((l) => Float32Array.from(l.weights.data)),
    biases: model.layers.map((l) => Float32Array.from(l.bias.data)),
  };
}

/** The four XOR points. */
export function xorData(): Data {
  const ds = xor();
  return toData(ds.inputs, ds.targets);
}

/** The `mnist` package's 10,000 digits, split 8,000 / 2,000 by a seeded shuffle. */
export async function mnistData(): Promise<{ train: Data; test: Data }> {
  const ds = await loadMnist();
  const { train, validation } = splitDataset(ds, { validation: 0.2, seed: SEED });
  return { train: toData(train.inputs, train.targets), test: toData(validation.inputs, validation.targets) };
}

/** `rows` synthetic samples for W3: uniform [0, 1) inputs and one-hot targets of a seeded random class. */
export function wideData(rows: number): Data {
  const rng = new Random(SEED);
  const inputs = new Float32Array(rows * 1024);
  for (let i = 0; i < inputs.length; i++) inputs[i] = rng.uniform();
  const targets = new Float32Array(rows * 10);
  for (let r = 0; r < rows; r++) targets[r * 10 + rng.int(10)] = 1;
  return { inputs, targets, rows, features: 1024, outputs: 10 };
}

/** A data set as deltaflow tensors. */
export function asTensors(d: Data): { inputs: Tensor2D; targets: Tensor2D } {
  return {
    inputs: new Tensor<2>(d.inputs, [d.rows, d.features]),
    targets: new Tensor<2>(d.targets, [d.rows, d.outputs]),
  };
}

/** The first `rows` samples of `d` (views, no copy). */
export function head(d: Data, rows: number): Data {
  const n = Math.min(rows, d.rows);
  return {
    ...d,
    rows: n,
    inputs: d.inputs.subarray(0, n * d.features),
    targets: d.targets.subarray(0, n * d.outputs),
  };
}
