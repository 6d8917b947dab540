import { readJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { activations } from '@deltaflow/activations';
import { optimizers } from '@deltaflow/optimizers';
import { BUILTIN_NAMES, pluginGenerator } from './generator.js';

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
      '@deltaflow/core': '0.4.2', // the peer, to build and test (npm installs no peers of the package itself)
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

  it('the plugin imports only types: definePlugin is replaced by satisfies Plugin', async () => {
    const tree = workspace();
    await pluginGenerator(tree, { name: 'my-plugin', skipFormat: true, skipInstall: true });
    const plugin = tree.read('packages/my-plugin/src/plugin.ts', 'utf8')!;
    expect(plugin).toContain("import type { Plugin } from '@deltaflow/core';");
    expect(plugin).toContain('} satisfies Plugin;');
    expect(plugin).not.toMatch(/^import \{[^}]*\} from '@deltaflow/m);
  });

  it('scaffolds a configurable activation { name, defaults, create } with --configurable', async () => {
    const tree = workspace();
    await pluginGenerator(tree, {
      name: 'my-isru',
      entry: 'isru',
      configurable: true,
      skipFormat: true,
      skipInstall: true,
    });
    const source = tree.read('packages/my-isru/src/isru.ts', 'utf8')!;
    expect(source).toContain(
      "import type { ElementwiseActivationFunctions, FactoryEntry } from '@deltaflow/core';",
    );
    expect(source).toContain("name: 'isru',\n  defaults: { a: 1 },\n  create: ({ a }) => {");
    expect(source).toContain('} satisfies FactoryEntry<ElementwiseActivationFunctions, IsruConfig>;');
    expect(tree.read('packages/my-isru/src/plugin.ts', 'utf8')).toContain('activations: [isru]');
    expect(tree.read('packages/my-isru/README.md', 'utf8')).toContain('--activation isru:a=0.5');
    await expect(
      pluginGenerator(workspace(), { name: 'x', kind: 'optimizer', configurable: true, skipInstall: true }),
    ).rejects.toThrow('--configurable makes an activation with parameters');
  });

  it("refuses a built-in's name, which the plugin could not register", async () => {
    await expect(
      pluginGenerator(workspace(), { name: 'my-plugin', entry: 'tanh', skipInstall: true }),
    ).rejects.toThrow(
      "'tanh' is the name of a built-in activation, which the plugin could not register; choose another name with --entry (e.g. --entry my-tanh).",
    );
    await expect(
      pluginGenerator(workspace(), { name: 'adam', kind: 'optimizer', skipInstall: true }),
    ).rejects.toThrow("'adam' is the name of a built-in optimizer");
    // an activation may share an optimizer's name: the kinds have their own registries
    await pluginGenerator(workspace(), { name: 'adam', skipFormat: true, skipInstall: true });
  });

  it('knows every built-in name of the registries', () => {
    expect([...BUILTIN_NAMES.activation].sort()).toEqual(
      activations
        .names()
        .filter((name) => activations.source(name) === 'builtin')
        .sort(),
    );
    expect([...BUILTIN_NAMES.optimizer].sort()).toEqual(
      optimizers
        .names()
        .filter((name) => optimizers.source(name) === 'builtin')
        .sort(),
    );
  });

  it('refuses a folder that exists', async () => {
    const tree = workspace();
    await expect(pluginGenerator(tree, { name: 'network', skipInstall: true })).rejects.toThrow(
      'packages/network already exists',
    );
  });
});
