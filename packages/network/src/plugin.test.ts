import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activations, getActivation } from '@deltaflow/activations';
import { pluginRegistries } from '@deltaflow/core';
import { getLoss, losses } from '@deltaflow/losses';
import { Tensor } from '@deltaflow/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { gradientCheck } from './gradient-check.js';
import { modelFromJSON, modelToJSON } from './model-json.js';
import { definePlugin, installPlugin } from './plugin.js';
import { loadPlugin } from './plugin-loader.js';
import { mlp } from './sequential.js';

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-plugin-'));
// A plugin written as a plain module with no imports, as docs/guides/writing-a-plugin.md shows.
const source = `export default {
  name: 'test-plugin',
  activations: [{ name: 'softsign-test', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2 }],
  optimizers: [{ name: 'signsgd-test', defaults: { lr: 0.01 }, init: () => ({}),
    update: (param, grad, state, options) => { for (let i = 0; i < param.length; i++) param[i] -= options.lr * Math.sign(grad[i]); } }],
};
`;
writeFileSync(join(dir, 'plugin.mjs'), source);

const optimizers = pluginRegistries.optimizer;
afterEach(() => {
  activations.unregister('softsign-test');
  optimizers.unregister('signsgd-test');
  losses.unregister('l1-test');
});

describe('plugins', () => {
  it('a module with no imports loads, installs, and its activation works in models, files and gradient checks', async () => {
    installPlugin(await loadPlugin('./plugin.mjs', { cwd: dir }));
    expect(activations.source('softsign-test')).toBe('test-plugin');
    expect(optimizers.source('signsgd-test')).toBe('test-plugin');
    const model = mlp({
      inputs: 2,
      layers: [{ units: 3, activation: 'softsign-test' }, { units: 1 }],
      seed: 1,
      dtype: 'float64',
    });
    const again = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(model))));
    expect(again.layers[0]!.activation.name).toBe('softsign-test');
    const x = Tensor.fromNested(
      [
        [0.3, -0.7],
        [1.2, 0.4],
      ],
      'float64',
    );
    const t = Tensor.fromNested([[0.2], [0.9]], 'float64');
    expect(gradientCheck(model, x, t, 'mse').worst).toBeLessThan(1e-6);
  });

  it('without the plugin, a model naming its activation is refused with the name and installPlugin', () => {
    const json = {
      format: 'deltaflow-model',
      version: 1,
      layers: [
        { type: 'dense', inputs: 1, units: 1, activation: 'softsign-test', weights: [[1]], bias: [0] },
      ],
    };
    expect(() => modelFromJSON(json, 'm.json')).toThrow(
      /Unknown activation 'softsign-test'.*a plugin may add it \(installPlugin\)/,
    );
  });

  it('refuses a clashing plugin whole, naming every clash: nothing of it is installed', () => {
    const clash = definePlugin({
      name: 'clash',
      activations: [
        { name: 'softsign-test', f: (x: number) => x, df: () => 1 },
        { name: 'sigmoid', f: (x: number) => x, df: () => 1 },
      ],
      losses: [{ name: 'mse', f: () => 0, df: () => undefined }],
    });
    expect(() => installPlugin(clash)).toThrow(
      "The plugin 'clash' was not installed (nothing of it is registered): it adds the activation 'sigmoid' " +
        "(from builtin), the loss 'mse' (from builtin), already registered (rename them in the plugin, or install " +
        'the plugin with { replace: true } to override them).',
    );
    expect(activations.has('softsign-test')).toBe(false);
    expect(activations.source('sigmoid')).toBe('builtin');
  });

  it('leaves nothing registered when one entry is malformed, and installs once it is fixed', () => {
    const l1 = {
      name: 'l1-test',
      f: (o: Float64Array | Float32Array, t: Float64Array | Float32Array) => Math.abs(o[0]! - t[0]!),
      df: (
        o: Float64Array | Float32Array,
        t: Float64Array | Float32Array,
        out: Float64Array | Float32Array,
      ) => {
        out[0] = Math.sign(o[0]! - t[0]!);
      },
    };
    const softsign = {
      name: 'softsign-test',
      f: (x: number) => x / (1 + Math.abs(x)),
      df: (x: number) => 1 / (1 + Math.abs(x)) ** 2,
    };
    const broken = { name: 'broken', defaults: { lr: 0.1 }, init: () => ({}) }; // no update
    expect(() =>
      installPlugin({ name: 'half', activations: [softsign], losses: [l1], optimizers: [broken as never] }),
    ).toThrow(/optimizers\[0\] 'broken' is malformed: init and update must be functions/);
    expect([activations.has('softsign-test'), losses.has('l1-test'), optimizers.has('broken')]).toEqual([
      false,
      false,
      false,
    ]);
    installPlugin({ name: 'half', activations: [softsign], losses: [l1] });
    expect(getActivation('softsign-test').name).toBe('softsign-test');
    expect(getLoss('l1-test').forward(Tensor.fromNested([[3]]), Tensor.fromNested([[1]]))).toBe(2);
  });

  it('names a missing module and a module that is not a plugin', async () => {
    await expect(loadPlugin('./missing.mjs', { cwd: dir })).rejects.toThrow(
      /Cannot find the plugin module \.\/missing\.mjs/,
    );
    await expect(loadPlugin('no-such-plugin-package', { cwd: dir })).rejects.toThrow(
      /Cannot find the plugin package 'no-such-plugin-package'/,
    );
    writeFileSync(join(dir, 'not-plugin.mjs'), 'export default 42;\n');
    await expect(loadPlugin('./not-plugin.mjs', { cwd: dir })).rejects.toThrow(/is not a deltaflow plugin/);
    writeFileSync(join(dir, 'broken.mjs'), 'export default {\n');
    await expect(loadPlugin('./broken.mjs', { cwd: dir })).rejects.toThrow(/failed to load/);
  });

  it('hints at installing the peers when a plugin imports a deltaflow package its folder cannot find', async () => {
    // a plugin outside any project with node_modules/@deltaflow, as a global deltaflow meets a local plugin
    writeFileSync(
      join(dir, 'needs-peer.mjs'),
      "import { definePlugin } from '@deltaflow/core';\nexport default definePlugin({ name: 'needs-peer' });\n",
    );
    await expect(loadPlugin('./needs-peer.mjs', { cwd: dir })).rejects.toThrow(
      /failed to load: .*'@deltaflow\/core'.*; the plugin imports @deltaflow\/core at run time, which must be installed where the plugin is: run npm install @deltaflow\/core in the plugin's project/,
    );
  });
});
