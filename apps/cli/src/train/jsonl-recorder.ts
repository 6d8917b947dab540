import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { recordJsonl } from '@deltaflow/trainer/node';
import { CliError } from '../errors.js';
import type { RunConsumer } from './consumer.js';

/**
 * `--events FILE.jsonl`: records the whole stream with `recordJsonl` into a temporary file beside `path` and
 * renames it into place when the run is over (also after Ctrl-C), so an existing file is never left half
 * overwritten by a failed run.
 *
 * @example
 * ```ts
 * consumers.push(jsonlRecorder('run.jsonl'));
 * ```
 */
export function jsonlRecorder(path: string): RunConsumer {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let failure: unknown = null;
  return {
    attach(events$) {
      events$.pipe(recordJsonl(temporary)).subscribe({
        error: (error: unknown) => {
          failure = error;
        },
      });
    },
    finish() {
      if (failure) {
        rmSync(temporary, { force: true });
        throw failure;
      }
      try {
        renameSync(temporary, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw new CliError(
          `Cannot write --events ${path}: ${(error as NodeJS.ErrnoException).code ?? error}.`,
        );
      }
    },
    abort() {
      rmSync(temporary, { force: true });
    },
  };
}
