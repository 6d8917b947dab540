// @ts-check
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatFiles,
  generateFiles,
  installPackagesTask,
  joinPathFragments,
  names,
  readJson,
  updateJson,
} from '@nx/devkit';

/**
 * Options of {@link pluginGenerator}, as `schema.json` describes them.
 *
 * @typedef {object} PluginGeneratorSchema
 * @property {string} name The package folder and the last part of its name, e.g. `my-plugin`.
 * @property {'activation' | 'optimizer'} [kind] What the plugin adds (default `'activation'`).
 * @property {string} [entry] The registry name of what it adds (default: `name`).
 * @property {string} [scope] The npm scope (default `'@deltaflow'`).
 * @property {string} [directory] The folder the package is created in (default `'packages'`).
 * @property {boolean} [skipInstall] Do not run `npm install` afterwards.
 * @property {boolean} [skipFormat] Do not run prettier over the generated files.
 */

/**
 * What each kind depends on: the one peer, `@deltaflow/core` (the entry types and `definePlugin`, which must be
 * the host's own copy), and dev-only packages its tests use.
 */
const DEPENDENCIES = {
  activation: { peers: ['core'], dev: ['activations', 'network', 'tensor'] },
  optimizer: { peers: ['core'], dev: ['losses', 'network', 'optimizers', 'tensor'] },
};

/**
 * The deltaflow version the workspace is at, read from `packages/core/package.json`.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @returns {string}
 */
function workspaceVersion(tree) {
  const path = 'packages/core/package.json';
  return tree.exists(path) ? readJson(tree, path).version : '0.1.0';
}

/**
 * Scaffolds a deltaflow plugin package: `package.json` with a peer dependency on `@deltaflow/core` (the interfaces it implements),
 * tsconfigs with the project references `nx sync` would write, a README with a runnable example, the plugin
 * (one elementwise activation `{ name, f, df }` or one optimizer rule `{ name, defaults, init, update }`) and
 * tests that pass as generated: a float64 gradient check, or the first updates worked out by hand.
 *
 * @example
 * ```sh
 * npx nx g @deltaflow/tools:plugin my-plugin                      # an activation
 * npx nx g @deltaflow/tools:plugin my-optimizer --kind optimizer
 * ```
 * @param {import('@nx/devkit').Tree} tree - the workspace
 * @param {PluginGeneratorSchema} schema - the options
 * @returns {Promise<() => void>} the task that runs `npm install` (unless `skipInstall`)
 */
export async function pluginGenerator(tree, schema) {
  const kind = schema.kind ?? 'activation';
  const scope = schema.scope ?? '@deltaflow';
  const root = joinPathFragments(schema.directory ?? 'packages', schema.name);
  if (tree.exists(root)) throw new Error(`${root} already exists; choose another name or --directory.`);
  const entry = names(schema.entry ?? schema.name);
  const version = workspaceVersion(tree);
  const up = root
    .split('/')
    .map(() => '..')
    .join('/');
  const deps = DEPENDENCIES[kind];
  const templates = fileURLToPath(new URL('./files', import.meta.url));
  const substitutions = {
    tmpl: '',
    kind,
    packageName: `${scope}/${schema.name}`,
    directory: root,
    entryName: entry.fileName,
    entryFile: entry.fileName,
    entryConst: entry.propertyName,
    entryClass: entry.className,
    pluginConst: `${names(schema.name).propertyName}Plugin`,
    version,
    up,
    peers: deps.peers,
    dev: deps.dev,
    references: [...deps.peers, ...deps.dev]
      .sort()
      .map((name) => posix.relative(root, `packages/${name}/tsconfig.lib.json`)),
  };
  generateFiles(tree, joinPathFragments(templates, 'common'), root, substitutions);
  generateFiles(tree, joinPathFragments(templates, kind), root, substitutions);
  if (tree.exists('tsconfig.json')) {
    updateJson(tree, 'tsconfig.json', (json) => {
      json.references = [...(json.references ?? []), { path: `./${root}` }];
      return json;
    });
  }
  if (!schema.skipFormat) await formatFiles(tree);
  return () => {
    if (!schema.skipInstall) installPackagesTask(tree, true);
  };
}

export default pluginGenerator;
