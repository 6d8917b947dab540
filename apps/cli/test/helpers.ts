// Helpers of the end-to-end tests: they spawn the BUILT command (bin/deltaflow.js -> dist/main.js), as a user
// would run it, in a fresh temporary directory. `nx test @deltaflow/cli` builds it first.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** apps/cli */
export const cliRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The installed command's entry file. */
export const bin = join(cliRoot, 'bin', 'deltaflow.js');

if (!existsSync(join(cliRoot, 'dist', 'main.js'))) {
  throw new Error(
    'apps/cli/dist/main.js is missing: build first (npx nx build @deltaflow/cli, or run the tests through nx).',
  );
}

/** What one run of the command gave. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `command ...args` in `cwd` and waits for it to exit. */
export function runProcess(command: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/** Runs `deltaflow ...args` in `cwd` and waits for it to exit. */
export function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  return runProcess(process.execPath, [bin, ...args], cwd);
}

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = 'deltaflow-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (name -> contents) into `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, contents] of Object.entries(files)) writeFileSync(join(dir, name), contents);
}

/** Reads and parses a JSON file in `dir`. */
export function readJson<T = unknown>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}

/** The last non-empty line of a text. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** A model file as the tests write it. */
export interface ModelFile {
  format: string;
  version: number;
  dtype?: string;
  layers: { inputs: number; units: number; activation: string; weights: number[][]; bias: number[] }[];
  meta?: Record<string, unknown>;
}

/**
 * The plugin of the CLI README's example as a third party writes it: a plain .mjs module with no imports, an
 * elementwise activation (softsign) and an optimizer rule (signsgd).
 */
export const softsignPlugin = `export default {
  name: 'softsign-plugin',
  activations: [
    { name: 'softsign', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2 },
  ],
  optimizers: [
    {
      name: 'signsgd',
      defaults: { lr: 0.01 },
      init: () => ({}),
      update: (param, grad, _state, options) => {
        for (let i = 0; i < param.length; i++) param[i] -= options.lr * Math.sign(grad[i]);
      },
    },
  ],
};
`;
