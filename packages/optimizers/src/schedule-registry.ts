import { factoryRegistry } from '@deltaflow/core';
import type { Config, FactoryEntry, Registry } from '@deltaflow/core';
import type { LrSchedule } from './schedules.js';

/**
 * How a schedule is registered: its defaults (every config key, whose type its default gives), the keys a user
 * must give (`required`), and `create`, which receives the checked config merged over the defaults.
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
export type ScheduleFactory<C extends Config = Config> = FactoryEntry<LrSchedule, C>;

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
export const schedules: Registry<LrSchedule, ScheduleFactory<any>> = factoryRegistry<LrSchedule>('schedule', {
  shared: 'schedule',
});
