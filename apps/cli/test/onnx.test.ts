// deltaflow export --format onnx and deltaflow import --from x.onnx, through the built CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, softsignPlugin, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

const dir = tempDir('deltaflow-cli-onnx-');

beforeAll(async () => {
  const { code } = await runCli(
    ['train', '--data', 'iris', '--epochs', '5', '--normalize', '--save', 'iris.json'],
    dir,
  );
  expect(code).toBe(0);
}, 120_000);

describe('deltaflow export --format onnx', () => {
  it('writes an ONNX file that imports back to the same model file, scaler and class names included', async () => {
    const exported = await runCli(
      ['export', '--model', 'iris.json', '--format', 'onnx', '--out', 'iris.onnx'],
      dir,
    );
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(
      /^Wrote iris\.onnx: ONNX opset 17, float32, 2 dense layers, with the input scaler and class names \(\d+ bytes\)\.\n$/,
    );
    const imported = await runCli(['import', '--from', 'iris.onnx', '--save', 'back.json'], dir);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const original = readJson<ModelFile>(dir, 'iris.json');
    const back = readJson<ModelFile>(dir, 'back.json');
    expect(imported.stdout).toBe(`Wrote back.json: a float32 ${shape(original)} network from iris.onnx.\n`);
    expect(back.layers).toEqual(original.layers);
    expect(back.meta).toEqual(original.meta);
    const predict = (model: string) =>
      runCli(['predict', '--model', model, '--input', '5.1,3.5,1.4,0.2', '--json'], dir);
    expect((await predict('back.json')).stdout).toBe((await predict('iris.json')).stdout);
  });

  it('--dtype float64 writes float64 weights', async () => {
    const { code } = await runCli(
      ['export', '--model', 'iris.json', '--format', 'onnx', '--out', 'wide.onnx', '--dtype', 'float64'],
      dir,
    );
    expect(code).toBe(0);
    await runCli(['import', '--from', 'wide.onnx', '--save', 'wide.json'], dir);
    expect(readJson<ModelFile>(dir, 'wide.json').dtype).toBe('float64');
  });

  it('exports a plugin activation only when it has an onnx lowering, loading the plugin with --plugin', async () => {
    writeFiles(dir, { 'softsign.mjs': softsignPlugin });
    const trained = await runCli(
      [
        'train',
        '--plugin',
        './softsign.mjs',
        '--activation',
        'softsign',
        '--epochs',
        '2',
        '--save',
        'soft.json',
      ],
      dir,
    );
    expect(trained.code).toBe(0);
    const refused = await runCli(
      [
        'export',
        '--plugin',
        './softsign.mjs',
        '--model',
        'soft.json',
        '--format',
        'onnx',
        '--out',
        'soft.onnx',
      ],
      dir,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^deltaflow: The activation 'softsign' has no ONNX lowering, so the model cannot be exported to ONNX; .*\n$/,
    );
    // the same plugin with a lowering: O = x / (1 + |x|) as Div(x, Add(Abs(x), 1))
    writeFiles(dir, {
      'softsign-onnx.mjs': softsignPlugin.replace(
        'df: (x) => 1 / (1 + Math.abs(x)) ** 2 },',
        "df: (x) => 1 / (1 + Math.abs(x)) ** 2, onnx: (b, x) => b.op('Div', [x, b.op('Add', [b.op('Abs', [x]), b.constant(1)])]) },",
      ),
    });
    const ok = await runCli(
      [
        'export',
        '--plugin',
        './softsign-onnx.mjs',
        '--model',
        'soft.json',
        '--format',
        'onnx',
        '--out',
        'soft.onnx',
      ],
      dir,
    );
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    await runCli(
      ['import', '--plugin', './softsign-onnx.mjs', '--from', 'soft.onnx', '--save', 'soft-back.json'],
      dir,
    );
    expect(readJson<ModelFile>(dir, 'soft-back.json').layers).toEqual(
      readJson<ModelFile>(dir, 'soft.json').layers,
    );
  });

  it('refuses a missing model, an unwritable path and an unknown format in one line', async () => {
    const missing = await runCli(
      ['export', '--model', 'nope.json', '--format', 'onnx', '--out', 'x.onnx'],
      dir,
    );
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'deltaflow: Cannot read the model file nope.json (--model): there is no such file.\n',
    ]);
    const unwritable = await runCli(
      ['export', '--model', 'iris.json', '--format', 'onnx', '--out', join('no-such-dir', 'x.onnx')],
      dir,
    );
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).toContain('no-such-dir');
    const format = await runCli(['export', '--model', 'iris.json', '--format', 'keras', '--out', 'x'], dir);
    expect(format.code).toBe(2);
    expect(format.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('deltaflow import --from x.onnx', () => {
  it('refuses a file that is not ONNX, a graph it cannot read (naming the node), and an unknown extension', async () => {
    writeFileSync(join(dir, 'junk.onnx'), 'not a model');
    const junk = await runCli(['import', '--from', 'junk.onnx', '--save', 'x.json'], dir);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^deltaflow: fromOnnx: the bytes are not an ONNX model .*\n$/);
    const other = await runCli(['import', '--from', 'iris.json', '--save', 'x.json'], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--from iris\.json: deltaflow imports \.onnx and \.safetensors files/);
    const missing = await runCli(['import', '--from', 'none.onnx', '--save', 'x.json'], dir);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'deltaflow: Cannot read the ONNX file none.onnx (--from): there is no such file.\n',
    ]);
  });

  it('imports the torch.onnx.export fixture of @deltaflow/interop', async () => {
    const fixture = new URL(
      '../../../packages/interop/test-fixtures/torch/mlp-float32.onnx',
      import.meta.url,
    );
    writeFileSync(join(dir, 'torch.onnx'), readFileSync(fixture));
    const { code, stdout } = await runCli(['import', '--from', 'torch.onnx', '--save', 'torch.json'], dir);
    expect(code).toBe(0);
    expect(stdout).toBe('Wrote torch.json: a float32 4-8-6-5-3 network from torch.onnx.\n');
  });
});

function shape(model: ModelFile): string {
  return [model.layers[0]!.inputs, ...model.layers.map((l) => l.units)].join('-');
}
