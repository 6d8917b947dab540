import type { TrainingEvent } from '@deltaflow/trainer';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, describePlaygroundRun } from '../shared/playground-config.js';
import type { PlaygroundConfig } from '../shared/playground-config.js';
import { installDashboardPlugins } from './plugins.js';
import { setupRun as setupDescribed } from './run-setup.js';

const setupRun = (config: PlaygroundConfig) => setupDescribed(describePlaygroundRun(config));

async function firstLosses(config: PlaygroundConfig): Promise<number[]> {
  const { run } = await setupRun(config);
  const epochs = await firstValueFrom(
    run.events$.pipe(
      filter((e: TrainingEvent) => e.type === 'epoch'),
      take(3),
      toArray(),
    ),
  );
  run.stop();
  return epochs.map((e) => (e.type === 'epoch' ? e.loss : NaN));
}

describe('setupRun', () => {
  it('builds a seeded run: the same configuration gives the same first losses', async () => {
    const config = { ...DEFAULT_CONFIG, dataset: 'spiral' as const, noise: 0.1, points: 200, seed: 11 };
    const a = await firstLosses(config);
    expect(await firstLosses(config)).toEqual(a);
    expect(await firstLosses({ ...config, seed: 12 })).not.toEqual(a);
  });

  it('fits the output layer to the task and gives 2-D points only for 2-D data', async () => {
    const plane = await setupRun({ ...DEFAULT_CONFIG, dataset: 'plane', layers: [] });
    expect(plane.activations).toEqual(['linear']);
    expect(plane.points?.range[0]).toBeLessThan(0);
    const iris = await setupRun({ ...DEFAULT_CONFIG, dataset: 'iris', loss: 'cross-entropy' });
    expect(iris.activations).toEqual(['tanh', 'tanh', 'softmax']);
    expect(iris.points).toBeNull();
    const xor = await setupRun({ ...DEFAULT_CONFIG, dataset: 'xor' });
    expect(xor.points?.test).toBeNull();
    expect(xor.points?.extent).toEqual([-0.1, 1.1, -0.1, 1.1].map((v) => expect.closeTo(v, 6)));
  });

  it('trains with plugin activations', async () => {
    installDashboardPlugins();
    installDashboardPlugins();
    await expect(setupRun({ ...DEFAULT_CONFIG, activation: 'softsign' })).resolves.toBeDefined();
  });

  it("refuses cross-entropy on one output with the recipe's message, as the CLI does", async () => {
    await expect(setupRun({ ...DEFAULT_CONFIG, dataset: 'circle', loss: 'cross-entropy' })).rejects.toThrow(
      /The loss cross-entropy needs one-hot targets/,
    );
  });
});
