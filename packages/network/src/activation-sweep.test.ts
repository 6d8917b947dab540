import { activations, elementwise, getActivation } from '@deltaflow/activations';
import { describe, expect, it } from 'vitest';
import { activationSweep } from './activation-sweep.js';

describe('activationSweep: every df against central differences over -10..10', () => {
  it('passes every built-in activation (with its default config) below 1e-6', () => {
    for (const name of activations.names()) {
      const result = activationSweep(getActivation(name));
      expect(result.checked, name).toBe(4000);
      expect(result.worst, `${name} at x = ${result.worstX}`).toBeLessThan(1e-6);
    }
  });

  it('catches a df that is wrong only for |x| > 2.5, and reports the worst x', () => {
    const tanhish = (x: number): number => Math.tanh(x);
    const wrong = elementwise({
      name: 'bad-tanh',
      f: tanhish,
      // right within -2.5..2.5 (where a model's net inputs usually are), 10% off outside
      df: (x, y) => (1 - y * y) * (Math.abs(x) > 2.5 ? 1.1 : 1),
    });
    const inside = activationSweep(wrong, { from: -2.5, to: 2.5 });
    expect(inside.worst).toBeLessThan(1e-6);
    const result = activationSweep(wrong);
    expect(result.worst).toBeGreaterThan(0.05);
    expect(Math.abs(result.worstX)).toBeGreaterThan(2.5);
    expect(result.analytic / result.numeric).toBeCloseTo(1.1, 6);
  });

  it('leaves out the x next to a declared kink, and fails one that is not declared', () => {
    // a kink right at a point of the sweep (x = 0.0025, the middle of a step)
    const spec = {
      name: 'bent',
      f: (x: number) => Math.abs(x - 0.0025),
      df: (x: number) => Math.sign(x - 0.0025),
    };
    const declared = activationSweep(elementwise({ ...spec, kinks: [0.0025] }));
    expect(declared.atKink).toBe(1);
    expect(declared.worst).toBeLessThan(1e-10);
    const undeclared = activationSweep(elementwise(spec));
    expect(undeclared.worst).toBeGreaterThan(0.5);
    expect(undeclared.worstX).toBeCloseTo(0.0025, 12);
    // relu's kink at 0 lies between two points: nothing to leave out
    expect(activationSweep(getActivation('relu'))).toMatchObject({ atKink: 0, checked: 4000 });
  });
});
