import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { createOptimizer } from './index.js';
import type { OptimizerOptions, OptimizerStateDict, Parameter } from './index.js';
import { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';

/** Two parameters (a [2, 3] weight and a [3] bias) whose gradient is that of a quadratic, so it follows W. */
function model(dtype: DType = 'float64'): { params: Parameter[]; fillGrads: () => void } {
  const params: Parameter[] = [
    {
      name: 'weights',
      value: Tensor.fromArray([0.5, -1, 2, 0.1, 0.7, -0.3], [2, 3], dtype),
      grad: Tensor.zeros([2, 3], dtype),
    },
    { name: 'bias', value: Tensor.fromArray([0.2, -0.4, 1.5], [3], dtype), grad: Tensor.zeros([3], dtype) },
  ];
  const fillGrads = (): void => {
    for (const p of params) {
      for (let i = 0; i < p.value.size; i++)
        p.grad.data[i] = (i + 1) * (p.value.data[i]! - 0.3) + 0.05 * p.value.data[i]! ** 3;
    }
  };
  return { params, fillGrads };
}

const snapshot = (params: Parameter[]): number[][] => params.map((p) => Array.from(p.value.data));

const configurations: [string, Partial<OptimizerOptions>][] = [
  ['sgd', { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }],
  ['sgd', { lr: 0.05, momentum: 0.9, nesterov: true }],
  ['adam', { lr: 0.05, amsgrad: true, weightDecay: 0.01 }],
  ['adamw', { lr: 0.05 }],
  ['rmsprop', { lr: 0.01, momentum: 0.5, centered: true }],
  ['adagrad', { lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.1 }],
];

describe('Optimizer', () => {
  describe.each(['float64', 'float32'] as const)('stateDict / loadStateDict (%s)', (dtype) => {
    it.each(configurations)(
      '%s %o: 2 steps, save, JSON, restore, 3 steps = 5 steps, bit for bit',
      (name, options) => {
        const straight = model(dtype);
        const reference = createOptimizer(name, straight.params, options);
        for (let t = 0; t < 5; t++) {
          straight.fillGrads();
          reference.step();
        }

        const first = model(dtype);
        const before = createOptimizer(name, first.params, options);
        for (let t = 0; t < 2; t++) {
          first.fillGrads();
          before.step();
        }
        const json = JSON.stringify(before.stateDict());
        const second = model(dtype);
        second.params.forEach((p, i) => p.value.data.set(first.params[i]!.value.data));
        const after = createOptimizer(name, second.params); // default options: the state brings them back
        after.loadStateDict(JSON.parse(json) as OptimizerStateDict);
        expect(after.stepCount).toBe(2);
        expect(after.options).toEqual(before.options);
        for (let t = 0; t < 3; t++) {
          second.fillGrads();
          after.step();
        }
        expect(snapshot(second.params)).toEqual(snapshot(straight.params));
        expect(after.stateDict()).toEqual(reference.stateDict());
      },
    );
  });

  it('stateDict is plain data', () => {
    const { params, fillGrads } = model();
    const optimizer = createOptimizer('adam', params);
    fillGrads();
    optimizer.step();
    const dict = optimizer.stateDict();
    expect(dict.name).toBe('adam');
    expect(dict.step).toBe(1);
    expect(dict.states.map((s) => [s.name, s.size])).toEqual([
      ['weights', 6],
      ['bias', 3],
    ]);
    expect(Array.isArray(dict.states[0]!.state['expAvg'])).toBe(true);
    expect(JSON.parse(JSON.stringify(dict))).toEqual(dict);
  });

  it('loadStateDict refuses a mismatched state with a clear error and changes nothing', () => {
    const { params, fillGrads } = model();
    const optimizer = createOptimizer('sgd', params, { momentum: 0.9 });
    fillGrads();
    optimizer.step();
    const good = optimizer.stateDict();
    const expectState = (dict: unknown, message: RegExp): void => {
      const target = createOptimizer('sgd', model().params, { momentum: 0.5 });
      expect(() => target.loadStateDict(dict as OptimizerStateDict)).toThrow(message);
      expect(target.stepCount).toBe(0);
      expect(target.options.momentum).toBe(0.5);
    };
    expectState({ ...good, name: 'adam' }, /saved by the optimizer 'adam'.*this one is 'sgd'/);
    expectState({ ...good, step: -1 }, /step/);
    expectState(
      { ...good, options: { ...good.options, momentom: 1 } },
      /The optimizer 'sgd' has no config key 'momentom'; did you mean 'momentum'\?/,
    );
    expectState({ ...good, states: [good.states[0]] }, /no saved state for parameter 'bias'/);
    expectState({ ...good, states: [...good.states, { name: 'extra', size: 1, state: {} }] }, /'extra'/);
    expectState(
      { ...good, states: [good.states[0], { ...good.states[1]!, size: 4 }] },
      /'bias' has 3 values here but 4/,
    );
    const shortBuffer = { ...good.states[1]!, state: { momentumBuffer: [1, 2] } };
    expectState(
      { ...good, states: [good.states[0], shortBuffer] },
      /'bias'.momentumBuffer must be an array of 3 numbers, got 2/,
    );
    expectState({ ...good, states: [good.states[0], good.states[0], good.states[1]] }, /'weights' twice/);
    const extraKey = { ...good.states[1]!, state: { ...good.states[1]!.state, velocity: 1 } };
    expectState({ ...good, states: [good.states[0], extraKey] }, /'velocity'/);
    const badNumber = { ...good.states[1]!, state: { momentumBuffer: [1, null, 3] } };
    expectState({ ...good, states: [good.states[0], badNumber] }, /momentumBuffer\[1\] must be a number/);
    try {
      createOptimizer('sgd', model().params).loadStateDict({ ...good, name: 'adam' });
    } catch (error) {
      expect((error as DeltaflowError).code).toBe('E_STATE');
    }
  });

  it('counts steps from 1 and passes the step to the rule', () => {
    const seen: number[] = [];
    const rule = {
      name: 'spy',
      defaults: { lr: 1 },
      init: () => ({}),
      update: (_p: unknown, _g: unknown, _s: unknown, _o: unknown, t: number) => void seen.push(t),
    };
    const optimizer = new Optimizer(rule, model().params);
    expect(optimizer.stepCount).toBe(0);
    optimizer.step();
    optimizer.step();
    expect(seen).toEqual([1, 1, 2, 2]); // two parameters per step
    expect(optimizer.stepCount).toBe(2);
  });

  it('the lr setter changes the next update', () => {
    const value = Tensor.fromArray([1, 2], [2], 'float64');
    const grad = Tensor.fromArray([0.5, -1], [2], 'float64');
    const optimizer = new Optimizer(sgd, [{ name: 'w', value, grad }], { lr: 0.1 });
    optimizer.step(); // W <- W - 0.1 * g
    expect(Array.from(value.data)).toEqual([1 - 0.1 * 0.5, 2 + 0.1 * 1]);
    optimizer.lr = 0.01;
    expect(optimizer.lr).toBe(0.01);
    optimizer.step(); // W <- W - 0.01 * g
    expect(Array.from(value.data)).toEqual([1 - 0.1 * 0.5 - 0.01 * 0.5, 2 + 0.1 * 1 + 0.01 * 1]);
    expect(() => (optimizer.lr = -1)).toThrow(/learning rate/);
    expect(() => (optimizer.lr = Number.NaN)).toThrow(DeltaflowError);
    expect(optimizer.lr).toBe(0.01);
    expect(sgd.defaults.lr).toBe(0.001); // the rule's defaults are never changed
  });

  it('zeroGrad clears every gradient', () => {
    const { params, fillGrads } = model();
    const optimizer = createOptimizer('sgd', params);
    fillGrads();
    optimizer.zeroGrad();
    for (const p of params) expect(Array.from(p.grad.data).every((x) => x === 0)).toBe(true);
  });

  it('refuses unknown option keys and wrong types, naming the key', () => {
    const { params } = model();
    expect(() => createOptimizer('sgd', params, { momentom: 0.9 })).toThrow(
      /The optimizer 'sgd' has no config key 'momentom'; did you mean 'momentum'\? Its keys: lr, momentum/,
    );
    expect(() => createOptimizer('sgd', params, { nesterov: 1 })).toThrow(
      /config key 'nesterov' must be a boolean/,
    );
    expect(() => createOptimizer('adam', params, { beta1: true })).toThrow(
      /config key 'beta1' must be a finite number/,
    );
    expect(
      createOptimizer('sgd', params, { momentum: undefined as unknown as number }).options.momentum,
    ).toBe(0);
  });

  it('refuses repeated parameter names and mismatched value/grad', () => {
    const p = { name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([2]) };
    expect(() => new Optimizer(sgd, [p, p])).toThrow(/two parameters are named 'w'/);
    expect(
      () => new Optimizer(sgd, [{ name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([3]) }]),
    ).toThrow(/2 values but its grad has 3/);
    expect(
      () => new Optimizer(sgd, [{ name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([2], 'float64') }]),
    ).toThrow(/float32 but its grad is float64/);
  });

  it('creates state in the parameter dtype and keeps the same arrays across steps', () => {
    for (const [name, options] of configurations) {
      const { params, fillGrads } = model('float32');
      const optimizer = createOptimizer(name, params, options);
      const arrays = Object.values(optimizer.stateOf('weights'));
      for (const x of arrays) if (typeof x !== 'number') expect(x).toBeInstanceOf(Float32Array);
      for (let t = 0; t < 3; t++) {
        fillGrads();
        optimizer.step();
      }
      expect(Object.values(optimizer.stateOf(params[0]!))).toEqual(arrays);
      Object.values(optimizer.stateOf('weights')).forEach((x, i) => expect(x).toBe(arrays[i]));
    }
    expect(() => createOptimizer('sgd', model().params).stateOf('nope')).toThrow(/no parameter named 'nope'/);
  });

  it('allocates no typed arrays during step()', () => {
    // Counts `new Float32Array` / `new Float64Array` anywhere (allocate() in @deltaflow/tensor included).
    const countTypedArrays = (run: () => void): number => {
      const originals = { Float32Array, Float64Array };
      let created = 0;
      const counting = <T extends object>(ctor: T): T =>
        new Proxy(ctor, {
          construct(target, args, newTarget) {
            created++;
            return Reflect.construct(
              target as unknown as new (...a: unknown[]) => object,
              args,
              newTarget,
            ) as object;
          },
        });
      globalThis.Float32Array = counting(originals.Float32Array);
      globalThis.Float64Array = counting(originals.Float64Array);
      try {
        run();
      } finally {
        globalThis.Float32Array = originals.Float32Array;
        globalThis.Float64Array = originals.Float64Array;
      }
      return created;
    };
    for (const [name, options] of configurations) {
      const { params, fillGrads } = model();
      let optimizer: Optimizer | undefined;
      expect(countTypedArrays(() => (optimizer = createOptimizer(name, params, options)))).toBeGreaterThan(0);
      fillGrads();
      expect(countTypedArrays(() => (optimizer!.step(), optimizer!.step()))).toBe(0);
    }
  });
});
