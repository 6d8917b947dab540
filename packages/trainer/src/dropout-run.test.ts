import { getLoss } from '@deltaflow/losses';
import { modelFromJSON } from '@deltaflow/network';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, EpochEvent, TrainingEvent } from './events.js';
import { prepareRun } from './recipe/prepare.js';
import type { RunDescription } from './recipe/description.js';
import { train } from './train.js';

async function run(description: RunDescription) {
  const prepared = await prepareRun(description);
  const events: TrainingEvent[] = await lastValueFrom(
    train(prepared.model, prepared.train, prepared.trainOptions).pipe(toArray()),
  );
  return {
    prepared,
    end: events.at(-1) as EndEvent,
    epochs: events.filter((e): e is EpochEvent => e.type === 'epoch'),
  };
}

const circle: RunDescription = {
  data: { name: 'circle', points: 120, noise: 0.2 },
  layers: [12, 12],
  activation: 'tanh',
  loss: 'binary-cross-entropy',
  optimizer: { name: 'adam', options: { lr: 0.02 } },
  validationSplit: 0.25,
  epochs: 15,
  batchSize: 16,
  seed: 5,
};

describe('training with dropout', () => {
  it('is bit-reproducible for a seed, draws masks (differs from no dropout), and keeps the layers in the model file', async () => {
    const a = await run({ ...circle, dropout: [0.3, 0.1] });
    const b = await run({ ...circle, dropout: [0.3, 0.1] });
    const none = await run(circle);
    expect(a.end.model.layers).toEqual(b.end.model.layers);
    expect(a.epochs.map((e) => e.loss)).toEqual(b.epochs.map((e) => e.loss));
    expect(a.epochs.map((e) => e.loss)).not.toEqual(none.epochs.map((e) => e.loss));
    expect(a.end.model.version).toBe(2);
    expect(a.end.model.layers.filter((l) => l.type === 'dropout')).toEqual([
      { type: 'dropout', rate: 0.3 },
      { type: 'dropout', rate: 0.1 },
    ]);
    expect(a.prepared.model.summary().layers.map((l) => l.dropout)).toEqual([0.3, 0.1, undefined]);
    // another seed, other masks
    const c = await run({ ...circle, dropout: [0.3, 0.1], seed: 6 });
    expect(c.epochs.map((e) => e.loss)).not.toEqual(a.epochs.map((e) => e.loss));
  });

  it('validates without dropout: valLoss is the loss of the network of inference', async () => {
    const { prepared, end, epochs } = await run({ ...circle, dropout: 0.5 });
    const model = modelFromJSON(end.model);
    const validation = prepared.validation!;
    const pass = model.createPass(); // no generator: dropout off
    model.forward(validation.inputs, pass);
    const expected = model.loss(pass, validation.targets, getLoss('binary-cross-entropy'));
    expect(epochs.at(-1)!.valLoss).toBe(expected);
  });

  it('refuses a wrong number of rates, or dropout with a given model, naming the option', async () => {
    await expect(prepareRun({ ...circle, dropout: [0.1] })).rejects.toThrow(
      /`dropout` has 1 rates but the model has 2 hidden layers/,
    );
    await expect(prepareRun({ ...circle, dropout: 1 })).rejects.toThrow(
      /`dropout` rates must be numbers in \[0, 1\)/,
    );
    await expect(prepareRun({ ...circle, layers: [], dropout: 0.2 })).rejects.toThrow(
      /`dropout` needs hidden layers/,
    );
  });
});
