import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from '../errors.js';

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
