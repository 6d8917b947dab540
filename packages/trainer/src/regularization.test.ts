import { getLoss } from '@deltaflow/losses';
import { Penalty, modelFromJSON } from '@deltaflow/network';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, EpochEvent, ForwardEvent, StartEvent, TrainingEvent } from './events.js';
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

describe('training with L1/L2 penalties', () => {
  it('E = data loss + penalty in the forward event; the penalty is what the weights give; valLoss is data only', async () => {
    const events: TrainingEvent[] = [];
    const prepared = await prepareRun({ ...circle, l1: 0.001, l2: [0.01, 0.01, 0] });
    await lastValueFrom(
      train(prepared.model, prepared.train, { ...prepared.trainOptions, batchSize: 1000 }).pipe(toArray()),
    ).then((all) => events.push(...all));
    const forwards = events.filter((e): e is ForwardEvent => e.type === 'forward');
    expect(forwards).toHaveLength(15);
    const start = events[0] as StartEvent;
    expect(start.config).toMatchObject({ l1: 0.001, l2: [0.01, 0.01, 0] });
    for (const f of forwards) {
      expect(f.dataLoss).toBeGreaterThan(0);
      expect(f.penalty).toBeGreaterThan(0);
      expect(f.loss).toBeCloseTo(f.dataLoss! + f.penalty!, 14);
    }
    // the epoch events carry the same parts (pages that keep only epoch events show them)
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
    expect(epochs.map((e) => [e.dataLoss, e.penalty])).toEqual(forwards.map((f) => [f.dataLoss, f.penalty]));
    // one batch per epoch (90 samples < 1000): epoch 1's penalty is that of the initial weights, by hand
    const initial = (await prepareRun({ ...circle, l1: 0.001, l2: [0.01, 0.01, 0] })).model;
    let byHand = 0;
    initial.layers.forEach((layer, i) => {
      for (const w of layer.weights.data) byHand += 0.001 * Math.abs(w) + (i < 2 ? 0.005 * w * w : 0);
    });
    expect(forwards[0]!.penalty).toBeCloseTo(byHand, 14);
    const end = events.at(-1) as EndEvent;
    const model = modelFromJSON(end.model);
    expect(new Penalty(model, { l1: 0.001, l2: [0.01, 0.01, 0] }).value()).not.toBeCloseTo(byHand, 6);
    expect(end.model.meta).toMatchObject({ penalty: { l1: 0.001, l2: [0.01, 0.01, 0] } });
    // valLoss: the data loss of the network on the validation rows, no penalty
    const pass = model.createPass();
    model.forward(prepared.validation!.inputs, pass);
    const val = model.loss(pass, prepared.validation!.targets, getLoss('binary-cross-entropy'));
    const lastEpoch = events.filter((e): e is EpochEvent => e.type === 'epoch').at(-1)!;
    expect(lastEpoch.valLoss).toBe(val);
  });

  it('the penalty gradient shrinks the weights: the same run with L2 ends with a smaller sum of W^2', async () => {
    const sumSquares = async (l2?: number) => {
      const { end } = await run({ ...circle, epochs: 40, ...(l2 !== undefined ? { l2 } : {}) });
      return end.model.layers.reduce(
        (s, l) => s + (l.type === 'dense' ? l.weights.flat().reduce((a, w) => a + w * w, 0) : 0),
        0,
      );
    };
    expect(await sumSquares(0.5)).toBeLessThan(0.8 * (await sumSquares()));
  });

  it('without penalties the events carry no dataLoss/penalty fields and the losses are unchanged', async () => {
    const a = await run(circle);
    const b = await run({ ...circle, l1: 0, l2: 0 });
    expect(a.epochs.map((e) => e.loss)).toEqual(b.epochs.map((e) => e.loss));
  });

  it('refuses a negative rate or a per-layer list of the wrong length, naming the option', async () => {
    await expect(prepareRun({ ...circle, l2: -1 })).rejects.toThrow(/`l2` rates must be numbers >= 0/);
    await expect(prepareRun({ ...circle, l1: [0.1, 0.1] })).rejects.toThrow(
      /`l1` has 2 rates but the model has 3 layers/,
    );
  });
});
