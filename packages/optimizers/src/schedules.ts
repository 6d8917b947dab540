import { DeltaflowError } from '@deltaflow/core';

/**
 * A learning-rate schedule: the learning rate eta to use at `step` (counting from 0) given the starting rate
 * `baseLr`. A plain function, so any `(step, baseLr) => number` works; the trainer (or you) sets
 * `optimizer.lr = schedule(step, baseLr)` before each step or epoch.
 *
 * @example
 * ```ts
 * const schedule: LrSchedule = (step, baseLr) => baseLr / (1 + step);
 * optimizer.lr = schedule(epoch, 0.1);
 * ```
 * @category Schedules
 */
export type LrSchedule = (step: number, baseLr: number) => number;

function check(ok: boolean, schedule: string, key: string, value: unknown, expected: string): void {
  if (!ok) {
    throw new DeltaflowError(
      'E_CONFIG',
      `The schedule ${schedule}: invalid ${key} = ${JSON.stringify(value)}; it must be ${expected}.`,
    );
  }
}

const positiveInteger = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x > 0;
const positiveNumber = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;

/**
 * Multiplies the rate by `gamma` every `stepSize` steps, as `torch.optim.lr_scheduler.StepLR`:
 * eta_t = eta_0 * gamma^floor(t / stepSize).
 *
 * @example
 * ```ts
 * const schedule = stepDecay({ stepSize: 10 });   // gamma 0.1
 * schedule(25, 0.1);                              // 0.1 * 0.1^2 → 0.001
 * ```
 * @category Schedules
 */
export function stepDecay(config: { stepSize: number; gamma?: number }): LrSchedule {
  const { stepSize, gamma = 0.1 } = config;
  check(positiveInteger(stepSize), 'stepDecay', 'stepSize', stepSize, 'an integer >= 1');
  check(positiveNumber(gamma), 'stepDecay', 'gamma', gamma, 'a number > 0');
  return (step, baseLr) => baseLr * gamma ** Math.floor(step / stepSize);
}

/**
 * Multiplies the rate by `gamma` every step, as `torch.optim.lr_scheduler.ExponentialLR`: eta_t = eta_0 * gamma^t.
 *
 * @example
 * ```ts
 * exponentialDecay({ gamma: 0.9 })(2, 0.1);   // 0.1 * 0.9^2 → 0.081
 * ```
 * @category Schedules
 */
export function exponentialDecay(config: { gamma: number }): LrSchedule {
  const { gamma } = config;
  check(positiveNumber(gamma), 'exponentialDecay', 'gamma', gamma, 'a number > 0');
  return (step, baseLr) => baseLr * gamma ** step;
}

/**
 * Cosine annealing from eta_0 down to `etaMin` over `tMax` steps, the closed form of
 * `torch.optim.lr_scheduler.CosineAnnealingLR`: eta_t = etaMin + (eta_0 - etaMin) (1 + cos(pi t / tMax)) / 2.
 * Past `tMax` the cosine goes on (back up towards eta_0), as torch's closed form does.
 *
 * @example
 * ```ts
 * const schedule = cosineAnnealing({ tMax: 100 });
 * schedule(50, 0.1);    // → 0.05
 * schedule(100, 0.1);   // → 0
 * ```
 * @category Schedules
 */
export function cosineAnnealing(config: { tMax: number; etaMin?: number }): LrSchedule {
  const { tMax, etaMin = 0 } = config;
  check(positiveNumber(tMax), 'cosineAnnealing', 'tMax', tMax, 'a number > 0');
  check(
    typeof etaMin === 'number' && Number.isFinite(etaMin) && etaMin >= 0,
    'cosineAnnealing',
    'etaMin',
    etaMin,
    'a number >= 0',
  );
  return (step, baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * step) / tMax))) / 2;
}

/**
 * A linear warm-up from `startFactor * eta_0` to eta_0 over `warmupSteps` steps, as
 * `torch.optim.lr_scheduler.LinearLR` (end factor 1):
 * eta_t = eta_0 * (startFactor + (1 - startFactor) * t / warmupSteps) for t < warmupSteps. After it, `then` runs
 * with its own step counting from 0 (as torch's `SequentialLR` does), or the rate stays at eta_0.
 * `startFactor` defaults to 1/3, torch's default `start_factor`.
 *
 * @example
 * ```ts
 * const schedule = linearWarmup({ warmupSteps: 5, then: cosineAnnealing({ tMax: 95 }) });
 * schedule(0, 0.1);   // 0.1 / 3
 * schedule(5, 0.1);   // the cosine's step 0 → 0.1
 * ```
 * @category Schedules
 */
export function linearWarmup(config: {
  warmupSteps: number;
  startFactor?: number;
  then?: LrSchedule;
}): LrSchedule {
  const { warmupSteps, startFactor = 1 / 3, then } = config;
  check(
    typeof warmupSteps === 'number' && Number.isInteger(warmupSteps) && warmupSteps >= 0,
    'linearWarmup',
    'warmupSteps',
    warmupSteps,
    'an integer >= 0',
  );
  check(
    positiveNumber(startFactor) && startFactor <= 1,
    'linearWarmup',
    'startFactor',
    startFactor,
    'in (0, 1]',
  );
  check(
    then === undefined || typeof then === 'function',
    'linearWarmup',
    'then',
    typeof then,
    'a schedule function',
  );
  return (step, baseLr) => {
    if (step < warmupSteps) return baseLr * (startFactor + ((1 - startFactor) * step) / warmupSteps);
    return then ? then(step - warmupSteps, baseLr) : baseLr;
  };
}
