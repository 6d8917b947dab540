import { Scaler } from '@deltaflow/data';
import { mlp, modelToJSON } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import { prepareRun } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, describePlaygroundRun } from '../shared/playground-config.js';
import { continueFrom, modelFileText } from './model-file.js';

const model = mlp({
  inputs: 2,
  layers: [
    { units: 3, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
  seed: 5,
});
const scaler = Scaler.fit(
  'standard',
  Tensor.fromNested([
    [0, 10],
    [2, 30],
    [4, 20],
  ]),
);

describe('continueFrom', () => {
  it("takes the file's architecture, weights and scaler, and the rest of the run from the description", async () => {
    const text = JSON.stringify(modelToJSON(model, { loss: 'mse', scaler: scaler.toJSON() }));
    const description = continueFrom(
      { ...describePlaygroundRun({ ...DEFAULT_CONFIG, dropout: 0.2 }), normalize: true, dtype: 'float32' },
      { text, file: 'm.json' },
    );
    expect(description.layers).toBeUndefined();
    // the file's layers carry their own dropout: the form's rate is for new models only
    expect(description.dropout).toBeUndefined();
    expect(description.activation).toBeUndefined();
    expect(description.normalize).toBeUndefined();
    expect(description.seed).toBe(DEFAULT_CONFIG.seed);
    const prepared = await prepareRun(description);
    expect(modelToJSON(prepared.model).layers).toEqual(modelToJSON(model).layers);
    expect(prepared.meta.scaler).toEqual(scaler.toJSON());
  });

  it('refuses what is not a model file with one sentence naming the file', () => {
    const base = describePlaygroundRun(DEFAULT_CONFIG);
    expect(() => continueFrom(base, { text: 'not json', file: 'x.json' })).toThrow(
      'Model x.json is not JSON; open a model file saved by the dashboard or by deltaflow train --save.',
    );
    expect(() =>
      continueFrom(base, { text: '{"format":"deltaflow-model","version":1,"layers":[]}', file: 'e.json' }),
    ).toThrow(/^Model e\.json: layers must be a non-empty array\.$/);
    const badScaler = JSON.stringify(modelToJSON(model, { scaler: { kind: 'nope' } }));
    expect(() => continueFrom(base, { text: badScaler, file: 's.json' })).toThrow(
      /^Model s\.json: meta\.scaler is unusable \(.*\); remove it or save the model again\.$/,
    );
  });
});

describe('modelFileText', () => {
  it('writes the model file with its meta, readable again', () => {
    const text = modelFileText(model, { loss: 'mse', epochs: 3 });
    const json = JSON.parse(text) as ReturnType<typeof modelToJSON>;
    expect(json).toEqual(modelToJSON(model, { loss: 'mse', epochs: 3 }));
    expect(text.endsWith('}\n')).toBe(true);
  });
});
