import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iris } from '@deltaflow/data';
import { mlp, modelFromJSON, modelToJSON } from '@deltaflow/network';
import { loadModel, saveModel } from '@deltaflow/network/node';
import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, TrainingEvent } from './events.js';
import { classOf, isClassifier, modelInfo, predict, predictOutputs } from './predict.js';
import { prepareRun } from './recipe/prepare.js';
import { train } from './train.js';

describe('predict with the stored scaler and class names', () => {
  it('a model trained with normalize, saved and loaded, predicts RAW inputs as it did the scaled ones', async () => {
    const run = await prepareRun({
      data: 'iris',
      layers: [8],
      activation: 'tanh',
      loss: 'cross-entropy',
      optimizer: { name: 'adam', options: { lr: 0.02 } },
      normalize: true,
      epochs: 60,
      seed: 3,
    });
    const events: TrainingEvent[] = await lastValueFrom(
      train(run.model, run.train, run.trainOptions).pipe(toArray()),
    );
    const end = events.at(-1) as EndEvent;
    const path = join(mkdtempSync(join(tmpdir(), 'deltaflow-predict-')), 'iris.json');
    saveModel(path, end.model, { ...end.model.meta, ...run.meta });

    const loaded = loadModel(path);
    expect(loaded.meta?.scaler).toEqual(run.scaler!.toJSON());
    const raw = iris({ dtype: 'float64' });
    const result = predict(loaded, raw.inputs);

    // the same numbers as the trained model on the inputs scaled while training
    const scaled = run.scaler!.transform(raw.inputs.clone(run.model.dtype));
    const expected = run.model.forward(scaled);
    expect(result.outputs.flat()).toEqual(Array.from(expected.data));
    // class names from meta, and the accuracy of a well-scaled model (raw inputs unscaled would do worse)
    const truth = Array.from({ length: raw.targets.rows }, (_, i) =>
      classOf(raw.targets.data, i * raw.targets.cols, raw.targets.cols),
    );
    const accuracy = result.classes!.filter((c, i) => c === truth[i]).length / truth.length;
    expect(accuracy).toBeGreaterThan(0.9);
    const unscaled = loaded.forward(raw.inputs.clone(loaded.dtype));
    const unscaledAccuracy =
      truth.filter((t, i) => classOf(unscaled.data, i * 3, 3) === t).length / truth.length;
    expect(unscaledAccuracy).toBeLessThan(accuracy);
    expect(new Set(result.labels)).toEqual(new Set(raw.classNames));
    expect(result.labels![0]).toBe(raw.classNames![result.classes![0]!]);
  });

  it('a regression model gives outputs only; rows of numbers are checked', () => {
    const model = mlp({ inputs: 2, layers: [{ units: 1, activation: 'linear' }], seed: 1, dtype: 'float64' });
    model.meta = { task: 'regression', scaler: { kind: 'standard', offset: [1, 2], scale: [2, 4] } };
    const w = model.layers[0]!.weights.data;
    const b = model.layers[0]!.bias.data[0]!;
    const result = predict(model, [[3, 10]]);
    // scaled: (3 - 1) / 2 = 1, (10 - 2) / 4 = 2
    expect(result.outputs[0]![0]).toBeCloseTo(1 * w[0]! + 2 * w[1]! + b, 12);
    expect(result.labels).toBeUndefined();
    expect(() => predict(model, [[1, 2, 3]])).toThrow(/row 0 has 3 numbers but the model takes 2 inputs/);
  });

  it('a single sigmoid output is class 1 at O >= 0.5; names come from classNames', () => {
    const model = modelFromJSON({
      ...modelToJSON(mlp({ inputs: 1, layers: [{ units: 1 }] })),
      meta: { classNames: ['no', 'yes'] },
    });
    model.layers[0]!.weights.data[0] = 10;
    expect(isClassifier(modelInfo(model))).toBe(true);
    expect(predict(model, [[1], [-1]]).labels).toEqual(['yes', 'no']);
    expect(classOf([0.5])).toBe(1);
    expect(classOf([0.2, 0.1, 0.7])).toBe(2);
  });

  it('refuses a scaler that does not fit the model, naming meta.scaler', () => {
    const model = mlp({ inputs: 2, layers: [{ units: 1 }] });
    model.meta = { scaler: { kind: 'standard', offset: [0], scale: [1] } };
    expect(() => modelInfo(model, 'm.json')).toThrow(DeltaflowError);
    expect(() => predictOutputs(model, Tensor.fromNested([[1, 2]]))).toThrow(
      /meta\.scaler has 1 features but the model takes 2 inputs/,
    );
    model.meta = { scaler: { kind: 'cubic' } };
    expect(() => modelInfo(model, 'm.json')).toThrow(/^Model m\.json: meta\.scaler is unusable/);
  });
});
