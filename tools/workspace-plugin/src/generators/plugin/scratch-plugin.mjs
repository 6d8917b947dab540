// @ts-check
// A plugin package made by the generator and built, in a scratch workspace beside this repository: what a test
// needs to load a generated plugin's build output as it is (for example by URL in a browser). Plain JavaScript,
// so a test of any project imports it by path without a build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/** The environment the commands run in: Nx without daemon, cloud or terminal UI; no colours. */
/** @type {NodeJS.ProcessEnv} */
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  NO_COLOR: '1',
};
delete env.FORCE_COLOR;

/**
 * Runs a command in `cwd` and returns its output; a failure throws with its output.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @returns {string}
 */
export function runIn(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    const { stdout, stderr } = /** @type {{ stdout?: string; stderr?: string }} */ (error);
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/**
 * A scratch workspace: the repository's root configs, its node_modules linked, and the packages a plugin builds
 * on linked under packages/ (their build output must exist: `npx nx run-many -t build` first).
 *
 * @returns {string} its folder
 */
export function scratchWorkspace() {
  const ws = mkdtempSync(join(tmpdir(), 'deltaflow-generator-'));
  symlinkSync(join(repositoryRoot, 'node_modules'), join(ws, 'node_modules'));
  for (const file of ['tsconfig.base.json', 'eslint.config.js', '.prettierrc.json']) {
    copyFileSync(join(repositoryRoot, file), join(ws, file));
  }
  mkdirSync(join(ws, 'packages'));
  for (const name of ['core', 'tensor', 'activations', 'losses', 'optimizers', 'network']) {
    symlinkSync(join(repositoryRoot, 'packages', name), join(ws, 'packages', name));
  }
  /** @type {(file: string, value: unknown) => void} */
  const json = (file, value) => writeFileSync(join(ws, file), JSON.stringify(value));
  json('package.json', { name: 'scratch', private: true, type: 'module', workspaces: ['packages/*'] });
  json('nx.json', { neverConnectToCloud: true, analytics: false });
  json('tsconfig.json', { files: [], references: [] });
  runIn('git', ['init', '-q'], ws);
  return ws;
}

/**
 * Generates a plugin package with `nx g @deltaflow/tools:plugin` and builds it with `tsc --build`, as its
 * author would. By default a configurable activation 'isru' (`{ name, defaults: { a: 1 }, create }`) in the
 * package `@deltaflow/my-isru`, whose `dist/index.js` default-exports the plugin and imports nothing but its own
 * files: load it by URL as it is.
 *
 * @example
 * ```js
 * import { buildGeneratedPlugin } from '../../../tools/workspace-plugin/src/generators/plugin/scratch-plugin.mjs';
 *
 * const plugin = buildGeneratedPlugin();
 * // serve plugin.dist, import `${base}/index.js` in the page; the activation is plugin.entry
 * plugin.remove();
 * ```
 * @param {{ name?: string; entry?: string; configurable?: boolean; workspace?: string }} [options]
 * @returns {{ workspace: string; root: string; dist: string; packageName: string; entry: string; remove(): void }}
 */
export function buildGeneratedPlugin(options = {}) {
  const name = options.name ?? 'my-isru';
  const entry = options.entry ?? 'isru';
  const ws = options.workspace ?? scratchWorkspace();
  const args = ['nx', 'g', '@deltaflow/tools:plugin', name, `--entry=${entry}`, '--skipInstall'];
  if (options.configurable ?? true) args.push('--configurable');
  runIn('npx', args, ws);
  const root = join(ws, 'packages', name);
  runIn('npx', ['tsc', '--build', `packages/${name}`], ws);
  return {
    workspace: ws,
    root,
    dist: join(root, 'dist'),
    packageName: `@deltaflow/${name}`,
    entry,
    remove: () => {
      if (!options.workspace) rmSync(ws, { recursive: true, force: true });
    },
  };
}
