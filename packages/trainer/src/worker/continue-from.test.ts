import { Scaler } from '@deltaflow/data';
import { mlp, modelToJSON } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../recipe/prepare.js';
import { continueFrom } from './continue-from.js';

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
      {
        data: 'xor',
        layers: [8],
        activation: 'tanh',
        dropout: 0.2,
        normalize: true,
        dtype: 'float32',
        seed: 9,
      },
      { model: text, name: 'm.json' },
    );
    for (const key of ['layers', 'activation', 'dropout', 'normalize', 'dtype'] as const) {
      expect(description[key]).toBeUndefined();
    }
    expect(description.seed).toBe(9);
    const prepared = await prepareRun(description);
    expect(modelToJSON(prepared.model).layers).toEqual(modelToJSON(model).layers);
    expect(prepared.meta.scaler).toEqual(scaler.toJSON());
  });

  it('takes parsed JSON as well as text', async () => {
    const description = continueFrom({ data: 'xor' }, { model: modelToJSON(model), name: 'm.json' });
    expect(modelToJSON((await prepareRun(description)).model).layers).toEqual(modelToJSON(model).layers);
  });

  it('refuses what is not a model file with one sentence naming the file', () => {
    expect(() => continueFrom({ data: 'xor' }, { model: 'not json', name: 'x.json' })).toThrow(
      'Model x.json is not JSON; give a model file saved by deltaflow train --save or by the dashboard.',
    );
    expect(() =>
      continueFrom(
        { data: 'xor' },
        { model: '{"format":"deltaflow-model","version":1,"layers":[]}', name: 'e.json' },
      ),
    ).toThrow(/^Model e\.json: layers must be a non-empty array\.$/);
    const badScaler = JSON.stringify(modelToJSON(model, { scaler: { kind: 'nope' } }));
    expect(() => continueFrom({ data: 'xor' }, { model: badScaler, name: 's.json' })).toThrow(
      /^Model s\.json: meta\.scaler is unusable \(.*\); remove it or save the model again\.$/,
    );
  });
});
