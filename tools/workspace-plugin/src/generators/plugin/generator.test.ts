import { readJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { pluginGenerator } from './generator.js';

function workspace() {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('packages/core/package.json', JSON.stringify({ name: '@deltaflow/core', version: '0.4.2' }));
  tree.write(
    'packages/network/package.json',
    JSON.stringify({ name: '@deltaflow/network', version: '0.4.2' }),
  );
  tree.write('tsconfig.json', JSON.stringify({ files: [], references: [{ path: './packages/network' }] }));
  return tree;
}

describe('@deltaflow/tools:plugin', () => {
  it('scaffolds an activation plugin with its test, README and project references', async () => {
    const tree = workspace();
    await pluginGenerator(tree, { name: 'my-plugin', skipFormat: true, skipInstall: true });
    const files = tree.listChanges().map((c) => c.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'packages/my-plugin/package.json',
        'packages/my-plugin/README.md',
        'packages/my-plugin/src/index.ts',
        'packages/my-plugin/src/plugin.ts',
        'packages/my-plugin/src/my-plugin.ts',
        'packages/my-plugin/src/my-plugin.test.ts',
        'packages/my-plugin/tsconfig.lib.json',
        'packages/my-plugin/vite.config.ts',
      ]),
    );
    const pkg = readJson(tree, 'packages/my-plugin/package.json');
    expect(pkg.name).toBe('@deltaflow/my-plugin');
    expect(pkg.peerDependencies).toEqual({ '@deltaflow/core': '^0.4.2' });
    expect(pkg.devDependencies).toEqual({
      '@deltaflow/activations': '0.4.2',
      '@deltaflow/network': '0.4.2',
      '@deltaflow/tensor': '0.4.2',
    });
    expect(Object.keys(pkg.exports['.'])).toEqual(['@deltaflow/source', 'types', 'import', 'default']);
    expect(pkg.nx).toEqual({ tags: ['type:plugin'] }); // the lint holds a plugin to importing the core only
    expect(readJson(tree, 'packages/my-plugin/tsconfig.lib.json').references).toEqual([
      { path: '../activations/tsconfig.lib.json' },
      { path: '../core/tsconfig.lib.json' },
      { path: '../network/tsconfig.lib.json' },
      { path: '../tensor/tsconfig.lib.json' },
    ]);
    expect(readJson(tree, 'tsconfig.json').references).toContainEqual({ path: './packages/my-plugin' });
    const source = tree.read('packages/my-plugin/src/my-plugin.ts', 'utf8')!;
    expect(source).toContain("export const myPlugin: ElementwiseActivationEntry = {\n  name: 'my-plugin',");
    expect(tree.read('packages/my-plugin/src/plugin.ts', 'utf8')).toContain('activations: [myPlugin]');
  });

  it('scaffolds an optimizer plugin under its own registry name', async () => {
    const tree = workspace();
    await pluginGenerator(tree, {
      name: 'fancy-optimizers',
      kind: 'optimizer',
      entry: 'heavy-ball',
      skipFormat: true,
      skipInstall: true,
    });
    const source = tree.read('packages/fancy-optimizers/src/heavy-ball.ts', 'utf8')!;
    expect(source).toContain('export const heavyBall: OptimizerRule<HeavyBallOptions, HeavyBallState> = {');
    expect(source).toContain("name: 'heavy-ball',");
    expect(tree.read('packages/fancy-optimizers/src/plugin.ts', 'utf8')).toContain('optimizers: [heavyBall]');
    expect(tree.exists('packages/fancy-optimizers/src/heavy-ball.test.ts')).toBe(true);
  });

  it('refuses a folder that exists', async () => {
    const tree = workspace();
    await expect(pluginGenerator(tree, { name: 'network', skipInstall: true })).rejects.toThrow(
      'packages/network already exists',
    );
  });
});
