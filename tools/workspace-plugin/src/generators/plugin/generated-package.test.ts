import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Must-show: what `npx nx g @deltaflow/tools:plugin` writes passes lint, typecheck, prettier and its own tests,
// untouched. The generator runs through the real Nx CLI in a scratch workspace beside the real one: the same root
// configs, node_modules linked, and the packages a plugin builds on linked under packages/.
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  NO_COLOR: '1',
};
delete env.FORCE_COLOR;
let ws = '';

function run(command: string, args: string[], cwd = ws): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: 'pipe', timeout: 90_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'deltaflow-generator-'));
  symlinkSync(join(root, 'node_modules'), join(ws, 'node_modules'));
  for (const file of ['tsconfig.base.json', 'eslint.config.js', '.prettierrc.json']) {
    copyFileSync(join(root, file), join(ws, file));
  }
  mkdirSync(join(ws, 'packages'));
  for (const name of ['core', 'tensor', 'activations', 'losses', 'optimizers', 'network']) {
    symlinkSync(join(root, 'packages', name), join(ws, 'packages', name));
  }
  const json = (file: string, value: unknown) => writeFileSync(join(ws, file), JSON.stringify(value));
  json('package.json', { name: 'scratch', private: true, type: 'module', workspaces: ['packages/*'] });
  json('nx.json', { neverConnectToCloud: true, analytics: false });
  json('tsconfig.json', { files: [], references: [] });
  run('git', ['init', '-q']);
});

afterAll(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('the generated packages, untouched', () => {
  it('nx g makes an activation plugin and an optimizer plugin; lint, prettier, typecheck and tests pass', () => {
    const packages = ['packages/my-activation', 'packages/my-optimizer'];
    run('npx', ['nx', 'g', '@deltaflow/tools:plugin', 'my-activation', '--skipInstall', '--no-interactive']);
    run('npx', ['nx', 'g', '@deltaflow/tools:plugin', 'my-optimizer', '--kind=optimizer', '--skipInstall']);
    // what each project's lint target runs (eslint src), over both at once
    run('npx', ['eslint', ...packages.map((dir) => `${dir}/src`)]);
    run('npx', ['prettier', '--check', ...packages]);
    // what the typecheck target runs
    run('npx', ['tsc', '--build', ...packages, '--emitDeclarationOnly']);
    writeFileSync(
      join(ws, 'vitest.config.ts'),
      `export default { test: { projects: ${JSON.stringify(packages)} } };`,
    );
    const tests = run('npx', ['vitest', 'run']);
    expect(tests).toMatch(/Test Files\s+2 passed/);
    expect(tests).toMatch(/Tests\s+4 passed/);
  });
});
