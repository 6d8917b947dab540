/**
 * The trainer learns: XOR, the two-spiral problem, iris and mnist, each with a documented seed. These are the
 * slowest tests of the package (mnist trains a 784-128-10 network for 3 epochs on 8,000 digits).
 */
import { iris, loadMnist, Scaler, spiral, splitDataset, xor } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, EpochEvent, TrainingEvent } from './events.js';
import type { TrainOptions } from './options.js';
import { train } from './train.js';
import type { Sequential } from '@deltaflow/network';

async function fit(model: Sequential, data: Dataset, options: TrainOptions) {
  const events: TrainingEvent[] = await lastValueFrom(train(model, data, options).pipe(toArray()));
  const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
  return { last: epochs.at(-1)!, end: events.at(-1) as EndEvent, epochs };
}

function standardize(train: Dataset, ...others: Dataset[]): void {
  const scaler = Scaler.fit('standard', train.inputs);
  for (const ds of [train, ...others]) scaler.transform(ds.inputs, ds.inputs);
}

describe('learning', () => {
  it('XOR: 2-4-1 sigmoid, mse, sgd lr 0.5, batch 4, seed 42 reaches loss < 0.01', async () => {
    const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
    const { last } = await fit(model, xor(), { epochs: 5000, batchSize: 4, lr: 0.5, seed: 42 });
    expect(last.loss).toBeLessThan(0.01);
    expect(last.metrics.accuracy).toBe(1);
  });

  it('spiral: tanh 8-8, adam, seed 1 reaches above 95 % training accuracy', async () => {
    const data = spiral({ points: 400, noise: 0, seed: 1 });
    standardize(data);
    const model = mlp({
      inputs: 2,
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 8, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 1,
    });
    const { last } = await fit(model, data, {
      epochs: 1500,
      batchSize: 16,
      optimizer: 'adam',
      lr: 0.01,
      loss: 'binary-cross-entropy',
      seed: 1,
    });
    expect(last.metrics.accuracy).toBeGreaterThan(0.95);
  });

  it('iris: 4-8-3 softmax, cross-entropy, adam, seed 7 reaches above 95 % validation accuracy', async () => {
    const { train: part, validation } = splitDataset(iris(), { validation: 0.2, seed: 7 });
    standardize(part, validation);
    const model = mlp({
      inputs: 4,
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 3, activation: 'softmax' },
      ],
      seed: 7,
    });
    const { last } = await fit(model, part, {
      epochs: 300,
      batchSize: 16,
      optimizer: 'adam',
      lr: 0.01,
      loss: 'cross-entropy',
      validation,
      seed: 7,
    });
    expect(last.metrics.valAccuracy).toBeGreaterThan(0.95);
  });

  it('mnist: 784-128-10 reaches above 90 % on 2,000 held-out digits within 3 epochs (seed 3)', async () => {
    const digits = await loadMnist();
    const { train: part, validation } = splitDataset(digits, { validation: 0.2, seed: 3 });
    expect(part.inputs.rows).toBe(8000);
    expect(validation.inputs.rows).toBe(2000);
    const model = mlp({
      inputs: 784,
      layers: [
        { units: 128, activation: 'relu', weightInit: 'he-uniform' },
        { units: 10, activation: 'softmax' },
      ],
      seed: 3,
    });
    const { epochs } = await fit(model, part, {
      epochs: 3,
      batchSize: 32,
      optimizer: 'adam',
      lr: 0.001,
      loss: 'cross-entropy',
      validation,
      seed: 3,
    });
    expect(epochs).toHaveLength(3);
    expect(epochs.at(-1)!.metrics.valAccuracy).toBeGreaterThan(0.9);
  }, 120_000);
});
