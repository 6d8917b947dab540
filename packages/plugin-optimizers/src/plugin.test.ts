import { xor } from '@deltaflow/data';
import { installPlugin, mlp } from '@deltaflow/network';
import { createOptimizer, optimizers } from '@deltaflow/optimizers';
import { train } from '@deltaflow/trainer';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import optimizersPlugin from './index.js';

const names = ['lion', 'adamax', 'radam'];

beforeAll(() => installPlugin(optimizersPlugin));
afterAll(() => names.forEach((name) => optimizers.unregister(name)));

describe('the plugin, installed with one call', () => {
  it('registers its three optimizers under its name, with their defaults', () => {
    for (const name of names) expect(optimizers.source(name)).toBe('@deltaflow/plugin-optimizers');
    const model = mlp({ inputs: 2, layers: [{ units: 1 }] });
    expect(createOptimizer('lion', model.parameters()).options).toEqual({
      lr: 1e-4,
      beta1: 0.9,
      beta2: 0.99,
      weightDecay: 0,
    });
  });

  it.each(names)('%s trains the seed network on XOR by name', async (optimizer) => {
    const model = mlp({
      inputs: 2,
      layers: [
        { units: 4, activation: 'sigmoid' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 42,
    });
    const end = await lastValueFrom(train(model, xor(), { epochs: 1000, batchSize: 4, optimizer, lr: 0.05 }));
    expect(end.type).toBe('end');
    if (end.type === 'end') expect(end.reason).toBe('completed');
    const outputs = Array.from(model.forward(xor().inputs).data);
    expect(outputs.map((o) => Math.round(o))).toEqual([0, 1, 1, 0]);
  });
});
