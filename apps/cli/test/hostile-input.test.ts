// Hostile input through the real command (issue 17): model weights beyond float32, 1e400, weights nested
// 100,000 deep, and plugins whose functions throw or whose lists are not lists. Each is refused in one line that
// names the place (the weight, the plugin and its entry), never as an internal error.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

describe('hostile model files', () => {
  const dir = tempDir();

  it('predict and gradcheck refuse a float32 weight of 1e39 (stored, it would be Infinity)', async () => {
    const trained = await runCli(['train', '--epochs', '20', '--quiet', '--save', 'm.json'], dir);
    expect(trained.code).toBe(0);
    const model = readJson<ModelFile>(dir, 'm.json');
    expect(model.dtype).toBe('float32');
    // JSON.stringify writes 1e39 as 1e+39
    const big = JSON.stringify({
      ...model,
      layers: model.layers.map((l, i) =>
        i === 0 ? { ...l, weights: [[1e39, ...l.weights[0]!.slice(1)], ...l.weights.slice(1)] } : l,
      ),
    });
    writeFiles(dir, { 'big.json': big, 'inf.json': big.replace('1e+39', '1e400') });
    const expected =
      'deltaflow: Model big.json: layers[0].weights[0][0] is 1e+39, beyond the float32 limit of ±3.4028234663852886e+38 (it would be stored as Infinity); give the file "dtype": "float64" (train with --dtype float64) to keep such a weight.\n';
    const predict = await runCli(['predict', '--model', 'big.json', '--input', '1,0'], dir);
    expect(predict).toMatchObject({ code: 1, stdout: '', stderr: expected });
    const gradcheck = await runCli(['gradcheck', '--model', 'big.json'], dir);
    expect(gradcheck).toMatchObject({ code: 1, stdout: '', stderr: expected });
    // in a float64 model the same weight is kept
    writeFiles(dir, { 'big64.json': big.replace('"dtype":"float32"', '"dtype":"float64"') });
    const wide = await runCli(['predict', '--model', 'big64.json', '--input', '1,0'], dir);
    expect(wide.code).toBe(0);

    const infinite = await runCli(['gradcheck', '--model', 'inf.json'], dir);
    expect(infinite.code).toBe(1);
    expect(infinite.stderr).toBe(
      'deltaflow: Model inf.json: layers[0].weights[0][0] is Infinity (out of the range of a double, e.g. 1e400), expected a finite number.\n',
    );
  });

  it('refuses weights nested 100,000 deep in one line, not "Maximum call stack size exceeded"', async () => {
    const depth = 100_000;
    writeFiles(dir, {
      'deep.json': `{"format":"deltaflow-model","version":1,"layers":[{"type":"dense","inputs":2,"units":1,"activation":"sigmoid","weights":[${'['.repeat(depth)}1${']'.repeat(depth)},[1]],"bias":[0]}]}`,
    });
    const result = await runCli(['predict', '--model', 'deep.json', '--input', '1,0'], dir);
    expect(result).toMatchObject({
      code: 1,
      stderr:
        'deltaflow: Model deep.json: layers[0].weights[0][0] is an array of 1 item, expected a finite number.\n',
    });
  });
});

describe('plugins that throw, or are malformed', () => {
  const dir = tempDir();
  writeFiles(dir, {
    'boom.mjs': `export default { name: 'boom-plugin', activations: [{ name: 'boom', f: () => { throw new Error('f exploded'); }, df: () => 1 }] };\n`,
    'string.mjs': `export default { name: 'string-plugin', activations: 'softsign' };\n`,
    'init.mjs': `export default { name: 'init-plugin', optimizers: [{ name: 'badopt', defaults: { lr: 0.1 }, init: () => { throw new Error('init exploded'); }, update: () => undefined }] };\n`,
  });

  it('an activation whose f throws: one line naming the plugin and the entry, exit 70 (a bug in the plugin), nothing saved', async () => {
    const result = await runCli(
      [
        'train',
        '--plugin',
        './boom.mjs',
        '--activation',
        'boom',
        '--epochs',
        '2',
        '--quiet',
        '--save',
        'out.json',
      ],
      dir,
    );
    expect(result.code).toBe(70);
    expect(result.stderr).toBe(
      "deltaflow: The activation 'boom' of the plugin 'boom-plugin' failed: its f threw Error: f exploded; fix the plugin, or run without it.\n",
    );
    expect(readdirSync(dir)).not.toContain('out.json');
  });

  it("activations: 'softsign' (a text, not a list): one sentence naming the field", async () => {
    const result = await runCli(['plugins', '--plugin', './string.mjs'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `deltaflow: The plugin 'string-plugin' was not installed (nothing of it is registered): its field activations is "softsign", but must be a list of entries (activations: [{ name, ... }, ...]).\n`,
    );
  });

  it('an optimizer whose init throws: not a usage error (exit 70, a bug in the plugin), naming the plugin and the entry', async () => {
    const result = await runCli(
      ['train', '--plugin', './init.mjs', '--optimizer', 'badopt', '--epochs', '2', '--quiet'],
      dir,
    );
    expect(result.code).toBe(70);
    expect(result.stderr).toBe(
      "deltaflow: The optimizer 'badopt' of the plugin 'init-plugin' failed: its init threw Error: init exploded; fix the plugin, or run without it.\n",
    );
  });
});
