import { prepareRun } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, REGULARIZATION_RATES, describePlaygroundRun } from './playground-config.js';

describe('describePlaygroundRun', () => {
  it("offers TensorFlow Playground's regularization rates", () => {
    expect(REGULARIZATION_RATES).toEqual([0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]);
  });

  it('carries dropout and the L1 or L2 penalty as the CLI flags do, and leaves them out when off', async () => {
    const off = describePlaygroundRun({ ...DEFAULT_CONFIG, regularization: 'l2', regularizationRate: 0 });
    expect(off).not.toHaveProperty('dropout');
    expect(off).not.toHaveProperty('l1');
    expect(off).not.toHaveProperty('l2');
    const l2 = describePlaygroundRun({
      ...DEFAULT_CONFIG,
      dropout: 0.2,
      regularization: 'l2',
      regularizationRate: 0.03,
    });
    expect(l2).toMatchObject({ dropout: 0.2, l2: 0.03 });
    expect(l2).not.toHaveProperty('l1');
    const prepared = await prepareRun(l2);
    expect(prepared.trainOptions.l2).toBe(0.03);
    expect(prepared.model.summary().layers.map((l) => l.dropout)).toEqual([0.2, 0.2, undefined]);
    const l1 = describePlaygroundRun({ ...DEFAULT_CONFIG, regularization: 'l1', regularizationRate: 0.001 });
    expect(l1).toMatchObject({ l1: 0.001 });
    expect(l1).not.toHaveProperty('l2');
  });

  it('asks for the confusion matrix for classification sets only', async () => {
    expect(describePlaygroundRun(DEFAULT_CONFIG).metrics).toEqual(['confusion']);
    expect(describePlaygroundRun({ ...DEFAULT_CONFIG, dataset: 'iris' }).metrics).toEqual(['confusion']);
    const plane = describePlaygroundRun({ ...DEFAULT_CONFIG, dataset: 'plane' });
    expect(plane.metrics).toBeUndefined();
    // the recipe takes both (it refuses metrics for a regression)
    await expect(prepareRun(plane)).resolves.toBeDefined();
  });
});
