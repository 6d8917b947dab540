// Plugin authoring through the command line (issue 18, items 8 and 11): a configurable activation whose create
// returns { f, df } alone, a factory checked when the plugin is installed, every clash in one line with its fix,
// and model files that name the plugin of each name (meta.plugins) when it is missing.
import { describe, expect, it } from 'vitest';
import { readJson, runCli, softsignPlugin, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

const dir = tempDir('deltaflow-plugin-authoring-');
writeFiles(dir, {
  // as the guide writes it: nothing imported, create returns the two functions for its config
  'isru.mjs': `export default {
  name: 'isru-plugin',
  activations: [
    {
      name: 'isru',
      defaults: { a: 1 },
      create: ({ a }) => {
        if (!(a > 0)) throw new RangeError('a must be a positive number, got ' + a);
        return { f: (x) => x / Math.sqrt(1 + a * x * x), df: (x) => (1 / Math.sqrt(1 + a * x * x)) ** 3 };
      },
    },
  ],
};
`,
  'half.mjs': `export default {
  name: 'half-plugin',
  activations: [{ name: 'half', defaults: { a: 1 }, create: ({ a }) => ({ f: (x) => a * x }) }],
};
`,
  'clash.mjs': `export default {
  name: 'clash-plugin',
  activations: [
    { name: 'tanh', f: (x) => x, df: () => 1 },
    { name: 'mine', f: (x) => x, df: () => 1 },
    { name: 'relu', f: (x) => x, df: () => 1 },
  ],
  optimizers: [{ name: 'sgd', defaults: { lr: 0.1 }, init: () => ({}), update: () => {} }],
};
`,
  'softsign.mjs': softsignPlugin,
});

describe('plugin authoring on the command line', () => {
  it('a configurable activation returning { f, df } trains with its config, saved with its plugin in meta', async () => {
    const args = [
      '--plugin',
      './isru.mjs',
      '--activation',
      'isru:a=0.5',
      '--epochs',
      '20',
      '--save',
      'isru.json',
    ];
    const result = await runCli(['train', ...args, '--json'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const model = readJson<ModelFile>(dir, 'isru.json');
    expect(model.layers[0]!.activation).toEqual({ name: 'isru', config: { a: 0.5 } });
    expect(model.meta!.plugins).toEqual({ activation: { isru: 'isru-plugin' } });

    // without the plugin, the file names it and the flag to load it
    const missing = await runCli(['predict', '--model', 'isru.json', '--input', '0,1'], dir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(
      "the model was saved with 'isru' from the plugin isru-plugin: load that plugin first (--plugin isru-plugin).",
    );

    // a config create refuses: one line naming the plugin, the entry and create
    const refused = await runCli(['train', '--plugin', './isru.mjs', '--activation', 'isru:a=-1'], dir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim()).toBe(
      "deltaflow: --activation: the activation 'isru' of the plugin 'isru-plugin' failed: its create threw RangeError: a must be a positive number, got -1; fix the plugin, or run without it.",
    );
  });

  it('a factory whose create builds the wrong shape is refused when the plugin is installed', async () => {
    const result = await runCli(['plugins', '--plugin', './half.mjs'], dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      "deltaflow: The plugin 'half-plugin' was not installed (nothing of it is registered): activations[0] 'half' is malformed: its create({ a: 1 }) returned f(x) without df(x, y).",
    );
  });

  it('lists every clash in one line, with the fix, in every command', async () => {
    for (const command of ['plugins', 'train']) {
      const result = await runCli([command, '--plugin', './clash.mjs'], dir);
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim()).toBe(
        "deltaflow: The plugin 'clash-plugin' was not installed (nothing of it is registered): it adds the activations 'tanh' (from builtin), 'relu' (from builtin), the optimizer 'sgd' (from builtin), already registered (rename them in the plugin).",
      );
    }
  });

  it("--init without the plugin of the model's optimizer warns, naming the plugin", async () => {
    const saved = await runCli(
      ['train', '--plugin', './softsign.mjs', '--optimizer', 'signsgd', '--epochs', '5', '--save', 's.json'],
      dir,
    );
    expect(saved.code).toBe(0);
    expect(readJson<ModelFile>(dir, 's.json').meta!.plugins).toEqual({
      optimizer: { signsgd: 'softsign-plugin' },
    });
    const result = await runCli(['train', '--init', 's.json', '--epochs', '5', '--json'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr.trim()).toBe(
      "deltaflow: warning: the --init model was trained with the optimizer 'signsgd' of the plugin softsign-plugin, which is not loaded, so this run uses 'sgd'; add --plugin softsign-plugin to continue with it.",
    );
  });
});
