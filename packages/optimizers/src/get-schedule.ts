import { DeltaflowError, checkConfig } from '@deltaflow/core';
import { schedules } from './schedule-registry.js';
import { linearWarmup } from './schedules.js';
import type { LrSchedule } from './schedules.js';

/**
 * The schedule names {@link getSchedule} knows.
 *
 * @example
 * ```ts
 * const name: ScheduleName = 'cosine-annealing';
 * getSchedule({ name, config: { tMax: 100 } });
 * ```
 * @category Schedules
 */
export type ScheduleName = 'step-decay' | 'exponential-decay' | 'cosine-annealing' | 'linear-warmup';

/**
 * A schedule as {@link getSchedule} accepts it: a function, or `{ name, config }` as written in JSON (a
 * `linear-warmup` config's `then` may itself be a `{ name, config }`).
 *
 * @example
 * ```ts
 * const id: ScheduleId = { name: 'linear-warmup', config: { warmupSteps: 5, then: { name: 'cosine-annealing', config: { tMax: 95 } } } };
 * ```
 * @category Schedules
 */
export type ScheduleId =
  | LrSchedule
  | {
      /** A schedule name, e.g. `'step-decay'`. */
      readonly name: ScheduleName | (string & {});
      /** The factory's settings, e.g. `{ stepSize: 30, gamma: 0.1 }`. */
      readonly config?: object;
    };

/** The defaults of linear-warmup (warmupSteps is required; 5 is an example). */
export const warmupDefaults = { warmupSteps: 5, startFactor: 1 / 3 };
/**
 * Builds a schedule from `{ name, config }` (e.g. read from a JSON run config), or passes a function through.
 * Names: `step-decay` ({@link stepDecay}), `exponential-decay` ({@link exponentialDecay}), `cosine-annealing`
 * ({@link cosineAnnealing}), `linear-warmup` ({@link linearWarmup}, whose `then` may itself be a
 * `{ name, config }`), and those registered in {@link schedules}.
 *
 * @example
 * ```ts
 * const schedule = getSchedule({ name: 'step-decay', config: { stepSize: 30, gamma: 0.1 } });
 * optimizer.lr = schedule(epoch, 0.1);
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the known schedules; `E_CONFIG` naming a bad or unknown config key
 * @category Schedules
 */
export function getSchedule(id: ScheduleId): LrSchedule {
  if (typeof id === 'function') return id;
  if (id === null || typeof id !== 'object' || typeof id.name !== 'string') {
    throw new DeltaflowError(
      'E_DEFINITION',
      `Expected a schedule function or { name, config } (names: ${schedules.names().join(', ')}), got ${JSON.stringify(id)}.`,
    );
  }
  const config = id.config as { then?: unknown } | undefined;
  if (id.name !== 'linear-warmup' || config?.then === undefined || schedules.source(id.name) !== 'builtin') {
    return schedules.create(id.name, id.config);
  }
  // linear-warmup's `then` is a schedule, not a config value: checked as one, the rest as a config.
  const { then, ...rest } = config as { then: ScheduleId };
  const warmup = checkConfig('schedule', 'linear-warmup', rest, warmupDefaults, {
    required: ['warmupSteps'],
  });
  return linearWarmup({ ...warmup, then: getSchedule(then) });
}
