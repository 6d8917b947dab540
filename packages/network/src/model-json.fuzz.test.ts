// Property-based tests of the model-file reader (issue 17): whatever the text, parseModel returns a model whose
// stored weights are all finite, or throws a DeltaflowError E_MODEL whose one sentence names the file and the
// field; never another error. Memory: the model holds at most as many parameters as the text has characters.
import { fc, test } from '@fast-check/vitest';
import { fuzzParameters, fuzzTimeout } from '@deltaflow/test-fuzz';
import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect } from 'vitest';
import { parseModel } from './model-json.js';

/** Numbers a weight may be, extremes and all: beyond float32, subnormal, -0, the float32 limit itself. */
const weight = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e39, -1e39, 3.4028234663852886e38, 3.4028235677973366e38, 5e-324, -0, 1e308),
  fc.double({ min: -10, max: 10, noNaN: true }),
);

/** A model file (as data) that is valid, or nearly: sizes that match, weights from {@link weight}. */
const modelData = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
    dtype: fc.constantFrom('float32', 'float64', undefined),
    activation: fc.constantFrom('sigmoid', 'tanh', 'relu', {
      name: 'leaky-relu',
      config: { negativeSlope: 0.1 },
    }),
  })
  .chain(({ sizes, dtype, activation }) =>
    fc
      .tuple(
        ...sizes.slice(1).map((units, i) =>
          fc.record({
            weights: fc.array(fc.array(weight, { minLength: units, maxLength: units }), {
              minLength: sizes[i]!,
              maxLength: sizes[i]!,
            }),
            bias: fc.array(weight, { minLength: units, maxLength: units }),
          }),
        ),
      )
      .map((layers) => ({
        format: 'deltaflow-model',
        version: 1,
        ...(dtype ? { dtype } : {}),
        layers: layers.map((l, i) => ({
          type: 'dense',
          inputs: sizes[i]!,
          units: sizes[i + 1]!,
          activation,
          ...l,
        })),
      })),
  );

/** Sets `value` at a random place of `data` (a path of keys and indices chosen by `picks`). */
function plant(data: unknown, picks: number[], value: unknown): unknown {
  const root = structuredClone(data) as Record<string, unknown>;
  let node: unknown = root;
  for (const pick of picks) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[pick % keys.length]!;
    const child = (node as Record<string, unknown>)[key];
    if (typeof child !== 'object' || child === null || pick % 3 === 0) {
      (node as Record<string, unknown>)[key] = value;
      return root;
    }
    node = child;
  }
  return root;
}

/**
 * A marker for a value nested up to 100,000 levels deep in arrays or objects: its text is put in place after
 * JSON.stringify (which would overflow the stack on it), see {@link deepen}.
 */
const deep = fc
  .tuple(fc.integer({ min: 1, max: 100_000 }), fc.boolean())
  .map(([depth, arrays]) => `@@deep:${depth}:${arrays ? 'a' : 'o'}@@`);

/** The text with its deep markers replaced by the nested values' text. */
const deepen = (text: string): string =>
  text.replace(/"@@deep:(\d+):([ao])@@"/g, (_, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'a' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });

const hostileValue = fc.oneof(
  fc.jsonValue(),
  deep,
  weight,
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(null, -1, 0, 1.5, 1e9, '', [], {}, 'dense', 'dropout', 'float16'),
);

/** Model-file text: valid, mutated at one place, cut short, or any JSON at all; numbers beyond a double too. */
const modelText = fc.oneof(
  modelData.map((m) => JSON.stringify(m)),
  fc
    .tuple(modelData, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), hostileValue)
    .map(([m, picks, v]) => deepen(JSON.stringify(plant(m, picks, v)) ?? 'null')),
  fc.tuple(modelData, fc.double({ min: 0, max: 1 })).map(([m, at]) => {
    const text = JSON.stringify(m);
    return text.slice(0, Math.floor(text.length * at));
  }),
  modelData.map((m) => JSON.stringify(m).replace(/(\d)(,|\])/, '$1e400$2')),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
);

/** The one-sentence shape of every refusal: names the file, a single line, ends with a full stop. */
function expectOneSentence(error: unknown): void {
  expect(error).toBeInstanceOf(DeltaflowError);
  const { code, message } = error as DeltaflowError;
  expect(code).toBe('E_MODEL');
  expect(message.startsWith('Model fuzz.json: ')).toBe(true);
  expect(message).not.toMatch(/\n/);
  expect(message.endsWith('.')).toBe(true);
  expect(message.length).toBeLessThan(400);
}

describe('parseModel, property-based', () => {
  test.prop([modelText], fuzzParameters(300))(
    'a model with finite stored weights, or an E_MODEL sentence naming the file and field',
    (text) => {
      let model: ReturnType<typeof parseModel>;
      try {
        model = parseModel(text, 'fuzz.json');
      } catch (error) {
        expectOneSentence(error);
        return;
      }
      let parameters = 0;
      for (const layer of model.layers) {
        for (const v of layer.weights.data) expect(Number.isFinite(v)).toBe(true);
        for (const v of layer.bias.data) expect(Number.isFinite(v)).toBe(true);
        parameters += layer.weights.data.length + layer.bias.data.length;
      }
      // memory bounded by the input: every parameter was a number in the text
      expect(parameters).toBeLessThanOrEqual(text.length);
    },
    fuzzTimeout(60_000, 300),
  );
});
