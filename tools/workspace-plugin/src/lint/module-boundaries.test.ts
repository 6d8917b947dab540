import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Must-show: the workspace's own ESLint config (eslint.config.js, with the Nx tags of every package.json) refuses
// an import against the dependency direction and lets an import along it through. Each case lints a virtual
// file placed inside a real project, exactly as `nx lint` would lint a file written there.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const RULE = '@nx/enforce-module-boundaries';
let eslint: ESLint;

beforeAll(async () => {
  // The rule reads Nx's cached project graph (nx lint computes it first); compute it the same way.
  process.env.NX_DAEMON = 'false';
  await createProjectGraphAsync({ exitOnError: false });
  eslint = new ESLint({ cwd: root });
}, 120_000);

/** The messages of the boundary rule for `source` written at `file` (relative to the workspace root). */
async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === RULE && m.severity === 2).map((m) => m.message);
}

describe('@nx/enforce-module-boundaries over the workspace config', () => {
  // Every package depends on core and tensor, so an import from them upwards closes a cycle: the rule reports that.
  it('fails a forbidden import: tensor must not import network (a cycle against the direction)', async () => {
    const errors = await boundaryErrors(
      'packages/tensor/src/boundary-fixture.ts',
      "export { Sequential } from '@deltaflow/network';\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Circular dependency between "@deltaflow\/tensor" and "@deltaflow\/network"/);
  });

  it.each([
    [
      'packages/data/src/f.ts',
      'network',
      '"scope:data" can only depend on libs tagged with "scope:core", "scope:tensor"',
    ],
    ['packages/network/src/f.ts', 'optimizers', '"scope:network" can only depend on libs tagged with'],
    ['packages/losses/src/f.ts', 'activations', '"scope:losses" can only depend on libs tagged with'],
    [
      'packages/plugin-activations/src/f.ts',
      'network',
      '"type:plugin" can only depend on libs tagged with "scope:core"',
    ],
    [
      'packages/plugin-optimizers/src/f.ts',
      'tensor',
      '"type:plugin" can only depend on libs tagged with "scope:core"',
    ],
    [
      'packages/trainer/src/f.ts',
      'plugin-activations',
      '"scope:trainer" can only depend on libs tagged with',
    ],
  ])('fails a tag violation: %s importing @deltaflow/%s', async (file, target, message) => {
    const errors = await boundaryErrors(file, `export { x } from '@deltaflow/${target}';\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`A project tagged with ${message}`);
  });

  it.each([
    ['packages/tensor/src/f.ts', 'core'],
    ['packages/activations/src/f.ts', 'tensor'],
    ['packages/network/src/f.ts', 'activations'],
    ['packages/network/src/f.ts', 'losses'],
    ['packages/data/src/f.ts', 'core'],
    ['packages/trainer/src/f.ts', 'network'],
    ['packages/trainer/src/f.ts', 'data'],
    ['packages/plugin-activations/src/f.ts', 'core'],
    // tests play the user: a plugin's tests train with the real libraries
    ['packages/plugin-optimizers/src/f.test.ts', 'trainer'],
    ['apps/cli/src/f.ts', 'trainer'],
    ['tools/bench/src/f.ts', 'network'],
  ])('passes an allowed import: %s importing @deltaflow/%s', async (file, target) => {
    expect(await boundaryErrors(file, `export { x } from '@deltaflow/${target}';\n`)).toEqual([]);
  });
});
