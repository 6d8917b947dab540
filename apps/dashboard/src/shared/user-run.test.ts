import { describe, expect, it } from 'vitest';
import { prepareRun } from '@deltaflow/trainer';
import { DEFAULT_CONFIG, describePlaygroundRun } from './playground-config.js';
import { describeUserRun } from './user-run.js';
import type { UserData } from './user-run.js';

const csv = [
  'a,b,c,label',
  ...Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 13},${i % 5},${i % 2}`),
].join('\n');

describe('describeUserRun', () => {
  it('without a CSV is the playground description', () => {
    expect(describeUserRun(DEFAULT_CONFIG, null)).toEqual(describePlaygroundRun(DEFAULT_CONFIG));
  });

  it('trains on the chosen columns, split by the train fraction, standardised', async () => {
    const data: UserData = { csv, file: 'mine.csv', target: 'label', features: ['c', 'a'] };
    const description = describeUserRun({ ...DEFAULT_CONFIG, trainFraction: 0.75 }, data);
    const prepared = await prepareRun(description);
    expect(prepared.dataset.featureNames).toEqual(['c', 'a']);
    expect(prepared.dataset.targetNames).toEqual(['label']);
    expect(prepared.train.inputs.rows).toBe(30);
    expect(prepared.validation?.inputs.rows).toBe(10);
    expect(prepared.meta.scaler).toBeDefined();
    expect(prepared.model.inputs).toBe(2);
    expect(prepared.model.summary().layers.map((l) => l.units)).toEqual([...DEFAULT_CONFIG.layers, 1]);
    const whole = describeUserRun({ ...DEFAULT_CONFIG, trainFraction: 1 }, data);
    expect(whole.validationSplit).toBeUndefined();
  });

  it("asks for the confusion matrix when the CSV check found classes, not for a regression's", async () => {
    const base: UserData = { csv, file: 'mine.csv', target: 'label', features: ['c', 'a'] };
    const classes = describeUserRun(DEFAULT_CONFIG, { ...base, task: 'classification' });
    expect(classes.metrics).toEqual(['confusion']);
    const prepared = await prepareRun(classes);
    expect(prepared.trainOptions.metrics).toEqual(['confusion']);
    const values = describeUserRun({ ...DEFAULT_CONFIG, dataset: 'iris' }, { ...base, task: 'regression' });
    expect(values.metrics).toBeUndefined();
  });
});
