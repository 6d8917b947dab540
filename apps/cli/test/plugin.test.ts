// A third-party plugin (a plain .mjs file with no imports) through every command, and a model that needs it.
import { describe, expect, it } from 'vitest';
import { lastLine, readJson, runCli, softsignPlugin, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

describe('--plugin', () => {
  const dir = tempDir();
  writeFiles(dir, { 'softsign.mjs': softsignPlugin });
  const plugin = ['--plugin', './softsign.mjs'];

  it('plugins lists what the plugin adds, with its name as the source', async () => {
    const { code, stdout } = await runCli(['plugins', ...plugin, '--json'], dir);
    expect(code).toBe(0);
    const list = JSON.parse(lastLine(stdout)) as Record<string, { name: string; source: string }[]>;
    expect(list.activations).toContainEqual({ name: 'softsign', source: 'softsign-plugin' });
    expect(list.optimizers).toContainEqual({ name: 'signsgd', source: 'softsign-plugin' });
    expect(list.activations).toContainEqual({ name: 'sigmoid', source: 'builtin' });
    const text = await runCli(['plugins', ...plugin], dir);
    expect(text.stdout).toMatch(/activation +│ softsign +│ softsign-plugin/);
  });

  it('gradcheck checks the plugin activation', async () => {
    // circle: no input row is all zeros, where softsign's second derivative jumps and differences lose accuracy
    const { code, stdout } = await runCli(
      ['gradcheck', ...plugin, '--activation', 'softsign', '--data', 'circle', '--json'],
      dir,
    );
    expect(code).toBe(0);
    const result = JSON.parse(lastLine(stdout)) as { passed: boolean; worst: number };
    expect(result.passed).toBe(true);
    expect(result.worst).toBeLessThan(1e-6);
  });

  it('train --save with the plugin activation and optimizer, then predict with the plugin', async () => {
    const train = await runCli(
      [
        'train',
        ...plugin,
        '--activation',
        'softsign',
        '--optimizer',
        'signsgd',
        '--lr',
        '0.02',
        '--epochs',
        '300',
        '--save',
        'softsign.json',
        '--json',
      ],
      dir,
    );
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(JSON.parse(lastLine(train.stdout))).toMatchObject({ reason: 'completed', saved: 'softsign.json' });
    const saved = readJson<ModelFile>(dir, 'softsign.json');
    expect(saved.layers.map((l) => l.activation)).toEqual(['softsign', 'sigmoid']);
    expect(saved.meta).toMatchObject({ optimizer: 'signsgd', optimizerOptions: { lr: 0.02 } });

    const predict = await runCli(
      ['predict', ...plugin, '--model', 'softsign.json', '--input', '0,1', '--json'],
      dir,
    );
    expect(predict.code).toBe(0);
    const { predictions } = JSON.parse(lastLine(predict.stdout)) as {
      predictions: { output: number[]; label: string }[];
    };
    expect(predictions[0]!.output).toHaveLength(1);
    expect(['0', '1']).toContain(predictions[0]!.label);
  });

  it('without the plugin, predict with that model fails naming the activation and the --plugin flag', async () => {
    const { code, stdout, stderr } = await runCli(
      ['predict', '--model', 'softsign.json', '--input', '0,1'],
      dir,
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^deltaflow: Model softsign\.json: .*'softsign'.*--plugin[^\n]*\n$/);
  });
});
