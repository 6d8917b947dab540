import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { CliError, UsageError } from '../errors.js';

/**
 * Checks, before any work, that an output file (`--save`, `--events`) can be written: its directory exists and
 * is writable, and the path is not a directory. Outputs are still written atomically later; this only turns a
 * typo into an error before a long run rather than after it.
 *
 * @example
 * ```ts
 * checkOutputPath('--save', 'xor.json'); // throws when the directory does not exist
 * ```
 * @throws CliError naming the flag and the problem
 */
export function checkOutputPath(flag: string, path: string): void {
  const full = resolve(path);
  const dir = dirname(full);
  const fail = (problem: string): never => {
    throw new CliError(`Cannot write ${flag} ${path}: ${problem}.`);
  };
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return fail(`the directory ${dir} does not exist`);
  }
  if (!isDir) fail(`${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    fail(`the directory ${dir} is not writable`);
  }
  try {
    if (statSync(full).isDirectory()) fail('it is a directory');
  } catch (error) {
    if (error instanceof CliError) throw error;
  }
}

/** `path`, or the file its chain of symbolic links ends at (even when that file does not exist yet). */
function followLinks(path: string): string {
  let target = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!lstatSync(target).isSymbolicLink()) return target;
    } catch {
      return target;
    }
    target = resolve(dirname(target), readlinkSync(target));
  }
  return target;
}

/**
 * What identifies the file at `path`: its device and inode when it exists (so `./x`, `dir/../x`, a symbolic or
 * a hard link to it all give the same), else the real path of its folder and its name, after any symbolic
 * links (a dangling link and the file it names give the same).
 */
function fileIdentity(path: string): string {
  const target = followLinks(path);
  try {
    const stat = statSync(target);
    return `inode ${stat.dev}:${stat.ino}`;
  } catch {
    let folder = dirname(target);
    try {
      folder = realpathSync(folder);
    } catch {
      // a missing folder is reported by checkOutputPath
    }
    return `path ${resolve(folder, basename(target))}`;
  }
}

/**
 * Whether two paths name the same file, however they are spelt: `x.json` and `./x.json`, a path through
 * `..`, a symbolic link or a hard link to it.
 *
 * @example
 * ```ts
 * sameFile('model.json', './model.json'); // → true
 * ```
 */
export function sameFile(a: string, b: string): boolean {
  return fileIdentity(a) === fileIdentity(b);
}

/**
 * Refuses, before any work, outputs that would overwrite each other or an input: `--save` and `--events` naming
 * the same file (the event log would replace the model), or either naming the `--data` file. (`--save` may be
 * the `--init` model: training on from a model and saving it in place is a normal use.)
 *
 * @example
 * ```ts
 * checkDistinctPaths([['--save', 'model.json'], ['--events', 'run.jsonl']]); // fine
 * // ['--save', 'x.json'] with ['--events', './x.json'] is refused: the same file
 * ```
 * @param outputs - each output flag and its path
 * @param inputs - each input flag and its path (files that must not be overwritten)
 * @throws UsageError naming both flags and their paths (exit code 2)
 */
export function checkDistinctPaths(
  outputs: readonly (readonly [string, string])[],
  inputs: readonly (readonly [string, string])[] = [],
): void {
  outputs.forEach(([flag, path], i) => {
    for (const [other, otherPath] of outputs.slice(0, i)) {
      if (sameFile(path, otherPath)) {
        const spelt = path === otherPath ? path : `${otherPath} and ${path}`;
        throw new UsageError(`${other} and ${flag} name the same file (${spelt}); give each its own path.`);
      }
    }
    for (const [input, inputPath] of inputs) {
      if (existsSync(inputPath) && sameFile(path, inputPath)) {
        throw new UsageError(
          `${flag} ${path} is the ${input} file, which it would overwrite; give ${flag} another path.`,
        );
      }
    }
  });
}
