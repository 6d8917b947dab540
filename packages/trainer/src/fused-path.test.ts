/**
 * The fused small-network path (`FusedSmallNetwork` of @deltaflow/network, chosen by the training loop) gives the
 * general path's numbers bit for bit: every event (loss, gradient statistics, metrics, output samples, the model
 * file) and the final weights, for the activations, dtypes, optimizers and seeds it covers; and what it does not
 * cover falls back to the general path. Run under `npm run test:backends` too (js and wasm-simd).
 */
import { FusedSmallNetwork, TinySgdNetwork, mlp } from '@deltaflow/network';
import type { LayerSpec, Sequential } from '@deltaflow/network';
import { Random, Tensor, getBackend, jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainingEvent } from './events.js';
import type { TrainOptions } from './options.js';
import { train } from './train.js';
import { TrainingLoop } from './training-loop.js';

/** Keys that measure time, not arithmetic. */
const CLOCK = new Set(['elapsedMs', 'samplesPerSecond', 'created']);

/** Events as text, every number written exactly (-0 and NaN included), the clock's fields left out. */
function canonical(events: TrainingEvent[]): string {
  return JSON.stringify(events, (key, value: unknown) => {
    if (CLOCK.has(key)) return undefined;
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return 'NaN';
      if (Object.is(value, -0)) return '-0';
      if (!Number.isFinite(value)) return String(value);
    }
    if (ArrayBuffer.isView(value)) return Array.from(value as Float64Array).map(String);
    return value;
  });
}

/** The bytes of every parameter, in order. */
function parameterBytes(model: Sequential): number[] {
  const bytes: number[] = [];
  for (const p of model.parameters()) {
    const d = p.value.data;
    bytes.push(...new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  return bytes;
}

interface Case {
  name: string;
  inputs: number;
  layers: LayerSpec[];
  dtype: DType;
  rows: number;
  options: TrainOptions;
}

function data(c: Case, seed: number) {
  const rng = new Random(seed + 1000);
  const outputs = c.layers.at(-1)!.units;
  const x = Tensor.zeros([c.rows, c.inputs], c.dtype);
  const t = Tensor.zeros([c.rows, outputs], c.dtype);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform() * 4 - 2;
  for (let i = 0; i < c.rows; i++) t.data[i * outputs + rng.int(outputs)] = 1;
  return { inputs: x, targets: t };
}

async function run(c: Case, seed: number, fused: boolean) {
  const before = FusedSmallNetwork.enabled;
  FusedSmallNetwork.enabled = fused;
  const spy = vi.spyOn(FusedSmallNetwork.prototype, 'forwardLoss');
  const batches = vi.spyOn(TrainingLoop.prototype, 'runBatch');
  const epochs = vi.spyOn(TrainingLoop.prototype, 'runEpoch');
  const tiny = vi.spyOn(TinySgdNetwork.prototype, 'epoch');
  try {
    const model = mlp({ inputs: c.inputs, layers: c.layers, seed, dtype: c.dtype });
    const events = await lastValueFrom(
      train(model, data(c, seed), { seed, outputSample: 2, ...c.options }).pipe(toArray()),
    );
    return {
      events: canonical(events),
      bytes: parameterBytes(model),
      fusedCalls: spy.mock.calls.length,
      batchCalls: batches.mock.calls.length,
      epochCalls: epochs.mock.calls.length,
      tinyCalls: tiny.mock.calls.length,
    };
  } finally {
    tiny.mockRestore();
    spy.mockRestore();
    batches.mockRestore();
    epochs.mockRestore();
    FusedSmallNetwork.enabled = before;
  }
}

const sgd: TrainOptions = { epochs: 30, lr: 0.5, optimizer: 'sgd', loss: 'mse' };

const COVERED: Case[] = [];
for (const dtype of ['float32', 'float64'] as const) {
  COVERED.push(
    {
      name: `XOR-like 2-4-1 sigmoid, full batch, ${dtype}`,
      inputs: 2,
      layers: [{ units: 4 }, { units: 1 }],
      dtype,
      rows: 4,
      options: { ...sgd, batchSize: 4, shuffle: false },
    },
    {
      name: `3-8-5-2 tanh/relu/sigmoid, batches of 5 over 13 rows (a short last batch), shuffled, ${dtype}`,
      inputs: 3,
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 5, activation: 'relu' },
        { units: 2, activation: 'sigmoid' },
      ],
      dtype,
      rows: 13,
      options: { ...sgd, lr: 0.1, batchSize: 5 },
    },
    {
      name: `4-6-3 relu/linear, sgd with momentum and nesterov, ${dtype}`,
      inputs: 4,
      layers: [
        { units: 6, activation: 'relu' },
        { units: 3, activation: 'linear' },
      ],
      dtype,
      rows: 8,
      options: {
        ...sgd,
        lr: 0.05,
        batchSize: 4,
        optimizerOptions: { momentum: 0.9, nesterov: true },
      },
    },
    {
      name: `2-5-5-1 linear/tanh/sigmoid, adam and an L2 penalty, ${dtype}`,
      inputs: 2,
      layers: [
        { units: 5, activation: 'linear' },
        { units: 5, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      dtype,
      rows: 6,
      options: { ...sgd, lr: 0.01, optimizer: 'adam', batchSize: 3, l2: 0.01 },
    },
  );
}

/** Runs of one fused batch per epoch and nothing else to measure: the loop's lean epoch (`runEpoch`). */
const LEAN: Case[] = [];
for (const dtype of ['float32', 'float64'] as const) {
  LEAN.push(
    {
      name: `XOR-like 2-4-1 sigmoid, full batch, shuffled, ${dtype}`,
      inputs: 2,
      layers: [{ units: 4 }, { units: 1 }],
      dtype,
      rows: 4,
      options: { ...sgd, batchSize: 4, outputSample: 0 },
    },
    {
      name: `3-8-5-2 tanh/relu/sigmoid, a full batch of 13, momentum and a schedule, ${dtype}`,
      inputs: 3,
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 5, activation: 'relu' },
        { units: 2, activation: 'sigmoid' },
      ],
      dtype,
      rows: 13,
      options: {
        ...sgd,
        lr: 0.1,
        batchSize: 64,
        outputSample: 0,
        optimizerOptions: { momentum: 0.9 },
        schedule: (epoch, lr) => (epoch < 10 ? lr : lr / 2),
      },
    },
    {
      name: `4-6-3 relu/linear regression (mse, mae, r2), ${dtype}`,
      inputs: 4,
      layers: [
        { units: 6, activation: 'relu' },
        { units: 3, activation: 'linear' },
      ],
      dtype,
      rows: 8,
      options: { ...sgd, lr: 0.05, batchSize: 8, outputSample: 0, task: 'regression' },
    },
    {
      name: `relu/linear at lr 1e6: diverges, ${dtype}`,
      inputs: 2,
      layers: [
        { units: 4, activation: 'relu' },
        { units: 1, activation: 'linear' },
      ],
      dtype,
      rows: 4,
      options: { ...sgd, lr: 1e6, batchSize: 4, outputSample: 0 },
    },
  );
}

/** Runs the general path never covers (or covers only some batches of). */
const FALLBACK: Case[] = [
  {
    name: 'softmax output with cross-entropy',
    inputs: 2,
    layers: [{ units: 4 }, { units: 3, activation: 'softmax' }],
    dtype: 'float32',
    rows: 6,
    options: { ...sgd, loss: 'cross-entropy', batchSize: 3 },
  },
  {
    name: 'a leaky-relu hidden layer',
    inputs: 2,
    layers: [{ units: 4, activation: 'leaky-relu' }, { units: 1 }],
    dtype: 'float32',
    rows: 4,
    options: { ...sgd, batchSize: 4 },
  },
  {
    name: 'dropout',
    inputs: 2,
    layers: [{ units: 4, dropout: 0.25 }, { units: 1 }],
    dtype: 'float64',
    rows: 4,
    options: { ...sgd, batchSize: 2 },
  },
  {
    name: 'a product above the small-product threshold (64 x 8 x 16 = 8192)',
    inputs: 8,
    layers: [{ units: 16 }, { units: 2 }],
    dtype: 'float32',
    rows: 64,
    options: { ...sgd, epochs: 5, batchSize: 64 },
  },
];

describe('fused small-network path', () => {
  afterEach(() => {
    FusedSmallNetwork.enabled = true;
  });

  for (const c of COVERED) {
    it(`is bit-identical to the general path: ${c.name}`, async () => {
      for (const seed of [1, 7, 42]) {
        const general = await run(c, seed, false);
        const fused = await run(c, seed, true);
        expect(general.fusedCalls).toBe(0);
        // the fused path ran every batch (the backends this suite runs on are covered)
        expect(fused.fusedCalls).toBe((c.options.epochs ?? 0) * Math.ceil(c.rows / c.options.batchSize!));
        expect(fused.events).toBe(general.events);
        expect(fused.bytes).toEqual(general.bytes);
      }
    });
  }

  for (const c of LEAN) {
    it(`runs whole epochs in one call, bit-identical to the general path: ${c.name}`, async () => {
      for (const seed of [1, 7, 42]) {
        const general = await run(c, seed, false);
        const lean = await run(c, seed, true);
        expect(general.epochCalls).toBe(0);
        expect(lean.batchCalls).toBe(0);
        // each epoch ran in one call: the fused TypeScript path's, or the WebAssembly tiny-network kernel's
        expect(lean.epochCalls).toBe(lean.fusedCalls + lean.tinyCalls);
        expect(lean.epochCalls).toBeGreaterThan(0);
        if (c.options.lr === 1e6) expect(general.events).toContain('"reason":"diverged"');
        expect(lean.events).toBe(general.events);
        expect(lean.bytes).toEqual(general.bytes);
      }
    });
  }

  it('a lean run takes the batch path while the backend is not covered, and the run stays the same', async () => {
    const c = LEAN[0]!;
    const base = getBackend();
    const expected = await run(c, 5, false);
    const previous = setBackend({ ...base, name: 'custom' });
    try {
      const custom = await run(c, 5, true);
      expect(custom.fusedCalls).toBe(0);
      expect(custom.tinyCalls).toBe(0);
      expect(custom.batchCalls).toBe(c.options.epochs);
      expect(custom.events).toBe(expected.events);
    } finally {
      setBackend(previous);
    }
  });

  it('batch events keep the batch path', async () => {
    const c: Case = { ...LEAN[0]!, options: { ...LEAN[0]!.options, batchEvents: true } };
    const general = await run(c, 4, false);
    const fused = await run(c, 4, true);
    expect(fused.epochCalls).toBe(0);
    expect(fused.fusedCalls).toBe(c.options.epochs);
    expect(fused.events).toBe(general.events);
  });

  for (const c of FALLBACK) {
    it(`falls back to the general path: ${c.name}`, async () => {
      const general = await run(c, 3, false);
      const fused = await run(c, 3, true);
      expect(fused.fusedCalls).toBe(0);
      expect(fused.events).toBe(general.events);
      expect(fused.bytes).toEqual(general.bytes);
    });
  }

  it('falls back on a backend it does not know, and the run stays the same', async () => {
    const c = COVERED[0]!;
    const base = getBackend();
    const expected = await run(c, 5, false);
    const previous = setBackend({ ...base, name: 'custom' });
    try {
      const custom = await run(c, 5, true);
      expect(custom.fusedCalls).toBe(0);
      expect(custom.events).toBe(expected.events);
    } finally {
      setBackend(previous);
    }
  });

  it('a diverging run ends the same way on both paths', async () => {
    const c: Case = {
      name: 'diverging',
      inputs: 2,
      layers: [
        { units: 4, activation: 'relu' },
        { units: 1, activation: 'linear' },
      ],
      dtype: 'float32',
      rows: 4,
      options: { ...sgd, lr: 1e6, batchSize: 2 },
    };
    const general = await run(c, 2, false);
    const fused = await run(c, 2, true);
    expect(fused.fusedCalls).toBeGreaterThan(0);
    expect(general.events).toContain('"reason":"diverged"');
    expect(fused.events).toBe(general.events);
    expect(fused.bytes).toEqual(general.bytes);
  });
});

/** Lean float32 classification runs with plain sgd: on a WebAssembly backend, one kernel call per epoch. */
const TINY: Case[] = [
  {
    name: 'XOR-like 2-4-1 sigmoid, full batch, in order',
    inputs: 2,
    layers: [{ units: 4 }, { units: 1 }],
    dtype: 'float32',
    rows: 4,
    options: { ...sgd, epochs: 300, batchSize: 4, shuffle: false, outputSample: 0 },
  },
  {
    name: 'XOR-like 2-4-1 sigmoid, shuffled, with a schedule',
    inputs: 2,
    layers: [{ units: 4 }, { units: 1 }],
    dtype: 'float32',
    rows: 4,
    options: { ...sgd, batchSize: 4, outputSample: 0, schedule: (epoch, lr) => (epoch < 10 ? lr : lr / 2) },
  },
  {
    name: '3-8-5-3 relu/sigmoid/linear, 13 rows, three classes',
    inputs: 3,
    layers: [
      { units: 8, activation: 'relu' },
      { units: 5, activation: 'sigmoid' },
      { units: 3, activation: 'linear' },
    ],
    dtype: 'float32',
    rows: 13,
    options: { ...sgd, lr: 0.1, batchSize: 13, outputSample: 0 },
  },
  {
    name: 'relu/linear at lr 1e6: diverges',
    inputs: 2,
    layers: [
      { units: 4, activation: 'relu' },
      { units: 1, activation: 'linear' },
    ],
    dtype: 'float32',
    rows: 4,
    options: { ...sgd, lr: 1e6, batchSize: 4, outputSample: 0 },
  },
  {
    name: 'sigmoid at lr 1e300: the weights overflow after a finite E',
    inputs: 2,
    layers: [{ units: 4 }, { units: 1 }],
    dtype: 'float32',
    rows: 4,
    options: { ...sgd, lr: 1e300, batchSize: 4, outputSample: 0 },
  },
];

describe('the WebAssembly tiny-network kernel in lean runs', () => {
  const wasm = loadWasmBackend();
  let previous = getBackend();
  afterEach(() => {
    setBackend(previous);
  });

  for (const c of TINY) {
    it(`runs every epoch in one kernel call, bit-identical to the general path: ${c.name}`, async () => {
      previous = setBackend(wasm!);
      for (const seed of [1, 7, 42]) {
        const general = await run(c, seed, false);
        const tiny = await run(c, seed, true);
        expect(general.tinyCalls).toBe(0);
        expect(tiny.batchCalls).toBe(0);
        expect(tiny.fusedCalls).toBe(0);
        expect(tiny.tinyCalls).toBe(tiny.epochCalls);
        expect(tiny.tinyCalls).toBeGreaterThan(0);
        if ((c.options.lr ?? 0) >= 1e6) expect(general.events).toContain('"reason":"diverged"');
        expect(tiny.events).toBe(general.events);
        expect(tiny.bytes).toEqual(general.bytes);
      }
    });
  }

  it('a run that leaves the kernel mid-run makes its epoch statistics then, and stays the same', async () => {
    previous = setBackend(wasm!);
    const c = TINY[0]!;
    const expected = await run(c, 9, false);
    const kernelEpochs = vi.spyOn(TinySgdNetwork.prototype, 'epoch');
    const batches = vi.spyOn(TrainingLoop.prototype, 'runBatch');
    try {
      const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 9, dtype: c.dtype });
      const events = await lastValueFrom(
        train(model, data(c, 9), { seed: 9, outputSample: 2, ...c.options }).pipe(
          // a backend the kernel does not know from epoch 101 on: the batch path, whose statistics and weight
          // snapshot the run makes only then
          tap((e) => {
            if (e.type === 'epoch' && e.epoch === 100) setBackend({ ...wasm!, name: 'custom' });
          }),
          toArray(),
        ),
      );
      expect(kernelEpochs.mock.calls.length).toBe(100);
      expect(batches.mock.calls.length).toBe(c.options.epochs! - 100);
      expect(canonical(events)).toBe(expected.events);
      expect(parameterBytes(model)).toEqual(expected.bytes);
    } finally {
      kernelEpochs.mockRestore();
      batches.mockRestore();
    }
  });

  it('a run on the kernel makes no batcher, metrics or penalty until an epoch of another path needs them', () => {
    // (setup the kernel's epochs never use is left out of a JIT-cold run: made late, it changes no number, which
    // the test above shows for a run that leaves the kernel)
    previous = setBackend(wasm!);
    const c = TINY[0]!;
    const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 9, dtype: c.dtype });
    const loop = new TrainingLoop(model, data(c, 9), { seed: 9, ...c.options });
    const made = loop as unknown as Record<
      'madeBatcher' | 'trainMetrics' | 'validationMetrics' | 'validationPass' | 'weightPenalty',
      unknown
    >;
    expect(loop.lean).toBe(true);
    expect(loop.config).not.toHaveProperty('l1');
    for (let i = 0; i < 3; i++) expect(loop.runEpoch()).toBeTruthy();
    expect([
      made.madeBatcher,
      made.trainMetrics,
      made.validationMetrics,
      made.validationPass,
      made.weightPenalty,
    ]).toEqual([null, null, null, null, null]);
    expect(loop.epochComplete).toBe(false);
    // the fused TypeScript path on the js backend counts its accuracy with the metrics
    setBackend(jsBackend);
    expect(loop.runEpoch()).toBeTruthy();
    expect(made.trainMetrics).not.toBeNull();
    expect(made.madeBatcher).not.toBeNull();
    expect(made.validationMetrics).toBeNull();
    expect(made.validationPass).toBeNull();
    // a penalty asked for is made (and checked) at once, even an inactive one
    const withL1 = new TrainingLoop(model, data(c, 9), { seed: 9, ...c.options, l1: 0.01 });
    expect(withL1.lean).toBe(false);
    expect(withL1.config.l1).toBe(0.01);
    expect((withL1 as unknown as typeof made).weightPenalty).not.toBeNull();
    expect(() => new TrainingLoop(model, data(c, 9), { ...c.options, l2: -1 })).toThrow(/l2/);
  });

  it('a run without a shuffle that leaves the kernel and comes back to it stays the same', async () => {
    // (the kernel's path takes the one batch once, when nothing shuffles it; the batch path in between takes it
    // from the batcher every epoch)
    previous = setBackend(wasm!);
    const c = TINY[0]!;
    expect(c.options.shuffle).toBe(false);
    const expected = await run(c, 9, false);
    const kernelEpochs = vi.spyOn(TinySgdNetwork.prototype, 'epoch');
    try {
      const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 9, dtype: c.dtype });
      const events = await lastValueFrom(
        train(model, data(c, 9), { seed: 9, ...c.options }).pipe(
          tap((e) => {
            if (e.type === 'epoch' && e.epoch === 100) setBackend({ ...wasm!, name: 'custom' });
            if (e.type === 'epoch' && e.epoch === 150) setBackend(wasm!);
          }),
          toArray(),
        ),
      );
      expect(kernelEpochs.mock.calls.length).toBe(c.options.epochs! - 50);
      expect(canonical(events)).toBe(expected.events);
      expect(parameterBytes(model)).toEqual(expected.bytes);
    } finally {
      kernelEpochs.mockRestore();
    }
  });

  it('two lean runs at once take the region in turns and each gives its run alone', async () => {
    previous = setBackend(wasm!);
    const a = TINY[0]!;
    const b = TINY[2]!;
    const alone = [await run(a, 11, true), await run(b, 12, true)];
    const evictions = vi.spyOn(TinySgdNetwork.prototype, 'evict');
    const both = await Promise.all(
      [
        [a, 11],
        [b, 12],
      ].map(async ([c, seed]) => {
        const cc = c as Case;
        const model = mlp({ inputs: cc.inputs, layers: cc.layers, seed: seed as number, dtype: cc.dtype });
        const events = await lastValueFrom(
          train(model, data(cc, seed as number), {
            seed: seed as number,
            outputSample: 2,
            ...cc.options,
            yieldEvery: 'epoch',
          }).pipe(toArray()),
        );
        return { events: canonical(events), bytes: parameterBytes(model) };
      }),
    );
    // the runs alternated epoch by epoch, each claiming the region back from the other
    expect(evictions.mock.calls.length).toBeGreaterThan(10);
    evictions.mockRestore();
    expect(both[0]!.events).toBe(alone[0]!.events);
    expect(both[0]!.bytes).toEqual(alone[0]!.bytes);
    expect(both[1]!.events).toBe(alone[1]!.events);
    expect(both[1]!.bytes).toEqual(alone[1]!.bytes);
  });

  it('leaves the js backend, momentum and regression to the fused TypeScript path', async () => {
    const c = TINY[0]!;
    previous = setBackend(jsBackend);
    expect((await run(c, 3, true)).tinyCalls).toBe(0);
    setBackend(wasm!);
    const momentum = { ...c, options: { ...c.options, optimizerOptions: { momentum: 0.9 } } };
    const regression = { ...c, options: { ...c.options, task: 'regression' as const } };
    for (const other of [momentum, regression]) {
      const lean = await run(other, 3, true);
      expect(lean.tinyCalls).toBe(0);
      expect(lean.fusedCalls).toBe(lean.epochCalls);
      expect(lean.events).toBe((await run(other, 3, false)).events);
    }
  });
});
