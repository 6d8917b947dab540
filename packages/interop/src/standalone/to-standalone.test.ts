import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerActivation, erfc } from '@deltaflow/activations';
import { DeltaflowError } from '@deltaflow/core';
import { mlp } from '@deltaflow/network';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadStandalone } from '../../test/standalone-helpers.js';
import { ACTIVATIONS, label, randomInputs, reference, testModel } from '../testing/models.js';
import { ERFC_SOURCE } from './erfc-source.js';
import { toStandaloneModule } from './to-standalone.js';

const load = loadStandalone;

function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    expect(row.length).toBe(expected[r]!.length);
    row.forEach((v, k) => {
      const e = expected[r]![k]!;
      const error = Math.abs(v - e);
      if (!(error <= tolerance * Math.max(1, Math.abs(e)))) {
        expect.fail(`row ${r} output ${k}: ${v} differs from the network's ${e} by ${error}`);
      }
    });
  });
}

describe('toStandaloneModule: the module computes what the network computes', () => {
  // 60 rows through the 16 x 12 layer take the kernel's packed path (more than 4096 multiply-adds), single rows the small one.
  const rows = randomInputs(60, 3);
  for (const activation of ACTIVATIONS) {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const scaler of [false, true]) {
        it(`${label(activation)}, ${dtype}, ${scaler ? 'with' : 'without'} a scaler`, async () => {
          const model = testModel(activation, { dtype, scaler });
          const mod = await load(toStandaloneModule(model).js);
          const expected = reference(model, rows);
          const batch = mod.predictBatch(rows);
          const single = rows.slice(0, 8).map((row) => mod.predict(row));
          const singleExpected = rows.slice(0, 8).map((row) => reference(model, [row])[0]!);
          if (dtype === 'float64') {
            expect(batch).toEqual(expected); // toEqual tells -0 from 0 and compares exact doubles
            expect(single).toEqual(singleExpected);
          } else {
            // float32 rounds where the network's TypeScript kernels round: the same numbers, within 1e-6 (in
            // fact bit for bit) ...
            const js = reference(model, rows, { js: true });
            expectClose(batch, js, 1e-6);
            expect(batch).toEqual(js);
            expect(single).toEqual(rows.slice(0, 8).map((row) => reference(model, [row], { js: true })[0]!));
            // ... and within float32's own rounding of whatever backend deltaflow picked. WebAssembly sums
            // float32 products in another order: on these wider layers (16 and 12 units, inputs up to 16 after
            // the scaler) deltaflow's two backends differ from each other by up to 1.25e-6, and ONNX Runtime
            // from either by up to 1.7e-6. The 1e-6 check on onnx-runtime.test.ts's models is the one of ONNX.
            expectClose(batch, expected, 2e-6);
            expectClose(single, singleExpected, 2e-6);
          }
        });
      }
    }
  }

  it('sums in blocks of 256 inputs like the packed kernel (300 inputs, float64, bit for bit)', async () => {
    const model = testModel('tanh', { dtype: 'float64', sizes: [300, 20, 2], scaler: true });
    const mod = await load(toStandaloneModule(model).js);
    const rows = randomInputs(5, 300, 3);
    expect(mod.predictBatch(rows)).toEqual(reference(model, rows));
    expect(mod.predict(rows[0]!)).toEqual(reference(model, [rows[0]!])[0]);
  });

  it('embeds dropout as nothing (identity at inference) and exports the facts of the model', async () => {
    const model = testModel('relu', {
      dtype: 'float64',
      dropout: 0.3,
      classNames: ['a', 'b', 'c'],
      scaler: true,
    });
    const mod = await load(toStandaloneModule(model).js);
    const rows = randomInputs(4, 3, 5);
    expect(mod.predictBatch(rows)).toEqual(reference(model, rows));
    expect(mod.dtype).toBe('float64');
    expect(mod.inputs).toBe(3);
    expect(mod.outputs).toBe(3);
    expect(mod.classNames).toEqual(['a', 'b', 'c']);
    expect(mod.scaler?.offset).toEqual((model.meta!['scaler'] as { offset: number[] }).offset);
    const out = mod.predict(rows[0]!);
    expect(mod.classify(rows[0]!)).toBe(['a', 'b', 'c'][out.indexOf(Math.max(...out))]);
  });

  it('refuses an input of the wrong length with a RangeError', async () => {
    const mod = await load(toStandaloneModule(testModel('tanh', { dtype: 'float64' })).js);
    expect(() => mod.predict([1, 2])).toThrow(/must hold 3 numbers/);
    expect(mod.predictBatch([])).toEqual([]);
  });

  it('writes a .d.ts that declares every export', () => {
    const { dts } = toStandaloneModule(
      testModel('sigmoid', { dtype: 'float32', classNames: ['x', 'y', 'z'] }),
    );
    for (const name of [
      'predict(',
      'predictBatch(',
      'classify(',
      'dtype:',
      'inputs:',
      'outputs:',
      'classNames:',
    ]) {
      expect(dts).toContain(name);
    }
    expect(dts).toContain('classify(input: ArrayLike<number>): string;');
  });

  it('writes a .d.ts that type-checks a consumer, and rejects a wrong use', async () => {
    const ts = (await import('typescript')).default;
    const sub = mkdtempSync(join(tmpdir(), 'deltaflow-standalone-dts-'));
    onTestFinished(() => rmSync(sub, { recursive: true, force: true }));
    const { js, dts } = toStandaloneModule(
      testModel('tanh', { dtype: 'float32', classNames: ['x', 'y', 'z'] }),
    );
    writeFileSync(join(sub, 'model.js'), js);
    writeFileSync(join(sub, 'model.d.ts'), dts);
    writeFileSync(
      join(sub, 'use.ts'),
      [
        "import { classify, classNames, dtype, predict, predictBatch } from './model.js';",
        'const one: number[] = predict([1, 2, 3]);',
        'const many: number[][] = predictBatch([[1, 2, 3], new Float32Array(3)]);',
        'const label: string = classify([0, 0, 0]);',
        "const kind: 'float32' = dtype;",
        'const names: readonly string[] = classNames;',
        'export { one, many, label, kind, names };',
      ].join('\n'),
    );
    writeFileSync(
      join(sub, 'wrong.ts'),
      "import { predict } from './model.js';\nconst s: string = predict('abc');\nexport { s };\n",
    );
    const check = (file: string): string[] => {
      const program = ts.createProgram([join(sub, file)], {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        types: [],
        lib: ['lib.es2022.d.ts'],
      });
      return ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    };
    expect(check('use.ts')).toEqual([]);
    expect(check('wrong.ts').length).toBeGreaterThan(0);
  }, 60_000);

  it('embeds an erfc equal to the activations package one, bit for bit', () => {
    const embedded = new Function(`${ERFC_SOURCE}\nreturn erfc;`)() as (x: number) => number;
    const xs = [
      -30, -6, -5.9, -3, -1.3, -1, -0.9, -0.3, -1e-20, 0, 1e-20, 0.2, 0.26, 0.8, 1.1, 2, 2.9, 5.5, 27, 29,
    ];
    for (let x = -7; x <= 7; x += 0.0137) xs.push(x);
    for (const x of xs) expect(Object.is(embedded(x), erfc(x))).toBe(true);
  });
});

describe('toStandaloneModule: plugin activations', () => {
  registerActivation({
    name: 'test-softsign',
    f: (x) => x / (1 + Math.abs(x)),
    df: (x) => 1 / (1 + Math.abs(x)) ** 2,
  });
  registerActivation({
    name: 'test-method',
    f(x: number) {
      return x > 0 ? x : 0.5 * x;
    },
    df: (x: number) => (x > 0 ? 1 : 0.5),
  });
  const k = 1.5;
  registerActivation({ name: 'test-closure', f: (x) => k * x, df: () => k });
  registerActivation({ name: 'test-native', f: Math.atan, df: (x) => 1 / (1 + x * x) });
  const bound = function (this: { s: number }, x: number): number {
    return this.s * x;
  }.bind({ s: 2 });
  registerActivation({ name: 'test-bound', f: bound, df: () => 2 });
  registerActivation({
    name: 'test-factory',
    defaults: { a: 1 },
    create: () => {
      throw new Error('not used');
    },
  });

  it.each(['test-softsign', 'test-method'])(
    'embeds the f of %s and matches the network bit for bit',
    async (name) => {
      const model = testModel(name, { dtype: 'float64', scaler: true });
      const { js } = toStandaloneModule(model);
      expect(js).toContain(`the plugin activation '${name}'`);
      const mod = await load(js);
      const rows = randomInputs(10, 3, 8);
      expect(mod.predictBatch(rows)).toEqual(reference(model, rows));
    },
  );

  it.each([
    ['test-closure', /uses something outside itself/],
    ['test-native', /native or bound function/],
    ['test-bound', /native or bound function/],
  ])('refuses %s, naming it and the reason', (name, reason) => {
    const model = mlp({ inputs: 2, layers: [{ units: 2, activation: name }, { units: 1 }] });
    let error: unknown;
    try {
      toStandaloneModule(model);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_DEFINITION');
    expect((error as DeltaflowError).message).toContain(`'${name}'`);
    expect((error as DeltaflowError).message).toMatch(reason);
  });

  it('where eval is forbidden (a page with a Content-Security-Policy), decides by parsing alone', async () => {
    const { pluginFunctionSource } = await import('./plugin-source.js');
    const forbidden = (): never => {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    };
    const model = testModel('test-softsign', { dtype: 'float64', scaler: true });
    expect(toStandaloneModule(model, { evaluate: false }).js).toBe(toStandaloneModule(model).js);
    expect(pluginFunctionSource('test-softsign', forbidden)).toBe(pluginFunctionSource('test-softsign'));
    expect(pluginFunctionSource('test-method', forbidden)).toBe(pluginFunctionSource('test-method'));
    expect(() => pluginFunctionSource('test-closure', forbidden)).toThrow(
      /'test-closure'.*uses something outside itself \('k'\)/,
    );
  });

  it('refuses a factory activation, whose f lives inside create()', async () => {
    const { pluginFunctionSource } = await import('./plugin-source.js');
    expect(() => pluginFunctionSource('test-factory')).toThrow(/'test-factory'.*factory with a config/);
    expect(() => pluginFunctionSource('test-unknown')).toThrow(/'test-unknown'.*not registered/);
  });
});
