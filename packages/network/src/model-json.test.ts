import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from './model-file.js';
import { modelFromJSON, modelToJSON, parseModel } from './model-json.js';
import { mlp } from './sequential.js';

const good = (): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify({
      format: 'deltaflow-model',
      version: 1,
      dtype: 'float64',
      layers: [
        {
          type: 'dense',
          inputs: 2,
          units: 2,
          activation: 'sigmoid',
          weights: [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
          bias: [0, 0],
        },
        { type: 'dense', inputs: 2, units: 1, activation: 'sigmoid', weights: [[0.5], [0.6]], bias: [0.1] },
      ],
      meta: { loss: 'mse' },
    }),
  );

type Json = Record<string, unknown> & { layers: Record<string, unknown>[] };

const cases: [string, (m: Json) => unknown, RegExp][] = [
  ['wrong format', (m) => ({ ...m, format: 'keras' }), /format is "keras", expected "deltaflow-model"/],
  ['wrong version', (m) => ({ ...m, version: 3 }), /version is 3, expected 1 or 2/],
  ['bad dtype', (m) => ({ ...m, dtype: 'int8' }), /dtype is "int8"/],
  ['no layers', (m) => ({ ...m, layers: [] }), /layers must be a non-empty array/],
  ['a layer of the wrong type', (m) => ((m.layers[1]!.type = 'conv'), m), /layers\[1\]\.type is "conv"/],
  [
    'wrong weight rows',
    (m) => ((m.layers[0]!.weights = [[0.1, 0.2]]), m),
    /layers\[0\]\.weights has 1 rows, expected 2/,
  ],
  [
    'wrong weight shape',
    (m) => ((m.layers[0]!.weights = [[0.1, 0.2], [0.3]]), m),
    /layers\[0\]\.weights\[1\] has 1 numbers, expected 2/,
  ],
  [
    'a NaN weight',
    (m) => ((m.layers[1]!.weights = [[0.5], ['NaN']]), m),
    /layers\[1\]\.weights\[1\]\[0\] is "NaN", expected a finite number/,
  ],
  [
    'a null weight (NaN written by JSON.stringify)',
    (m) => ((m.layers[1]!.weights = [[null], [0.6]]), m),
    /layers\[1\]\.weights\[0\]\[0\] is null/,
  ],
  ['a short bias', (m) => ((m.layers[0]!.bias = [0]), m), /layers\[0\]\.bias has 1 numbers, expected 2/],
  [
    'layers that do not chain',
    (m) => ((m.layers[1]!.inputs = 3), m),
    /layers\[1\]\.inputs is 3 but layers\[0\] has 2 units/,
  ],
  ['zero units', (m) => ((m.layers[0]!.units = 0), m), /layers\[0\]\.units must be a positive integer/],
  [
    'an unknown activation',
    (m) => ((m.layers[0]!.activation = 'mish'), m),
    /layers\[0\]\.activation is not usable: Unknown activation 'mish'; registered: sigmoid.*a plugin may add it \(installPlugin\)/,
  ],
  ['not an object', () => [1, 2], /must hold a JSON object/],
];

describe('loading a model file', () => {
  it('accepts a good file', () => {
    const model = modelFromJSON(good());
    expect(model.summary().parameters).toBe(9);
  });

  for (const [name, mutate, message] of cases) {
    it(`refuses ${name}, naming the field`, () => {
      const bad = mutate(good() as Json);
      expect(() => modelFromJSON(bad, 'model.json')).toThrow(message);
      expect(() => modelFromJSON(bad, 'model.json')).toThrow(DeltaflowError);
    });
  }

  it('refuses truncated JSON with a sentence, not a SyntaxError', () => {
    const text = JSON.stringify(good());
    expect(() => parseModel(text.slice(0, 40), 'cut.json')).toThrow(
      /^Model cut\.json: the file is not valid JSON, perhaps truncated \(.*\)\.$/,
    );
  });
});

describe('model files on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deltaflow-network-'));

  it('saves atomically and loads back the same weights', () => {
    const model = mlp({ inputs: 2, layers: [{ units: 3 }, { units: 1 }], seed: 2 });
    const path = join(dir, 'model.json');
    saveModel(path, model, { loss: 'mse' });
    expect(readdirSync(dir)).toEqual(['model.json']);
    expect(JSON.parse(readFileSync(path, 'utf8')).meta).toEqual({ loss: 'mse' });
    expect(modelToJSON(loadModel(path))).toEqual({ ...modelToJSON(model), meta: { loss: 'mse' } });
  });

  it('keeps meta: load, save again, load gives the same file, meta included', () => {
    const model = mlp({ inputs: 2, layers: [{ units: 3 }, { units: 2 }], seed: 3 });
    const meta = {
      loss: 'cross-entropy',
      classNames: ['no', 'yes'],
      scaler: { kind: 'standard', offset: [0.5, -1], scale: [2, 0.25] },
      nested: { epochs: 7, list: [1, 'two', null] },
    };
    const first = join(dir, 'meta-1.json');
    const second = join(dir, 'meta-2.json');
    saveModel(first, model, meta);
    const loaded = loadModel(first);
    expect(loaded.meta).toEqual(meta);
    saveModel(second, loaded); // no meta given: the model's own is written
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
    expect(modelFromJSON(modelToJSON(loaded)).meta).toEqual(meta);
    // a model without meta has none, and an explicit meta wins over the model's own
    expect(mlp({ inputs: 1, layers: [{ units: 1 }] }).meta).toBeUndefined();
    expect(modelToJSON(loaded, { loss: 'mse' }).meta).toEqual({ loss: 'mse' });
  });

  it('leaves an existing file untouched when the write fails', () => {
    const path = join(dir, 'keep.json');
    writeFileSync(path, 'original');
    const model = mlp({ inputs: 2, layers: [{ units: 1 }] });
    expect(() => saveModel(join(dir, 'missing-dir', 'x.json'), model)).toThrow(
      /Cannot write .*missing-dir.*ENOENT/,
    );
    expect(readFileSync(path, 'utf8')).toBe('original');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names a missing file', () => {
    expect(() => loadModel(join(dir, 'nope.json'))).toThrow(/Cannot read model .*nope\.json: ENOENT/);
  });
});
