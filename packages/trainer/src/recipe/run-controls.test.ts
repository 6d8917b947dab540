import { DeltaflowError } from '@deltaflow/tensor';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, EpochEvent, TrainingEvent } from '../events.js';
import { train } from '../train.js';
import { earlyStoppingOf } from './early-stop.js';
import { prepareRun } from './prepare.js';
import { scheduleDefaults, scheduleOf } from './schedule.js';

const option = (message: RegExp) =>
  expect.objectContaining({ code: 'E_OPTION', message: expect.stringMatching(message) as unknown });

describe('the schedule of a run description', () => {
  it('fills the defaults of a name alone from the epochs', () => {
    expect(scheduleDefaults('step', 90)).toEqual({ name: 'step', config: { stepSize: 30, gamma: 0.1 } });
    expect(scheduleDefaults('exponential', 90).config).toEqual({ gamma: 0.99 });
    expect(scheduleDefaults('cosine', 90).config).toEqual({ tMax: 90, etaMin: 0 });
    expect(scheduleDefaults('warmup', 90).config).toEqual({ warmupEpochs: 5, startFactor: 1 / 3 });
    expect(scheduleDefaults({ name: 'step', config: { gamma: 0.5 } }, 10).config).toEqual({
      stepSize: 4,
      gamma: 0.5,
    });
  });

  it('gives the rates of the formulas, epoch by epoch', () => {
    const step = scheduleOf({ name: 'step', config: { stepSize: 2, gamma: 0.5 } }, 10);
    expect([0, 1, 2, 3, 4].map((t) => step(t, 0.4))).toEqual([0.4, 0.4, 0.2, 0.2, 0.1]);
    expect(scheduleOf({ name: 'exponential', config: { gamma: 0.5 } }, 10)(3, 0.8)).toBe(0.1);
    expect(scheduleOf('cosine', 10)(5, 0.2)).toBeCloseTo(0.1, 15);
    const warmup = scheduleOf({ name: 'warmup', config: { warmupEpochs: 4, startFactor: 0.5 } }, 10);
    expect([0, 2, 4, 9].map((t) => warmup(t, 1))).toEqual([0.5, 0.75, 1, 1]);
  });

  it('refuses unknown names, parameters of another schedule and bad values, naming them', () => {
    expect(() => scheduleOf('linear' as 'step', 10)).toThrow(
      option(/`schedule` must be step, .* got "linear"/),
    );
    expect(() => scheduleOf({ name: 'cosine', config: { gamma: 0.5 } }, 10)).toThrow(
      option(/`gamma` is a parameter of the schedule step and exponential, not of cosine/),
    );
    expect(() => scheduleOf({ name: 'step', config: { stepSize: 0 } }, 10)).toThrow(
      option(/`schedule` step: invalid `stepSize` = 0; it must be an integer >= 1/),
    );
    expect(() => scheduleOf({ name: 'warmup', config: { warmupEpochs: -1 } }, 10)).toThrow(
      option(/invalid `warmupEpochs` = -1/),
    );
  });
});

describe('early stopping of a run description', () => {
  it('defaults to a patience of 10 and checks every setting', () => {
    expect(earlyStoppingOf(true)).toEqual({ patience: 10, minDelta: 0 });
    expect(earlyStoppingOf(false)).toBeUndefined();
    expect(earlyStoppingOf({ patience: 3, restoreBest: true })).toEqual({
      patience: 3,
      minDelta: 0,
      restoreBest: true,
    });
    expect(() => earlyStoppingOf({ patience: 0 })).toThrow(option(/`patience` must be a whole number/));
    expect(() => earlyStoppingOf({ minDelta: -1 })).toThrow(option(/`minDelta` must be a number >= 0/));
  });
});

const epochs = async (events$: ReturnType<typeof train>) => {
  const all = await lastValueFrom(events$.pipe(toArray()));
  return {
    epochs: all.filter((e: TrainingEvent): e is EpochEvent => e.type === 'epoch'),
    end: all.find((e: TrainingEvent): e is EndEvent => e.type === 'end')!,
  };
};

describe('prepareRun with a schedule, early stopping and a test split', () => {
  it('trains with the scheduled rates', async () => {
    const run = await prepareRun({
      data: 'circle',
      epochs: 6,
      optimizer: { name: 'sgd', options: { lr: 0.8 } },
      schedule: { name: 'step', config: { stepSize: 2, gamma: 0.5 } },
    });
    const { epochs: seen } = await epochs(train(run.model, run.train, run.trainOptions));
    expect(seen.map((e) => e.lr)).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2]);
    expect(run.meta.schedule).toEqual({ name: 'step', config: { stepSize: 2, gamma: 0.5 } });
  });

  it('stops early on the validation loss and remembers the settings', async () => {
    const run = await prepareRun({
      data: 'circle',
      epochs: 500,
      validationSplit: 0.3,
      optimizer: { name: 'sgd', options: { lr: 5 } },
      earlyStopping: { patience: 2, minDelta: 0.01 },
    });
    const { end } = await epochs(train(run.model, run.train, run.trainOptions));
    expect(end.reason).toBe('early-stopped');
    expect(end.epochs).toBeLessThan(500);
    expect(run.meta.earlyStopping).toEqual({ patience: 2, minDelta: 0.01 });
  });

  it('holds the test rows out before the validation rows, scaled like the training rows', async () => {
    const run = await prepareRun({ data: 'iris', testSplit: 0.2, validationSplit: 0.25, normalize: true });
    expect(run.test!.inputs.rows).toBe(30);
    expect(run.validation!.inputs.rows).toBe(30);
    expect(run.train.inputs.rows).toBe(90);
    // the three parts are disjoint and make up the data (rows compared before scaling)
    const raw = await prepareRun({ data: 'iris', testSplit: 0.2, validationSplit: 0.25 });
    const rows = (t: { data: ArrayLike<number>; cols: number; rows: number }) =>
      Array.from({ length: t.rows }, (_, i) =>
        Array.from(t.data)
          .slice(i * t.cols, (i + 1) * t.cols)
          .join(),
      );
    const all = [raw.train, raw.validation!, raw.test!].flatMap((d) => rows(d.inputs));
    expect(all.sort()).toEqual(rows(raw.dataset.inputs).sort());
    // scaled by the scaler fitted on the training rows
    expect(Array.from(run.test!.inputs.data)).toEqual(
      Array.from(run.scaler!.transform(raw.test!.inputs).data),
    );
    expect(run.meta.testSplit).toBe(0.2);
    await expect(prepareRun({ data: 'xor', testSplit: 1.5 })).rejects.toThrow(
      option(/`testSplit` must be between 0 and 1/),
    );
  });

  it('generates a built-in dataset with the run seed', async () => {
    const a = await prepareRun({ data: 'circle', seed: 7 });
    const b = await prepareRun({ data: 'circle', seed: 7 });
    const c = await prepareRun({ data: 'circle' });
    expect(Array.from(a.dataset.inputs.data)).toEqual(Array.from(b.dataset.inputs.data));
    expect(Array.from(a.dataset.inputs.data)).not.toEqual(Array.from(c.dataset.inputs.data));
  });

  it('reports bad settings as E_OPTION before training', async () => {
    await expect(prepareRun({ data: 'xor', schedule: 'sometimes' as 'step' })).rejects.toBeInstanceOf(
      DeltaflowError,
    );
    await expect(prepareRun({ data: 'xor', earlyStopping: { patience: 1.5 } })).rejects.toThrow(
      option(/`patience`/),
    );
  });
});

describe('metrics of a run description', () => {
  it('carries them into the train options, and the epoch events carry the confusion matrices', async () => {
    const run = await prepareRun({
      data: 'iris',
      layers: [4],
      loss: 'cross-entropy',
      validationSplit: 0.2,
      metrics: ['confusion', 'f1'],
      epochs: 2,
    });
    expect(run.trainOptions.metrics).toEqual(['confusion', 'f1']);
    const events = await lastValueFrom(train(run.model, run.train, run.trainOptions).pipe(toArray()));
    const epoch = events.filter((e): e is EpochEvent => e.type === 'epoch').at(-1)!;
    const sum = (m: number[][]) => m.flat().reduce((a, b) => a + b, 0);
    expect(sum(epoch.confusion!)).toBe(run.train.inputs.rows);
    expect(sum(epoch.valConfusion!)).toBe(run.validation!.inputs.rows);
    expect(epoch.metrics.f1).toBeTypeOf('number');
    const start = events.find((e) => e.type === 'start')!;
    expect(start.config.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('refuses unknown names and metrics of a regression when preparing', async () => {
    await expect(prepareRun({ data: 'iris', metrics: ['kappa' as never] })).rejects.toThrow(
      option(/unknown metric 'kappa'/),
    );
    await expect(prepareRun({ data: 'plane', metrics: ['confusion'] })).rejects.toThrow(
      option(/are for classification/),
    );
  });
});
