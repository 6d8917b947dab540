import { defer, from, switchMap } from 'rxjs';
import type { Observable } from 'rxjs';
import type { TrainingEvent } from '../events.js';
import type { TrainOptions } from '../options.js';
import { train } from '../train.js';
import type { RunDescription } from './description.js';
import { prepareRun } from './prepare.js';

/**
 * Prepares a described run and trains it: `prepareRun(description)` then `train(model, train, trainOptions)`,
 * as one cold Observable (each subscription prepares and trains afresh; a bad description arrives on the error
 * channel). `extra` adds trainer options that do not change the numbers (batch events, output samples, ...).
 *
 * @example
 * ```ts
 * trainRun({ data: 'xor', epochs: 2000 }).subscribe((event) => {
 *   if (event.type === 'end') console.log(event.reason, event.model.layers.length);
 * });
 * ```
 * @param description - the run, as plain data
 * @param extra - more options of `train()`, over the prepared ones
 * @category Recipe
 */
export function trainRun(description: RunDescription, extra: TrainOptions = {}): Observable<TrainingEvent> {
  return defer(() => from(prepareRun(description))).pipe(
    switchMap((run) => train(run.model, run.train, { ...run.trainOptions, ...extra })),
  );
}
