import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { MAX_INFERRED_CLASSES, integerClassLabels, oneHotTargets } from './categorical.js';
import { parseCsv } from './csv.js';

const csv = (labels: readonly (number | string)[]): string =>
  `x,label\n${labels.map((l, i) => `${i * 0.5},${l}`).join('\n')}\n`;

describe('integerClassLabels: which numeric target columns are class labels', () => {
  it('reads 3 to 20 distinct non-negative integers as classes (wine 0/1/2, digits 0-9)', () => {
    expect(integerClassLabels(parseCsv(csv([2, 0, 1, 1, 0, 2])))).toEqual([0, 1, 2]);
    const digits = Array.from({ length: 30 }, (_, i) => i % 10);
    expect(integerClassLabels(parseCsv(csv(digits)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const many = Array.from({ length: 2 * MAX_INFERRED_CLASSES }, (_, i) => (i % MAX_INFERRED_CLASSES) + 1);
    expect(integerClassLabels(parseCsv(csv(many)))).toHaveLength(MAX_INFERRED_CLASSES);
  });

  it('leaves real values, negatives, 0/1, too many values and several columns alone', () => {
    expect(integerClassLabels(parseCsv(csv([0.5, 1, 2])))).toBeUndefined();
    expect(integerClassLabels(parseCsv(csv([-1, 0, 1, 2])))).toBeUndefined();
    expect(integerClassLabels(parseCsv(csv([0, 1, 1, 0])))).toBeUndefined();
    const ages = Array.from({ length: 40 }, (_, i) => 25 + (i % 5));
    expect(integerClassLabels(parseCsv(csv(ages)))).toBeUndefined();
    const tooMany = Array.from({ length: 60 }, (_, i) => i % (MAX_INFERRED_CLASSES + 1));
    expect(integerClassLabels(parseCsv(csv(tooMany)))).toBeUndefined();
    expect(integerClassLabels(parseCsv(csv([5, 6, 7, 5, 6])))).toBeUndefined();
    expect(
      integerClassLabels(parseCsv('x,a,b\n1,0,1\n2,1,2\n3,2,0\n', { target: ['a', 'b'] })),
    ).toBeUndefined();
    expect(integerClassLabels(parseCsv(csv(['a', 'b', 'c'])))).toBeUndefined();
  });
});

describe('oneHotTargets', () => {
  it('makes one column per value, in increasing order, named by the value', () => {
    const ds = oneHotTargets(parseCsv(csv([10, 2, 9, 2])));
    expect(ds.task).toBe('classification');
    expect(ds.classNames).toEqual(['2', '9', '10']);
    expect(ds.targetNames).toEqual(['2', '9', '10']);
    expect(ds.targets.shape).toEqual([4, 3]);
    expect(Array.from(ds.targets.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0]);
  });

  it('returns a one-hot set as it is and refuses several numeric columns', () => {
    const labelled = parseCsv(csv(['a', 'b', 'c']));
    expect(oneHotTargets(labelled)).toBe(labelled);
    try {
      oneHotTargets(parseCsv('x,a,b\n1,0,2\n', { target: ['a', 'b'] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DeltaflowError);
      expect((error as DeltaflowError).code).toBe('E_SHAPE');
    }
  });
});
