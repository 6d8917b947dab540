import { recordJsonl } from '@deltaflow/trainer/node';
import type { Subscription } from 'rxjs';
import { CliError, oneLine } from '../errors.js';
import type { RunConsumer } from './consumer.js';

/**
 * `--events FILE.jsonl`: records the whole stream with `recordJsonl` in its atomic mode: into a temporary file
 * beside `path`, moved into place when the run is over (also after Ctrl-C), so an existing file is never left half
 * overwritten by a failed run. A failed write (a full disk, a size limit) stops only the recording: training goes
 * on, the model is saved, and `finish` reports the write error as one line (exit code 1).
 *
 * @example
 * ```ts
 * consumers.push(jsonlRecorder('run.jsonl'));
 * ```
 */
export function jsonlRecorder(path: string): RunConsumer {
  let failure: unknown = null;
  let subscription: Subscription | null = null;
  return {
    attach(events$) {
      subscription = events$.pipe(recordJsonl(path, { atomic: true })).subscribe({
        error: (error: unknown) => {
          failure = error;
        },
      });
    },
    finish({ prepared }) {
      if (!failure) return;
      const reason = failure instanceof Error ? failure.message : String(failure);
      const save = prepared.request.save;
      throw new CliError(
        `--events: ${oneLine(reason).replace(/\.$/, '')}; training went on${save ? ` and the model was saved to ${save}` : ''}.`,
        { cause: failure },
      );
    },
    abort() {
      subscription?.unsubscribe(); // removes the temporary file
    },
  };
}
