import { Registry, checkConfig } from '@deltaflow/core';
import type { Config } from '@deltaflow/core';
import type { LrSchedule } from './schedules.js';

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
