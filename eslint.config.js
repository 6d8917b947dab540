// Flat ESLint config shared by every project: typescript-eslint's recommended rules on TypeScript sources, and
// Nx's module-boundary rule, which keeps the package graph pointing one way.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The dependency direction, as Nx project tags (each project's package.json `nx.tags`):
//   core <- tensor <- activations, losses, optimizers <- network <- trainer <- apps
//   data -> tensor, core;  interop -> network;  plugins -> core only;  tools -> anything.
// A source tag may import only projects carrying one of the listed tags (its own project is always allowed).
const CORE = ['scope:core'];
const TENSOR = [...CORE, 'scope:tensor'];

/** Who may import whom in published code (src/ without its tests). */
export const layerRules = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: CORE },
  { sourceTag: 'scope:tensor', onlyDependOnLibsWithTags: TENSOR },
  { sourceTag: 'scope:activations', onlyDependOnLibsWithTags: TENSOR },
  { sourceTag: 'scope:losses', onlyDependOnLibsWithTags: TENSOR },
  { sourceTag: 'scope:optimizers', onlyDependOnLibsWithTags: TENSOR },
  // Layers own their parameters: network does not import optimizers.
  { sourceTag: 'scope:network', onlyDependOnLibsWithTags: [...TENSOR, 'scope:activations', 'scope:losses'] },
  { sourceTag: 'scope:data', onlyDependOnLibsWithTags: TENSOR },
  // Export and import read and write model files: the network, never the trainer.
  {
    sourceTag: 'scope:interop',
    onlyDependOnLibsWithTags: [...TENSOR, 'scope:activations', 'scope:losses', 'scope:network'],
  },
  {
    sourceTag: 'scope:trainer',
    onlyDependOnLibsWithTags: [
      ...TENSOR,
      'scope:activations',
      'scope:losses',
      'scope:optimizers',
      'scope:network',
      'scope:data',
    ],
  },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: CORE },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
];

/**
 * Tests play the user: a package's tests may train with any library (a plugin's tests install it into the real
 * registries). They still never import apps or tools, except the tools tagged `type:test-support` (the fuzz
 * tests' settings, @deltaflow/test-fuzz), and the rule still refuses any cycle they would close.
 */
export const testRules = layerRules.map((rule) => {
  if (rule.sourceTag.startsWith('scope:') || rule.sourceTag === 'type:plugin') {
    return { sourceTag: rule.sourceTag, onlyDependOnLibsWithTags: ['type:lib', 'type:test-support'] };
  }
  if (rule.sourceTag === 'type:lib')
    return { ...rule, onlyDependOnLibsWithTags: ['type:lib', 'type:test-support'] };
  // An app's tests drive it from outside, with the workspace's test tools (the shared browser).
  if (rule.sourceTag === 'type:app')
    return { ...rule, onlyDependOnLibsWithTags: ['type:lib', 'type:app', 'type:tool'] };
  return rule;
});

const testFiles = ['**/*.test.ts', '**/*.test-d.ts', '**/testing/**/*.ts', 'apps/*/test/**/*.ts'];
// The dashboard is an app (Nx forbids importing apps) whose server entry the CLI hosts: that entry alone is allowed.
// The packages' tests and tools import a package both statically and with import(); Nx's lazy-loading check
// (an Angular idea) does not apply to them.
const boundaries = (depConstraints) => [
  'error',
  {
    allow: ['@deltaflow/dashboard/server'],
    checkDynamicDependenciesExceptions: ['@deltaflow/**'],
    depConstraints,
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'docs/**', '**/*.timestamp*', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...nx.configs['flat/base'],
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': boundaries(layerRules) },
  },
  {
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': boundaries(testRules) },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
