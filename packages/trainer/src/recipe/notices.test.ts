import { parseCsv } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { describe, expect, it } from 'vitest';
import { prepareRun } from './prepare.js';

const rows = (n: number, row: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => row(i)).join('\n');
const wine = `a,b,label\n${rows(30, (i) => `${(i % 3) + 0.1 * (i % 5)},${0.5 - 0.1 * (i % 3)},${i % 3}`)}\n`;
const diabetes = `x,y\n${rows(20, (i) => `${i / 20},${25 + 16 * i}`)}\n`;
const unscaled = `area,label\n${rows(20, (i) => `${400 + 30 * i},${i % 2}`)}\n`;

describe('prepareRun reads integer labels as classes, with a notice (one rule for code, CLI and dashboard)', () => {
  it('infers classes from CSV text and from a Dataset alike', async () => {
    for (const data of [{ csv: wine }, parseCsv(wine)]) {
      const run = await prepareRun({ data, epochs: 1 });
      expect(run.dataset.targets.shape).toEqual([30, 3]);
      expect(run.dataset.classNames).toEqual(['0', '1', '2']);
      expect(run.trainOptions.task).toBe('classification');
      expect(run.model.outputs).toBe(3);
      expect(run.notices).toEqual([
        {
          kind: 'target-type',
          message:
            'The target column label holds 3 integer labels (0/1/2), so it is read as 3 classes (one-hot); to predict it as a number, use `targetType` value.',
        },
      ]);
    }
  });

  it('cross-entropy then trains on softmax; targetType value keeps the number; class makes 0/1 classes', async () => {
    const ce = await prepareRun({ data: { csv: wine }, loss: 'cross-entropy' });
    expect(ce.outputActivation).toBe('softmax');
    const value = await prepareRun({ data: { csv: wine }, targetType: 'value' });
    expect(value.dataset.targets.shape).toEqual([30, 1]);
    expect(value.outputActivation).toBe('linear');
    expect(value.notices).toEqual([]);
    const binary = await prepareRun({ data: { csv: unscaled }, targetType: 'class', normalize: true });
    expect(binary.dataset.classNames).toEqual(['0', '1']);
    expect(binary.model.outputs).toBe(2);
  });

  it('a given model with one output keeps the number', async () => {
    const model = mlp({ inputs: 2, layers: [{ units: 1, activation: 'linear' }] });
    const run = await prepareRun({ data: { csv: wine }, model });
    expect(run.dataset.targets.cols).toBe(1);
    expect(run.notices).toEqual([]);
  });
});

describe('prepareRun notices targets outside the output range and unscaled inputs', () => {
  it('regression defaults to a linear output, with no notice', async () => {
    const run = await prepareRun({ data: { csv: diabetes } });
    expect(run.outputActivation).toBe('linear');
    expect(run.notices).toEqual([]);
  });

  it('a forced sigmoid or tanh output, or a given model, gets an output-range notice', async () => {
    const sigmoid = await prepareRun({ data: { csv: diabetes }, outputActivation: 'sigmoid' });
    expect(sigmoid.notices).toEqual([
      {
        kind: 'output-range',
        message:
          'The targets run from 25 to 329, outside the range (0, 1) of the output activation sigmoid, so the outputs can never reach them; use the output activation linear (`outputActivation`), the default for regression, or scale the targets.',
      },
    ]);
    const tanh = await prepareRun({ data: { csv: diabetes }, outputActivation: 'tanh' });
    expect(tanh.notices[0]!.message).toContain('outside the range (-1, 1) of the output activation tanh');
    const model = mlp({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }] });
    const given = await prepareRun({ data: { csv: diabetes }, model });
    expect(given.notices[0]!.message).toContain(
      'of the output activation sigmoid of the given model, so the outputs can never reach them; train a model with the output activation linear instead',
    );
  });

  it('inputs with a mean or standard deviation beyond 10 get an input-scale notice unless normalized', async () => {
    const raw = await prepareRun({ data: { csv: unscaled } });
    expect(raw.notices).toEqual([
      {
        kind: 'input-scale',
        message:
          'The inputs are far from unit scale (column area has mean 685 and standard deviation 173), where sigmoid and tanh units saturate and stop learning; standardise them with `normalize`.',
      },
    ]);
    expect((await prepareRun({ data: { csv: unscaled }, normalize: true })).notices).toEqual([]);
    expect((await prepareRun({ data: 'iris' })).notices).toEqual([]);
  });
});
