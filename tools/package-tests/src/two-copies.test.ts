import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromTarballs, pack } from './support/tarballs.js';
import { run } from './support/workspace.js';

// Must-show: two copies of @deltaflow/activations (each with its own @deltaflow/core and tensor, as npm installs
// them when an app and a plugin ask for versions it cannot dedupe), installed side by side from the packed
// tarballs and loaded in one Node process, share one registry: the global store keyed by
// Symbol.for('deltaflow.registries'). A copy of another release line is refused in one sentence.

let scratch = '';
let project = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-two-copies-'));
  project = join(scratch, 'app');
  const tarballs = pack(
    ['@deltaflow/core', '@deltaflow/tensor', '@deltaflow/activations'],
    join(scratch, 'tgz'),
  );
  installFromTarballs(project, '@deltaflow/activations', tarballs); // copy A: app/node_modules
  installFromTarballs(join(project, 'plugin'), '@deltaflow/activations', tarballs); // copy B: app/plugin/node_modules
  installFromTarballs(join(project, 'future'), '@deltaflow/activations', tarballs); // copy C, made 0.2 below
  // Each folder re-exports its own copy, resolved from its own node_modules.
  for (const folder of ['plugin', 'future']) {
    writeFileSync(
      join(project, folder, 'copy.js'),
      "export * as activations from '@deltaflow/activations';\nexport * as core from '@deltaflow/core';\n",
    );
  }
  // Copy C as a release of another line (0.2.x) would be: its core's registry line says so.
  const registry = join(project, 'future/node_modules/@deltaflow/core/dist/registry.js');
  const source = readFileSync(registry, 'utf8');
  if (!source.includes("REGISTRY_LINE = '0.1'")) throw new Error(`${registry} has no REGISTRY_LINE = '0.1'.`);
  writeFileSync(registry, source.replace("REGISTRY_LINE = '0.1'", "REGISTRY_LINE = '0.2'"));
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs `program` as an ES module in the app's folder (one Node process) and parses its last line as JSON. */
function runInApp(program: string): Record<string, unknown> {
  const file = join(project, 'program.mjs');
  writeFileSync(file, program);
  const out = run('node', [file], project).trim().split('\n');
  return JSON.parse(out[out.length - 1]!) as Record<string, unknown>;
}

describe('two copies of @deltaflow/activations in one process', () => {
  it('are two copies on disk, each with its own core', () => {
    const resolved = runInApp(`
      import { createRequire } from 'node:module';
      const plugin = createRequire(new URL('./plugin/copy.js', import.meta.url));
      console.log(JSON.stringify({
        activations: [import.meta.resolve('@deltaflow/activations'), plugin.resolve('@deltaflow/activations')],
        core: [import.meta.resolve('@deltaflow/core'), plugin.resolve('@deltaflow/core')],
      }));
    `);
    for (const name of ['activations', 'core']) {
      const [here, there] = resolved[name] as [string, string];
      expect(here).toMatch(new RegExp(`/app/node_modules/@deltaflow/${name}/dist/index\\.js$`));
      expect(there).toMatch(new RegExp(`/app/plugin/node_modules/@deltaflow/${name}/dist/index\\.js$`));
    }
  });

  it('share one registry: what is registered through either copy is visible through the other', () => {
    const result = runInApp(`
      import * as a from '@deltaflow/activations';
      import * as aCore from '@deltaflow/core';
      import { activations as b, core as bCore } from './plugin/copy.js';
      const distinct = a.activations !== b.activations && aCore.installPlugin !== bCore.installPlugin;
      // A plugin module registering on import through copy B (as a plugin with its own dependencies does).
      b.registerActivation({ name: 'softsign', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2 }, { source: 'plugin-b' });
      // A plugin installed through copy A's core.
      aCore.installPlugin({ name: 'plugin-a', activations: [{ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x }] });
      const x = 2;
      const through = (copy, name) => {
        const act = copy.getActivation(name);
        return act.name;
      };
      let duplicate = '';
      try { a.registerActivation({ name: 'softsign', f: (x) => x, df: () => 1 }); } catch (error) { duplicate = error.code + ' ' + error.message; }
      console.log(JSON.stringify({
        distinct,
        namesA: a.activations.names(),
        namesB: b.activations.names(),
        softsignInA: through(a, 'softsign'),
        softsignSourceInA: a.activations.source('softsign'),
        cubeInB: through(b, 'cube'),
        cubeSourceInB: b.activations.source('cube'),
        pluginTablesAgree: aCore.pluginRegistries.activation.names().join() === bCore.pluginRegistries.activation.names().join(),
        duplicate,
      }));
    `);
    expect(result['distinct']).toBe(true);
    const builtins = [
      'sigmoid',
      'tanh',
      'relu',
      'leaky-relu',
      'elu',
      'softplus',
      'gelu',
      'swish',
      'softmax',
      'linear',
    ];
    expect(result['namesA']).toEqual([...builtins, 'softsign', 'cube']);
    expect(result['namesB']).toEqual(result['namesA']);
    expect(result['softsignInA']).toBe('softsign');
    expect(result['softsignSourceInA']).toBe('plugin-b');
    expect(result['cubeInB']).toBe('cube');
    expect(result['cubeSourceInB']).toBe('plugin-a');
    expect(result['pluginTablesAgree']).toBe(true);
    expect(result['duplicate']).toMatch(
      /^E_DUPLICATE The activation 'softsign' is already registered \(from plugin-b\)/,
    );
  });

  it('refuses a copy of another release line with one DeltaflowError sentence', () => {
    const result = runInApp(`
      import * as a from '@deltaflow/activations';
      let error;
      try { await import('./future/copy.js'); } catch (e) { error = e; }
      console.log(JSON.stringify({ builtins: a.activations.names().length, name: error?.name, code: error?.code, message: error?.message }));
    `);
    expect(result['builtins']).toBe(10);
    expect(result['name']).toBe('DeltaflowError');
    expect(result['code']).toBe('E_VERSION');
    expect(result['message']).toBe(
      'Two incompatible copies of @deltaflow/core are loaded (0.1.x and 0.2.x), so plugins registered through one would be invisible to the other; give every @deltaflow/* dependency the same ^0.2.0 range and run npm dedupe.',
    );
  });
});
