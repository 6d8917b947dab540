import { DeltaflowError } from '@deltaflow/tensor';
import { cosineAnnealing, exponentialDecay, linearWarmup, stepDecay } from '@deltaflow/optimizers';
import type { LrSchedule } from '@deltaflow/optimizers';

/**
 * The learning-rate schedules a run description names (the CLI's `--schedule`): `'step'` (step decay),
 * `'exponential'`, `'cosine'` (cosine annealing) and `'warmup'` (a linear warm-up, then the base rate).
 *
 * @example
 * ```ts
 * SCHEDULE_NAMES.includes('cosine'); // → true
 * ```
 * @category Recipe
 */
export const SCHEDULE_NAMES = Object.freeze(['step', 'exponential', 'cosine', 'warmup'] as const);

/**
 * The parameters of the schedules of a run description, every one optional (see {@link scheduleDefaults}); a
 * step of a schedule is an epoch.
 *
 * @example
 * ```ts
 * const config: ScheduleConfig = { stepSize: 30, gamma: 0.5 };
 * ```
 * @category Recipe
 */
export interface ScheduleConfig {
  /** step: epochs between two decays; default a third of the epochs (at least 1). */
  stepSize?: number;
  /** step and exponential: the factor of a decay; default 0.1 (step), 0.99 (exponential). */
  gamma?: number;
  /** cosine: the epochs of one half-period; default the run's epochs. */
  tMax?: number;
  /** cosine: the lowest rate; default 0. */
  etaMin?: number;
  /** warmup: epochs of the linear warm-up; default 5. */
  warmupEpochs?: number;
  /** warmup: the first epoch's fraction of the base rate; default 1/3. */
  startFactor?: number;
}

/**
 * A learning-rate schedule of a run description: a name alone (every parameter at its default) or
 * `{ name, config }`. The rate of epoch t (from 0) is eta_t of the named schedule, from the base rate eta_0 (the
 * optimizer's `lr`):
 *
 * - `step`: eta_t = eta_0 gamma^floor(t / stepSize);
 * - `exponential`: eta_t = eta_0 gamma^t;
 * - `cosine`: eta_t = etaMin + (eta_0 - etaMin) (1 + cos(pi t / tMax)) / 2;
 * - `warmup`: eta_t = eta_0 (startFactor + (1 - startFactor) t / warmupEpochs) for t < warmupEpochs, then eta_0.
 *
 * @example
 * ```ts
 * const schedule: ScheduleChoice = { name: 'step', config: { stepSize: 50, gamma: 0.5 } };
 * ```
 * @category Recipe
 */
export type ScheduleChoice =
  (typeof SCHEDULE_NAMES)[number] | { name: (typeof SCHEDULE_NAMES)[number]; config?: ScheduleConfig };

/** The parameters each schedule takes. */
const KEYS: Record<(typeof SCHEDULE_NAMES)[number], readonly (keyof ScheduleConfig)[]> = {
  step: ['stepSize', 'gamma'],
  exponential: ['gamma'],
  cosine: ['tMax', 'etaMin'],
  warmup: ['warmupEpochs', 'startFactor'],
};

const fail = (message: string): never => {
  throw new DeltaflowError('E_OPTION', message);
};

/**
 * The full parameters of a schedule: those given, over the defaults for a run of `epochs` epochs (step: a third
 * of the epochs and gamma 0.1; exponential: gamma 0.99; cosine: tMax = epochs and etaMin 0; warmup: 5 epochs from
 * a third of the rate).
 *
 * @example
 * ```ts
 * scheduleDefaults({ name: 'cosine' }, 200); // → { name: 'cosine', config: { tMax: 200, etaMin: 0 } }
 * ```
 * @param choice - the schedule of a run description
 * @param epochs - the run's epochs
 * @returns the schedule's name and every parameter
 * @throws DeltaflowError `E_OPTION` naming an unknown schedule or a parameter the schedule does not take
 * @category Recipe
 */
export function scheduleDefaults(
  choice: ScheduleChoice,
  epochs: number,
): { name: (typeof SCHEDULE_NAMES)[number]; config: ScheduleConfig } {
  const name = typeof choice === 'string' ? choice : (choice as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || !(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    fail(
      `\`schedule\` must be ${SCHEDULE_NAMES.slice(0, -1).join(', ')} or ${SCHEDULE_NAMES.at(-1)}, got ${JSON.stringify(name ?? choice)}.`,
    );
  }
  const known = name as (typeof SCHEDULE_NAMES)[number];
  const given: ScheduleConfig = typeof choice === 'string' ? {} : (choice.config ?? {});
  if (typeof given !== 'object' || given === null) fail('`schedule` config must be an object of parameters.');
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!KEYS[known].includes(key as keyof ScheduleConfig)) {
      const owners = SCHEDULE_NAMES.filter((n) => KEYS[n].includes(key as keyof ScheduleConfig));
      fail(
        owners.length > 0
          ? `\`${key}\` is a parameter of the schedule ${owners.join(' and ')}, not of ${known}; it takes ${KEYS[known].map((k) => `\`${k}\``).join(' and ')}.`
          : `The schedule ${known} has no parameter '${key}'; it takes ${KEYS[known].map((k) => `\`${k}\``).join(' and ')}.`,
      );
    }
  }
  const defaults: Record<(typeof SCHEDULE_NAMES)[number], ScheduleConfig> = {
    step: { stepSize: Math.max(1, Math.ceil(epochs / 3)), gamma: 0.1 },
    exponential: { gamma: 0.99 },
    cosine: { tMax: Math.max(1, epochs), etaMin: 0 },
    warmup: { warmupEpochs: 5, startFactor: 1 / 3 },
  };
  const config: ScheduleConfig = { ...defaults[known] };
  for (const key of KEYS[known]) if (given[key] !== undefined) config[key] = given[key];
  return { name: known, config };
}

/**
 * The schedule function of a run description's schedule (see {@link ScheduleChoice}), for `train()`'s
 * `schedule` option, its parameters checked.
 *
 * @example
 * ```ts
 * const schedule = scheduleOf('step', 90); // stepSize 30, gamma 0.1
 * schedule(30, 0.5); // → 0.05
 * ```
 * @param choice - the schedule of a run description
 * @param epochs - the run's epochs (the defaults of step and cosine depend on them)
 * @throws DeltaflowError `E_OPTION` naming the schedule and the bad parameter
 * @category Recipe
 */
export function scheduleOf(choice: ScheduleChoice, epochs: number): LrSchedule {
  const { name, config } = scheduleDefaults(choice, epochs);
  try {
    switch (name) {
      case 'step':
        return stepDecay({ stepSize: config.stepSize!, gamma: config.gamma! });
      case 'exponential':
        return exponentialDecay({ gamma: config.gamma! });
      case 'cosine':
        return cosineAnnealing({ tMax: config.tMax!, etaMin: config.etaMin! });
      case 'warmup':
        return linearWarmup({ warmupSteps: config.warmupEpochs!, startFactor: config.startFactor! });
    }
  } catch (error) {
    if (!(error instanceof DeltaflowError)) throw error;
    // the library names its own keys (warmupSteps); the description names warmupEpochs
    const message = error.message
      .replace('warmupSteps', 'warmupEpochs')
      .replace(/^The schedule \w+: /, '')
      .replace(/invalid (\w+) =/, 'invalid `$1` =');
    throw new DeltaflowError('E_OPTION', `\`schedule\` ${name}: ${message}`, { cause: error });
  }
}
