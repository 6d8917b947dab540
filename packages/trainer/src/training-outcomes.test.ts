import { xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, EpochEvent, TrainingEvent } from './events.js';
import { train } from './train.js';

const run = (events$: ReturnType<typeof train>) => lastValueFrom(events$.pipe(toArray()));
const endOf = (events: TrainingEvent[]) => events.at(-1) as EndEvent;

describe('divergence', () => {
  it('lr 1e6 ends diverged with finite weights and a hint', async () => {
    const data = {
      inputs: Tensor.fromNested([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]),
      targets: Tensor.fromNested([[10], [20], [30], [40]]),
      task: 'regression' as const,
    };
    const model = mlp({
      inputs: 2,
      layers: [
        { units: 8, activation: 'relu' },
        { units: 1, activation: 'linear' },
      ],
      seed: 1,
    });
    const events = await run(train(model, data, { epochs: 1000, batchSize: 4, lr: 1e6 }));
    const end = endOf(events);
    expect(end.reason).toBe('diverged');
    expect(end.hint).toMatch(/learning rate/);
    expect(end.epochs).toBeLessThan(1000);
    const weights = end.model.layers.flatMap((l) =>
      l.type === 'dense' ? [...l.weights.flat(), ...l.bias] : [],
    );
    expect(weights.every(Number.isFinite)).toBe(true);
    for (const p of model.parameters()) expect(Array.from(p.value.data).every(Number.isFinite)).toBe(true);
    expect(
      events.filter((e) => e.type === 'epoch').every((e) => Number.isFinite((e as EpochEvent).loss)),
    ).toBe(true);
  });
});

describe('divergence puts back the weights of the start of the diverging epoch', () => {
  for (const batchSize of [4, 2]) {
    it(`the end model is the last checkpoint's (batches of ${batchSize})`, async () => {
      const data = {
        inputs: Tensor.fromNested([
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ]),
        targets: Tensor.fromNested([[10], [20], [30], [40]]),
        task: 'regression' as const,
      };
      const model = mlp({
        inputs: 2,
        layers: [
          { units: 8, activation: 'linear' },
          { units: 1, activation: 'linear' },
        ],
        seed: 1,
      });
      const events = await run(train(model, data, { epochs: 1000, batchSize, lr: 0.01, checkpointEvery: 1 }));
      const end = endOf(events);
      expect(end.reason).toBe('diverged');
      const checkpoints = events.filter((e) => e.type === 'checkpoint');
      // a checkpoint for every epoch before the diverging one (whose weights, or loss, were not finite)
      expect(checkpoints.length).toBeGreaterThan(0);
      expect(end.epochs - checkpoints.length).toBeLessThanOrEqual(1);
      // the weights after the last complete epoch (its checkpoint) are what the run ends with
      expect(end.model.layers).toEqual(checkpoints.at(-1)!.model.layers);
    });
  }
});

describe('early stopping', () => {
  it('stops after `patience` epochs without improvement and restores the best validation weights', async () => {
    // Noisy targets and a big network overfit: validation loss turns up while training loss falls.
    const n = 40;
    const x = Tensor.zeros([n, 1]);
    const t = Tensor.zeros([n, 1]);
    for (let i = 0; i < n; i++) {
      x.data[i] = i / n;
      t.data[i] = Math.sin(6 * x.data[i]!) * 0.4 + 0.5 + (i % 3 === 0 ? 0.3 : -0.2);
    }
    const model = mlp({
      inputs: 1,
      layers: [
        { units: 32, activation: 'tanh' },
        { units: 1, activation: 'linear' },
      ],
      seed: 3,
    });
    const events = await run(
      train(
        model,
        { inputs: x, targets: t, task: 'regression' },
        {
          epochs: 3000,
          batchSize: 8,
          optimizer: 'adam',
          lr: 0.02,
          validationSplit: 0.3,
          seed: 5,
          earlyStopping: { patience: 20, restoreBest: true },
        },
      ),
    );
    const end = endOf(events);
    expect(end.reason).toBe('early-stopped');
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
    const best = epochs.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    expect(end.epochs).toBe(best.epoch + 20);
    // The returned weights are the best epoch's: re-measure the validation loss with them.
    const checkpoints = await run(
      train(
        mlp({
          inputs: 1,
          layers: [
            { units: 32, activation: 'tanh' },
            { units: 1, activation: 'linear' },
          ],
          seed: 3,
        }),
        { inputs: x, targets: t, task: 'regression' },
        { epochs: best.epoch, batchSize: 8, optimizer: 'adam', lr: 0.02, validationSplit: 0.3, seed: 5 },
      ),
    );
    expect(endOf(checkpoints).model.layers).toEqual(end.model.layers);
  });
});

describe('checkpoints and outputs', () => {
  it('emits a checkpoint with the model every N epochs, and output samples when asked', async () => {
    const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
    const events = await run(
      train(model, xor(), { epochs: 6, batchSize: 4, checkpointEvery: 3, outputSample: 2 }),
    );
    const checkpoints = events.filter((e) => e.type === 'checkpoint');
    expect(checkpoints.map((e) => (e as { epoch: number }).epoch)).toEqual([3, 6]);
    const forward = events.find((e) => e.type === 'forward');
    expect(forward).toMatchObject({ outputs: { outputs: expect.any(Array), targets: expect.any(Array) } });
    if (forward?.type === 'forward') expect(forward.outputs!.outputs).toHaveLength(2);
  });
});
