import { DeltaflowError } from '@deltaflow/tensor';
import { cosineAnnealing, exponentialDecay, linearWarmup, stepDecay } from './schedules.js';
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

type Config = Record<string, unknown>;

const factories: Readonly<Record<ScheduleName, { keys: string[]; build: (config: Config) => LrSchedule }>> = {
  'step-decay': {
    keys: ['stepSize', 'gamma'],
    build: (c) => stepDecay(c as Parameters<typeof stepDecay>[0]),
  },
  'exponential-decay': {
    keys: ['gamma'],
    build: (c) => exponentialDecay(c as Parameters<typeof exponentialDecay>[0]),
  },
  'cosine-annealing': {
    keys: ['tMax', 'etaMin'],
    build: (c) => cosineAnnealing(c as Parameters<typeof cosineAnnealing>[0]),
  },
  'linear-warmup': {
    keys: ['warmupSteps', 'startFactor', 'then'],
    build: (c) =>
      linearWarmup({
        ...(c as Omit<Parameters<typeof linearWarmup>[0], 'then'>),
        then: c['then'] === undefined ? undefined : getSchedule(c['then'] as ScheduleId),
      }),
  },
};

/**
 * Builds a schedule from `{ name, config }` (e.g. read from a JSON run config or the CLI), or passes a function
 * through. Names: `step-decay` ({@link stepDecay}), `exponential-decay` ({@link exponentialDecay}),
 * `cosine-annealing` ({@link cosineAnnealing}), `linear-warmup` ({@link linearWarmup}).
 *
 * @example
 * ```ts
 * const schedule = getSchedule({ name: 'step-decay', config: { stepSize: 30, gamma: 0.1 } });
 * optimizer.lr = schedule(epoch, 0.1);
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the known schedules; `E_OPTION` naming a bad or unknown config key
 * @category Schedules
 */
export function getSchedule(id: ScheduleId): LrSchedule {
  if (typeof id === 'function') return id;
  const known = Object.keys(factories).join(', ');
  if (id === null || typeof id !== 'object' || typeof id.name !== 'string') {
    throw new DeltaflowError(
      'E_UNKNOWN',
      `Expected a schedule { name, config } (names: ${known}), got ${JSON.stringify(id)}.`,
    );
  }
  const factory = Object.hasOwn(factories, id.name) ? factories[id.name as ScheduleName] : undefined;
  if (!factory) throw new DeltaflowError('E_UNKNOWN', `Unknown schedule '${id.name}'; known: ${known}.`);
  const config = (id.config ?? {}) as Config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new DeltaflowError(
      'E_OPTION',
      `The config of schedule '${id.name}' must be an object, got ${JSON.stringify(config)}.`,
    );
  }
  for (const key of Object.keys(config)) {
    if (!factory.keys.includes(key)) {
      throw new DeltaflowError(
        'E_OPTION',
        `Unknown ${id.name} config key '${key}'; known: ${factory.keys.join(', ')}.`,
      );
    }
  }
  return factory.build(config);
}
