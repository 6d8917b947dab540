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
 * @property {boolean} [configurable] An activation with parameters: `{ name, defaults, create }`, where `create`
 *   returns `{ f, df }` for the given config (default false: one fixed `{ name, f, df }`).
 * @property {string} [entry] The registry name of what it adds (default: `name`).
 * @property {string} [scope] The npm scope (default `'@deltaflow'`).
 * @property {string} [directory] The folder the package is created in (default `'packages'`).
 * @property {boolean} [skipInstall] Do not run `npm install` afterwards.
 * @property {boolean} [skipFormat] Do not run prettier over the generated files.
 */

/**
 * What each kind depends on: the one peer, `@deltaflow/core` (the host's; the plugin imports only its types, so
 * its build output has no import of deltaflow and loads by URL as it is), and the packages its build and tests
 * use, as dev dependencies (the peer among them: npm does not install peers of the package being developed).
 */
const DEPENDENCIES = {
  activation: { peers: ['core'], dev: ['activations', 'core', 'network', 'tensor'] },
  optimizer: { peers: ['core'], dev: ['core', 'losses', 'network', 'optimizers', 'tensor'] },
};

/**
 * The registry names of the built-in activations and optimizers, which a plugin cannot take without replacing
 * them (`generator.test.ts` checks this list against the registries).
 */
export const BUILTIN_NAMES = {
  activation: [
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
  ],
  optimizer: ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'],
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
 * (one elementwise activation `{ name, f, df }`, with `configurable` one with parameters `{ name, defaults,
 * create }`, or one optimizer rule `{ name, defaults, init, update }`), typed with `import type` and
 * `satisfies` so that nothing of deltaflow is imported at run time, and
 * tests that pass as generated: a float64 gradient check, or the first updates worked out by hand.
 *
 * @example
 * ```sh
 * npx nx g @deltaflow/tools:plugin my-plugin                      # an activation
 * npx nx g @deltaflow/tools:plugin my-isru --configurable         # an activation with parameters
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
  const entryName = schema.entry ?? schema.name;
  if (BUILTIN_NAMES[kind].includes(entryName)) {
    throw new Error(
      `'${entryName}' is the name of a built-in ${kind}, which the plugin could not register; choose another name with --entry (e.g. --entry my-${entryName}).`,
    );
  }
  if (schema.configurable && kind !== 'activation') {
    throw new Error(
      `--configurable makes an activation with parameters; an optimizer has its options in defaults already, so leave --configurable out with --kind ${kind}.`,
    );
  }
  const entry = names(entryName);
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
    references: [...new Set([...deps.peers, ...deps.dev])]
      .sort()
      .map((name) => posix.relative(root, `packages/${name}/tsconfig.lib.json`)),
  };
  generateFiles(tree, joinPathFragments(templates, 'common'), root, substitutions);
  const template = kind === 'activation' && schema.configurable ? 'configurable-activation' : kind;
  generateFiles(tree, joinPathFragments(templates, template), root, substitutions);
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
