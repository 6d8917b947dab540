import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { modelFromJSON, parseModel } from './model-json.js';

/** A one-layer model file (2 inputs, 1 unit) with the given weight rows, as text. */
const file = (weights: string, dtype = ''): string =>
  `{"format":"deltaflow-model","version":1,${dtype}"layers":[{"type":"dense","inputs":2,"units":1,"activation":"sigmoid","weights":${weights},"bias":[0]}]}`;

const refusal = (run: () => unknown): DeltaflowError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return error as DeltaflowError;
  }
  throw new Error('not refused');
};

describe('hostile model files', () => {
  it('refuses a float32 weight beyond the float32 limit, naming it and suggesting float64', () => {
    const error = refusal(() => parseModel(file('[[1],[1e39]]'), 'big.json'));
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toBe(
      'Model big.json: layers[0].weights[1][0] is 1e+39, beyond the float32 limit of ±3.4028234663852886e+38 (it would be stored as Infinity); give the file "dtype": "float64" (train with --dtype float64) to keep such a weight.',
    );
    // the same weight is fine in a float64 model, and the float32 maximum itself is fine
    expect(parseModel(file('[[1],[1e39]]', '"dtype":"float64",')).layers[0]!.weights.data[1]).toBe(1e39);
    expect(parseModel(file('[[1],[3.4028234663852886e38]]')).layers[0]!.weights.data[1]).toBe(
      3.4028234663852886e38,
    );
    expect(
      refusal(() => parseModel(file('[[1],[1]]').replace('"bias":[0]', '"bias":[-1e39]'))).message,
    ).toMatch(/layers\[0\]\.bias\[0\] is -1e\+39, beyond the float32 limit/);
  });

  it('refuses the shrunk counterexample of the fuzz test: a bias just past the float32 limit, which rounds to Infinity', () => {
    // 3.4028235677973366e38 > FLT_MAX, and Math.fround gives Infinity (the float32 half-way point rounds up)
    const text =
      '{"format":"deltaflow-model","version":1,"dtype":"float32","layers":[{"type":"dense","inputs":2,"units":1,"activation":"sigmoid","weights":[[0],[0]],"bias":[3.4028235677973366e+38]}]}';
    expect(refusal(() => parseModel(text, 'edge.json')).message).toMatch(
      /^Model edge\.json: layers\[0\]\.bias\[0\] is 3\.4028235677973366e\+38, beyond the float32 limit/,
    );
  });

  it('reports 1e400 (Infinity once parsed) as out of range, never as null', () => {
    const error = refusal(() => parseModel(file('[[1e400],[1]]'), 'inf.json'));
    expect(error.message).toBe(
      'Model inf.json: layers[0].weights[0][0] is Infinity (out of the range of a double, e.g. 1e400), expected a finite number.',
    );
    expect(error.message).not.toMatch(/null/);
  });

  it('refuses weights nested 100,000 deep with one sentence (no stack overflow)', () => {
    const depth = 100_000;
    const text = file(`[${'['.repeat(depth)}1${']'.repeat(depth)},[1]]`);
    const error = refusal(() => parseModel(text, 'deep.json'));
    expect(error.message).toBe(
      'Model deep.json: layers[0].weights[0][0] is an array of 1 item, expected a finite number.',
    );
    // the same for a deep value in any other field
    const deepType = JSON.parse(file('[[1],[1]]')) as { layers: Record<string, unknown>[] };
    let deep: unknown = 'x';
    for (let i = 0; i < depth; i++) deep = [deep];
    deepType.layers[0]!.type = deep;
    expect(refusal(() => modelFromJSON(deepType)).message).toBe(
      'Model: layers[0].type is an array of 1 item, expected "dense" or "dropout".',
    );
  });

  it('refuses a meta nested deeper than 64 levels (it would overflow JSON.stringify when saved)', () => {
    const json = JSON.parse(file('[[1],[1]]')) as Record<string, unknown>;
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    json.meta = deep;
    expect(refusal(() => modelFromJSON(json, 'meta.json')).message).toBe(
      'Model meta.json: meta nests deeper than 64 levels; keep it to plain information.',
    );
    let shallow: unknown = 1;
    for (let i = 0; i < 20; i++) shallow = { a: shallow };
    json.meta = { shallow };
    expect(modelFromJSON(json).meta).toEqual({ shallow });
  });

  it('cuts a long text in a message', () => {
    const json = JSON.parse(file('[[1],[1]]')) as Record<string, unknown>;
    json.format = 'x'.repeat(1_000_000);
    const { message } = refusal(() => modelFromJSON(json));
    expect(message.length).toBeLessThan(120);
  });
});
