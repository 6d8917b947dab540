import { circle } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, TrainingEvent } from './events.js';
import type { TrainOptions } from './options.js';
import { scheduleOf } from './recipe/schedule.js';
import type { ResumeState } from './resume-state.js';
import { train } from './train.js';

const data = circle({ points: 60, noise: 0.1, seed: 3 });
const validation = circle({ points: 30, noise: 0.1, seed: 4 });
const model = (dropout = 0): Sequential =>
  mlp({
    inputs: 2,
    layers: [{ units: 6, activation: 'tanh', ...(dropout ? { dropout } : {}) }, { units: 1 }],
    seed: 9,
  });

const run = async (m: Sequential, options: TrainOptions) => {
  const events = await lastValueFrom(train(m, data, options).pipe(toArray()));
  const end = events.find((e: TrainingEvent): e is EndEvent => e.type === 'end')!;
  return { end, losses: events.filter((e) => e.type === 'epoch').map((e) => (e as { loss: number }).loss) };
};

const OPTIMIZERS: [string, Record<string, number | boolean>][] = [
  ['sgd', { lr: 0.3, momentum: 0.9, nesterov: true }],
  ['adam', { lr: 0.01 }],
  ['adamw', { lr: 0.01 }],
  ['rmsprop', { lr: 0.005, momentum: 0.5 }],
  ['adagrad', { lr: 0.05 }],
];

describe('an exact resume: k epochs, the state through JSON, then on to N', () => {
  it.each(OPTIMIZERS)(
    'gives the weights of N uninterrupted epochs with %s, a schedule, early stopping and dropout',
    async (name, optimizerOptions) => {
      const options = (epochs: number): TrainOptions => ({
        epochs,
        batchSize: 8,
        seed: 5,
        optimizer: name,
        optimizerOptions,
        schedule: scheduleOf({ name: 'step', config: { stepSize: 3, gamma: 0.7 } }, 12),
        earlyStopping: { patience: 50, minDelta: 1e-3, restoreBest: true },
        validation,
        yieldEvery: 'epoch',
      });
      const full = await run(model(0.2), options(12));
      const first = await run(model(0.2), { ...options(5), resumable: true });
      const state = JSON.parse(JSON.stringify(first.end.state)) as ResumeState;
      expect(state.epoch).toBe(5);
      const rest = await run(model(0.2), { ...options(12), resume: state });
      expect(rest.end.epochs).toBe(12);
      expect(JSON.stringify(rest.end.model.layers)).toBe(JSON.stringify(full.end.model.layers));
      expect([...first.losses, ...rest.losses]).toEqual(full.losses);
    },
  );

  it('refuses a state of another model or other data, naming what does not fit', async () => {
    const first = await run(model(), { epochs: 2, resumable: true });
    const state = first.end.state!;
    const other = mlp({ inputs: 2, layers: [{ units: 3 }, { units: 1 }], seed: 1 });
    await expect(run(other, { epochs: 4, resume: state })).rejects.toThrow(/belongs to another model/);
    await expect(run(model(), { epochs: 4, optimizer: 'adam', resume: state })).rejects.toThrow(
      /of the optimizer sgd, but this run uses adam/,
    );
  });
});
