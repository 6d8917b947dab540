import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { getSchedule } from './get-schedule.js';
import { createOptimizer } from './index.js';
import { cosineAnnealing, exponentialDecay, linearWarmup, stepDecay } from './schedules.js';

// Expected values are torch.optim.lr_scheduler's closed forms (_get_closed_form_lr), with eta_0 = base lr.
const base = 0.1;

describe('schedules', () => {
  it('stepDecay: StepLR, eta_0 * gamma^floor(t / stepSize)', () => {
    const schedule = stepDecay({ stepSize: 3, gamma: 0.5 });
    expect([0, 1, 2, 3, 5, 6, 9].map((t) => schedule(t, base))).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125,
    ]);
    expect(stepDecay({ stepSize: 10 })(25, base)).toBeCloseTo(base * 0.1 ** 2, 15); // gamma defaults to 0.1
  });

  it('exponentialDecay: ExponentialLR, eta_0 * gamma^t', () => {
    const schedule = exponentialDecay({ gamma: 0.9 });
    expect(schedule(0, base)).toBe(base);
    expect(schedule(3, base)).toBeCloseTo(0.1 * 0.729, 15);
  });

  it('cosineAnnealing: CosineAnnealingLR, etaMin + (eta_0 - etaMin)(1 + cos(pi t / tMax)) / 2', () => {
    const schedule = cosineAnnealing({ tMax: 10, etaMin: 0.001 });
    expect(schedule(0, base)).toBeCloseTo(base, 15);
    expect(schedule(5, base)).toBeCloseTo(0.001 + 0.099 * 0.5, 15);
    expect(schedule(10, base)).toBeCloseTo(0.001, 15);
    expect(schedule(3, base)).toBeCloseTo(0.001 + (0.099 * (1 + Math.cos((3 * Math.PI) / 10))) / 2, 15);
    expect(cosineAnnealing({ tMax: 4 })(2, base)).toBeCloseTo(0.05, 15); // etaMin defaults to 0
  });

  it("linearWarmup: LinearLR with torch's start factor 1/3, then the next schedule from its step 0", () => {
    const warm = linearWarmup({ warmupSteps: 4 });
    expect(warm(0, base)).toBeCloseTo(base / 3, 15);
    expect(warm(2, base)).toBeCloseTo(base * (1 / 3 + (2 / 3) * 0.5), 15);
    expect(warm(4, base)).toBe(base);
    expect(warm(100, base)).toBe(base);
    const then = linearWarmup({
      warmupSteps: 2,
      startFactor: 0.5,
      then: stepDecay({ stepSize: 1, gamma: 0.5 }),
    });
    [0.05, 0.075, 0.1, 0.05, 0.025].forEach((lr, t) => expect(then(t, base)).toBeCloseTo(lr, 15));
  });

  it('refuses bad settings naming them', () => {
    expect(() => stepDecay({ stepSize: 0 })).toThrow(/stepSize/);
    expect(() => stepDecay({ stepSize: 1.5 })).toThrow(DeltaflowError);
    expect(() => exponentialDecay({ gamma: -1 })).toThrow(/gamma/);
    expect(() => cosineAnnealing({ tMax: 0 })).toThrow(/tMax/);
    expect(() => linearWarmup({ warmupSteps: 3, startFactor: 0 })).toThrow(/startFactor/);
    expect(() => linearWarmup({ warmupSteps: -1 })).toThrow(/warmupSteps/);
  });

  it('getSchedule builds schedules from { name, config }, nested for then', () => {
    const schedule = getSchedule({
      name: 'linear-warmup',
      config: { warmupSteps: 2, then: { name: 'cosine-annealing', config: { tMax: 4 } } },
    });
    expect(schedule(0, base)).toBeCloseTo(base / 3, 15);
    expect(schedule(2, base)).toBeCloseTo(base, 15);
    expect(schedule(4, base)).toBeCloseTo(base / 2, 15);
    expect(getSchedule({ name: 'step-decay', config: { stepSize: 2 } })(2, base)).toBeCloseTo(0.01, 15);
    expect(getSchedule({ name: 'exponential-decay', config: { gamma: 0.5 } })(1, base)).toBe(0.05);
    const own = (t: number, lr: number) => lr / (1 + t);
    expect(getSchedule(own)).toBe(own);
    expect(() => getSchedule({ name: 'one-cycle' })).toThrow(
      /Unknown schedule 'one-cycle'; registered: step-decay/,
    );
    expect(() => getSchedule({ name: 'toString' })).toThrow(/Unknown schedule/);
    expect(() => getSchedule({ name: 'step-decay', config: { step_size: 2 } })).toThrow(/'step_size'/);
    expect(() => getSchedule({ name: 'cosine-annealing' })).toThrow(/tMax/);
  });

  it('drives an optimizer through the lr setter', () => {
    const value = Tensor.fromArray([1], [1], 'float64');
    const grad = Tensor.fromArray([1], [1], 'float64');
    const optimizer = createOptimizer('sgd', [{ name: 'w', value, grad }], { lr: 0.1 });
    const schedule = stepDecay({ stepSize: 1, gamma: 0.5 });
    const seen: number[] = [];
    for (let t = 0; t < 3; t++) {
      optimizer.lr = schedule(t, 0.1);
      const before = value.data[0]!;
      optimizer.step();
      seen.push(before - value.data[0]!);
    }
    expect(seen.map((x) => Number(x.toFixed(12)))).toEqual([0.1, 0.05, 0.025]);
  });
});
