import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Test support: where the workspace is, which packages it publishes, and running commands without the npm
// environment of the `npm test` that started us (npm_config_* would point npm at the workspace).

/** The workspace root (the folder with nx.json). */
export const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** A published project: its folder relative to the root, and its package name. */
export interface Publishable {
  dir: string;
  name: string;
}

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Every package.json of packages/, apps/ and tools/, by package name. */
function workspaceManifests(): Map<string, { dir: string; manifest: Manifest }> {
  const dirs = ['packages', 'apps', 'tools'].flatMap((parent) =>
    readdirSync(join(root, parent)).map((name) => `${parent}/${name}`),
  );
  const manifests = new Map<string, { dir: string; manifest: Manifest }>();
  for (const dir of dirs.filter((d) => existsSync(join(root, d, 'package.json')))) {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest;
    manifests.set(manifest.name, { dir, manifest });
  }
  return manifests;
}

/** What a package needs installed beside it: its dependencies and peer dependencies, less the optional peers. */
function needs(manifest: Manifest): string[] {
  const { dependencies = {}, peerDependencies = {}, peerDependenciesMeta = {} } = manifest;
  const peers = Object.keys(peerDependencies).filter((peer) => !peerDependenciesMeta[peer]?.optional);
  return [...Object.keys(dependencies), ...peers];
}

/**
 * Every package that is published: those of packages/ and apps/cli (the release group of nx.json), and every
 * workspace package they depend on (the CLI's dependency on the dashboard makes the dashboard one).
 */
export function publishables(): Publishable[] {
  const manifests = workspaceManifests();
  const chosen = new Map<string, Publishable>();
  const visit = (name: string): void => {
    const entry = manifests.get(name);
    if (!entry || entry.manifest.private || chosen.has(name)) return;
    chosen.set(name, { dir: entry.dir, name });
    for (const dependency of needs(entry.manifest)) visit(dependency);
  };
  for (const [name, { dir }] of manifests) if (dir.startsWith('packages/') || dir === 'apps/cli') visit(name);
  return [...chosen.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * The workspace packages that `name` needs installed beside it: itself and, recursively, its dependencies and
 * required peer dependencies among the workspace's packages (optional peers, such as data's `mnist`, left out).
 */
export function installClosure(name: string): string[] {
  const manifests = workspaceManifests();
  const chosen = new Set<string>();
  const visit = (next: string): void => {
    const entry = manifests.get(next);
    if (!entry || chosen.has(next)) return;
    chosen.add(next);
    for (const dependency of needs(entry.manifest)) visit(dependency);
  };
  visit(name);
  return [...chosen].sort();
}

/** The bytes of every file under `dir` but those `leaveOut` names, as `du -sb` counts them (symbolic links not followed). */
export function diskSize(dir: string, leaveOut: (file: string) => boolean = () => false): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += diskSize(path, leaveOut);
    else if (entry.isFile() && !leaveOut(entry.name)) total += statSync(path).size;
  }
  return total;
}

/** process.env without npm's per-run variables, and without colours. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const key of Object.keys(env)) {
    if (/^npm_(config|package|lifecycle)_/i.test(key) || key === 'INIT_CWD' || key === 'FORCE_COLOR')
      delete env[key];
  }
  return env;
}

/** Runs a command, returning stdout; on failure throws with its output. */
export function run(command: string, args: string[], cwd: string, timeout = 120_000): string {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: 'pipe', timeout });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

const execFileAsync = promisify(execFile);

/** Like {@link run}, asynchronously, resolving to stdout and the exit code (never rejecting on a non-zero exit). */
export async function runAsync(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, env: cleanEnv(), timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : 1, output: `${stdout ?? ''}${stderr ?? ''}` };
  }
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A binary of the workspace's node_modules/.bin. */
export const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
