// The BUILT deltaflow command (apps/cli: bin/deltaflow.js -> dist/main.js), as a user runs it, for the tests
// that open what it serves. `nx test @deltaflow/dashboard` builds the CLI first.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The installed command's entry file. */
export const cliBin = fileURLToPath(new URL('../../../cli/bin/deltaflow.js', import.meta.url));

/** A running `deltaflow` command serving a dashboard. */
export interface ServingCli {
  child: ChildProcessWithoutNullStreams;
  /** The address it printed (`dashboard: URL`). */
  url: string;
  /** Its stderr so far. */
  stderr: () => string;
}

/** Starts `deltaflow ...args` in `cwd` and resolves with the dashboard address it prints on stderr. */
export function startCli(args: readonly string[], cwd: string): Promise<ServingCli> {
  if (!existsSync(fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url))))
    throw new Error('apps/cli/dist/main.js is missing: build first (npx nx build @deltaflow/cli).');
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/\S*)\s/.exec(stderr)?.[1];
      if (url) resolve({ child, url, stderr: () => stderr });
    });
    child.stdout.resume();
    child.on('close', (code) => reject(new Error(`the CLI exited (${code}) before serving: ${stderr}`)));
  });
}

/** Runs `deltaflow ...args` in `cwd` to its end: its exit code and stderr. */
export function runCli(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Stops a CLI started by {@link startCli} (Ctrl-C) and resolves with its exit code. */
export function stopCli(cli: ServingCli): Promise<number | null> {
  const { child } = cli;
  const exited = new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on('close', resolve),
  );
  child.kill('SIGINT');
  return exited;
}
