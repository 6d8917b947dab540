import { DeltaflowError, Registry, checkConfig } from '@deltaflow/core';
import type { Config } from '@deltaflow/core';
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

/**
 * How a schedule is registered: its defaults (every config key, whose type its default gives), the keys a user
 * must give, and `create`, which receives the checked config merged over the defaults.
 *
 * @example
 * ```ts
 * const inverse: ScheduleFactory<{ k: number }> = {
 *   name: 'inverse',
 *   defaults: { k: 1 },
 *   create: ({ k }) => (step, baseLr) => baseLr / (1 + k * step),
 * };
 * schedules.register(inverse.name, inverse);
 * getSchedule({ name: 'inverse', config: { k: 0.5 } });
 * ```
 * @typeParam C - the config type
 * @category Schedules
 */
export interface ScheduleFactory<C extends Config = Config> {
  /** The registry name, e.g. `'step-decay'`. */
  readonly name: string;
  /** Every config key with its default (for a required key, an example value of its type). */
  readonly defaults: C;
  /** Keys without a usable default, which the user must give. */
  readonly required?: readonly (keyof C & string)[];
  /** Builds the schedule from the checked config. */
  create(config: C): LrSchedule;
}

/**
 * The schedules {@link getSchedule} knows by name: `step-decay`, `exponential-decay`, `cosine-annealing`,
 * `linear-warmup`, and whatever is registered beside them.
 *
 * @example
 * ```ts
 * schedules.names(); // ['step-decay', 'exponential-decay', 'cosine-annealing', 'linear-warmup']
 * ```
 * @category Schedules
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each factory has its own config type
export const schedules: Registry<LrSchedule, ScheduleFactory<any>> = new Registry('schedule', {
  shared: 'schedule',
  check: (definition) => {
    const d = definition as Partial<ScheduleFactory> | null;
    return d !== null &&
      typeof d === 'object' &&
      typeof d.create === 'function' &&
      typeof d.defaults === 'object'
      ? undefined
      : 'it is not { name, defaults, create }';
  },
  build: (factory) => (config) =>
    factory.create(
      checkConfig('schedule', factory.name, config, factory.defaults, { required: factory.required ?? [] }),
    ),
});

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
