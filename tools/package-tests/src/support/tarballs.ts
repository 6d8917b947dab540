import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installClosure, publishables, root, run } from './workspace.js';

// Test support: packing workspace packages into tarballs (from the dist/ that `npm run build` made) and installing
// them, with no registry, into a project of their own outside the workspace.

/** The tarball name `npm pack` gives a scoped package, e.g. deltaflow-tensor-0.1.0.tgz for @deltaflow/tensor. */
function tarballPrefix(name: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-`;
}

/**
 * Packs the given workspace packages (and only those) into `destination`; returns each package's tarball path,
 * by package name. Throws when a package has not been built.
 */
export function pack(names: string[], destination: string): Map<string, string> {
  const dirs = new Map(publishables().map(({ name, dir }) => [name, dir]));
  const chosen = names.map((name) => {
    const dir = dirs.get(name);
    if (!dir) throw new Error(`${name} is not a published workspace package.`);
    if (!existsSync(join(root, dir, 'dist')))
      throw new Error(`${dir}/dist is missing: run npm run build first.`);
    return dir;
  });
  mkdirSync(destination, { recursive: true });
  run(
    'npm',
    ['pack', ...chosen.flatMap((dir) => ['-w', dir]), '--pack-destination', destination, '--silent'],
    root,
  );
  const files = readdirSync(destination);
  return new Map(
    names.map((name) => {
      const file = files.find((f) => f.startsWith(tarballPrefix(name)) && f.endsWith('.tgz'));
      if (!file) throw new Error(`npm pack gave no tarball for ${name} in ${destination}.`);
      return [name, join(destination, file)];
    }),
  );
}

/**
 * Makes `project` an npm project and installs `name` with the workspace packages it needs, from `tarballs`
 * (which must hold all of them), offline: nothing comes from a registry.
 */
export function installFromTarballs(project: string, name: string, tarballs: Map<string, string>): void {
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
  );
  const needed = installClosure(name).map((dependency) => {
    const tarball = tarballs.get(dependency);
    if (!tarball) throw new Error(`No tarball of ${dependency}, which ${name} needs.`);
    return tarball;
  });
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', ...needed], project);
}
