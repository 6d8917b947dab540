/**
 * The WebAssembly-resident plan (`WasmResidentPlan` of @deltaflow/network, chosen by the training loop on a
 * WebAssembly backend) trains as the general path on the same backend: the same events (losses, gradient
 * statistics, metrics, output samples) and the same final weights, on one thread and on two; the plan is chosen
 * for W2's and W3's kinds of network and not for what it does not cover, which then runs the general path.
 *
 * Tolerance: the plan runs the general path's kernels (gemm, the bias broadcast, the column sums, the sgd step)
 * on the same values in the same order, so networks whose products all have more than 4096 multiply-adds (the
 * backend's small-product threshold) agree bit for bit ("exact" below; for sigmoid and tanh, whose e^x is a
 * float64 polynomial of about 1 ulp instead of Math.exp, a float32 value could differ by one rounding about once
 * in 10^8 values, which these runs do not meet). Products of at most 4096 multiply-adds (a short last batch, a
 * narrow layer) take the backend's TypeScript loop in the general path, which sums in float64, and the WebAssembly
 * gemm (float32 sums) in the plan: their results differ by float32 roundings (1e-7 relative), which a few epochs of
 * training carry into the weights at about that size. Those runs are compared to 1e-5 (relative, and absolute
 * near 0), far below any change a wrong kernel would make (a wrong derivative or a missed update moves the losses
 * in the second or third digit). The fused update (`WasmResidentPlan.fuseUpdate`, the default:
 * W <- W + (-eta) O_in^T delta in one product) rounds eta O_in to float32 before the sum and adds the sum in
 * float32, where the general path computes W - eta dE/dW in float64 and rounds once: each step differs by a
 * float32 rounding of the update (1e-7 relative); over these runs' 18 to 36 steps the events and weights move
 * apart by up to 1e-6 (measured), and the runs with it are compared to 1e-4, still far below a wrong kernel's
 * change.
 */
import { WasmResidentPlan, mlp } from '@deltaflow/network';
import type { LayerSpec, Sequential } from '@deltaflow/network';
import type { Batcher } from '@deltaflow/data';
import {
  Random,
  ResidentMemory,
  Tensor,
  getBackend,
  jsBackend,
  loadWasmBackend,
  setBackend,
} from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DataSource } from './data-source.js';
import type { EpochEvent, TrainingEvent } from './events.js';
import { eventNumbers } from '../test/event-numbers.js';
import type { TrainOptions } from './options.js';
import { train } from './train.js';

interface Case {
  name: string;
  inputs: number;
  layers: LayerSpec[];
  rows: number;
  options: TrainOptions;
  /** Whether the results are bit for bit those of the general path (no e^x in the network). */
  exact: boolean;
}

function data(c: Case, seed: number) {
  const rng = new Random(seed + 1000);
  const outputs = c.layers.at(-1)!.units;
  const x = Tensor.zeros([c.rows, c.inputs]);
  const t = Tensor.zeros([c.rows, outputs]);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform() * 2 - 1;
  for (let i = 0; i < c.rows; i++) t.data[i * outputs + rng.int(outputs)] = 1;
  return { inputs: x, targets: t };
}

/** Counts the plan's batches: those given as tensors (a data source) and those gathered from a batcher. */
function spyBatches() {
  const given = vi.spyOn(WasmResidentPlan.prototype, 'forwardLoss');
  const gathered = vi.spyOn(WasmResidentPlan.prototype, 'forwardGathered');
  return {
    get mock() {
      return { calls: { length: given.mock.calls.length + gathered.mock.calls.length } };
    },
    mockRestore() {
      given.mockRestore();
      gathered.mockRestore();
    },
  };
}

async function run(c: Case, seed: number, resident: boolean) {
  WasmResidentPlan.enabled = resident;
  const spy = spyBatches();
  try {
    const model = mlp({ inputs: c.inputs, layers: c.layers, seed });
    const events = await lastValueFrom(
      train(model, data(c, seed), { seed, outputSample: 2, ...c.options }).pipe(toArray()),
    );
    return { events, model, calls: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
    WasmResidentPlan.enabled = true;
  }
}

function parameters(model: Sequential): number[] {
  return model.parameters().flatMap((p) => Array.from(p.value.data));
}

function expectClose(actual: number[], expected: number[], exact: boolean, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  if (exact) {
    expect(actual).toEqual(expected);
    return;
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Math.abs(a - e) > tolerance * Math.max(1, Math.abs(e))) expect.fail(`value ${i}: ${a} against ${e}`);
  }
}

const sgd: TrainOptions = { epochs: 3, lr: 0.5, optimizer: 'sgd', loss: 'mse' };

const COVERED: Case[] = [
  {
    name: "W2's kind: 64-32-10 sigmoid/sigmoid, mse, batches of 16 with a short last one, shuffled, validation",
    inputs: 64,
    layers: [{ units: 32 }, { units: 10 }],
    rows: 125,
    // 100 rows trained on; the 25 of the validation forward at each epoch's end share the memory with the plan
    options: { ...sgd, batchSize: 16, validationSplit: 0.2 },
    exact: false,
  },
  {
    name: "W2's kind, every product above 4096 multiply-adds: 64-32-10 sigmoid/sigmoid, batches of 16",
    inputs: 64,
    layers: [{ units: 32 }, { units: 10 }],
    rows: 96,
    options: { ...sgd, batchSize: 16 },
    exact: true,
  },
  {
    name: "W3's kind: 96-80-80-10 relu, softmax + cross-entropy, sgd 0.05",
    inputs: 96,
    layers: [
      { units: 80, activation: 'relu' },
      { units: 80, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    rows: 96,
    options: { ...sgd, lr: 0.05, loss: 'cross-entropy', batchSize: 32 },
    exact: true,
  },
  {
    name: '64-48-32-16 tanh/linear/relu, mse, batches of 16, every product above 4096 multiply-adds',
    inputs: 64,
    layers: [
      { units: 48, activation: 'tanh' },
      { units: 32, activation: 'linear' },
      { units: 16, activation: 'relu' },
    ],
    rows: 64,
    options: { ...sgd, lr: 0.1, batchSize: 16 },
    exact: true,
  },
];

/** Products of 16.8 million multiply-adds and 65,536 activations: the 2-thread backend splits every step. */
const SPLIT: Case = {
  name: '256-256-256-10 relu/sigmoid, softmax + cross-entropy, batches of 256, split between the threads',
  inputs: 256,
  layers: [
    { units: 256, activation: 'relu' },
    { units: 256, activation: 'sigmoid' },
    { units: 10, activation: 'softmax' },
  ],
  rows: 512,
  options: { ...sgd, epochs: 2, lr: 0.1, loss: 'cross-entropy', batchSize: 256 },
  exact: true,
};
COVERED.push(SPLIT);

/**
 * W2's shape: its hidden layer's products (32 x 784 x 128, 3.2 million multiply-adds) are split between the threads
 * (the forward product by columns of W, dE/dW with the fused update by rows); the general path does not split them.
 */
COVERED.push({
  name: "W2's shape: 784-128-10 sigmoid/sigmoid, mse, batches of 32, its large products split between the threads",
  inputs: 784,
  layers: [{ units: 128 }, { units: 10 }],
  rows: 96,
  options: { ...sgd, epochs: 2, batchSize: 32 },
  exact: true,
});

const FALLBACK: Case[] = [
  {
    name: 'a layer whose product is small (8 x 24 x 12 multiply-adds): TypeScript loops in the general path',
    inputs: 40,
    layers: [
      { units: 24, activation: 'tanh' },
      { units: 12, activation: 'linear' },
      { units: 3, activation: 'relu' },
    ],
    rows: 40,
    options: { ...sgd, lr: 0.1, batchSize: 8 },
    exact: true,
  },
  {
    name: 'sgd with momentum',
    inputs: 64,
    layers: [{ units: 32 }, { units: 10 }],
    rows: 64,
    options: { ...sgd, batchSize: 16, optimizerOptions: { momentum: 0.9 } },
    exact: true,
  },
  {
    name: 'an L2 penalty',
    inputs: 64,
    layers: [{ units: 32 }, { units: 10 }],
    rows: 64,
    options: { ...sgd, batchSize: 16, l2: 0.001 },
    exact: true,
  },
  {
    name: 'a leaky-relu hidden layer',
    inputs: 64,
    layers: [{ units: 32, activation: 'leaky-relu' }, { units: 10 }],
    rows: 64,
    options: { ...sgd, batchSize: 16 },
    exact: true,
  },
  {
    name: 'dropout',
    inputs: 64,
    layers: [{ units: 32, dropout: 0.2 }, { units: 10 }],
    rows: 64,
    options: { ...sgd, batchSize: 16 },
    exact: true,
  },
];

for (const threads of [1, 2] as const) {
  describe(`WebAssembly-resident plan, ${threads} thread${threads > 1 ? 's' : ''}`, () => {
    let before: Backend;
    beforeAll(async () => {
      before = getBackend();
      const wasm = loadWasmBackend({ threads });
      expect(wasm).not.toBeNull();
      setBackend(wasm!);
      // the helper thread starts in the background: wait until it takes work
      for (let i = 0; i < 500 && wasm!.resident!.threads < threads; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(wasm!.resident!.threads).toBe(threads);
    });
    afterAll(() => {
      setBackend(before);
    });

    for (const c of COVERED) {
      for (const fuse of [false, true]) {
        const update = fuse ? 'the update fused into the product' : "the general path's update";
        it(`trains as the general path, ${update}: ${c.name}`, async () => {
          WasmResidentPlan.fuseUpdate = fuse;
          try {
            for (const seed of [1, 9]) {
              const general = await run(c, seed, false);
              const resident = await run(c, seed, true);
              expect(general.calls).toBe(0);
              const trained = Math.round(c.rows * (1 - (c.options.validationSplit ?? 0)));
              expect(resident.calls).toBe(c.options.epochs! * Math.ceil(trained / c.options.batchSize!));
              const exact = c.exact && !fuse;
              const tolerance = fuse ? 1e-4 : 1e-5;
              expectClose(eventNumbers(resident.events), eventNumbers(general.events), exact, tolerance);
              expectClose(parameters(resident.model), parameters(general.model), exact, tolerance);
              // it learned: the loss went down
              const losses = resident.events
                .filter((e): e is EpochEvent => e.type === 'epoch')
                .map((e) => e.loss);
              expect(losses.at(-1)!).toBeLessThan(losses[0]!);
            }
          } finally {
            WasmResidentPlan.fuseUpdate = true;
          }
        });
      }
    }

    for (const c of [COVERED[0]!, COVERED.at(-1)!]) {
      it(`gathers the batcher's batches straight into its memory, the same rows in the same order: ${c.name}`, async () => {
        // each gathered batch (the plan's input and target views) against what Batcher.batch gives for it
        const seen: { rows: number; inputs: number[]; targets: number[] }[] = [];
        const expected: typeof seen = [];
        const original = WasmResidentPlan.prototype.forwardGathered;
        const spy = vi.spyOn(WasmResidentPlan.prototype, 'forwardGathered').mockImplementation(function (
          this: WasmResidentPlan,
          source,
          b,
          pass,
        ) {
          const loss = original.call(this, source, b, pass);
          const input = pass.layers[0]!.input!;
          seen.push({
            rows: input.rows,
            inputs: Array.from(input.data),
            targets: Array.from(this.targets.data),
          });
          const batch = (source as Batcher).batch(b);
          expected.push({
            rows: batch.size,
            inputs: Array.from(batch.inputs.data),
            targets: Array.from(batch.targets.data),
          });
          return loss;
        });
        try {
          const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 3 });
          await lastValueFrom(train(model, data(c, 3), { seed: 3, ...c.options }).pipe(toArray()));
        } finally {
          spy.mockRestore();
        }
        const trained = Math.round(c.rows * (1 - (c.options.validationSplit ?? 0)));
        expect(seen.length).toBe(c.options.epochs! * Math.ceil(trained / c.options.batchSize!));
        expect(seen).toEqual(expected);
        // a short last batch when the rows do not divide: the partial view is sized to it
        expect(seen.at(-1)!.rows).toBe(trained % c.options.batchSize! || c.options.batchSize!);
      });
    }

    it('diverges as the general path: the weights of the start of the epoch, the same events', async () => {
      const c: Case = {
        ...COVERED[3]!,
        options: { ...COVERED[3]!.options, epochs: 5, lr: 1e6 },
      };
      const general = await run(c, 4, false);
      const resident = await run(c, 4, true);
      expect(resident.calls).toBeGreaterThan(0);
      expect(resident.events.at(-1)).toMatchObject({ type: 'end', reason: 'diverged' });
      expect(eventNumbers(resident.events)).toEqual(eventNumbers(general.events));
      expect(parameters(resident.model)).toEqual(parameters(general.model));
    });

    it('trains from a data source with a validation source as the general path', async () => {
      const c = COVERED[1]!;
      const source = (d: { inputs: Tensor; targets: Tensor }): DataSource => ({
        features: d.inputs.cols,
        outputs: d.targets.cols,
        samples: d.inputs.rows,
        async *batches({ batchSize }) {
          for (let start = 0; start < d.inputs.rows; start += batchSize) {
            const rows = Math.min(batchSize, d.inputs.rows - start);
            await Promise.resolve(); // as if read from disk
            const f = d.inputs.cols;
            const k = d.targets.cols;
            yield {
              inputs: new Tensor<2>(d.inputs.data.subarray(start * f, (start + rows) * f), [rows, f]),
              targets: new Tensor<2>(d.targets.data.subarray(start * k, (start + rows) * k), [rows, k]),
            };
          }
        },
      });
      const results = [];
      for (const on of [false, true]) {
        WasmResidentPlan.enabled = on;
        const spy = spyBatches();
        try {
          const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 5 });
          const events = await lastValueFrom(
            train(model, source(data(c, 5)), {
              ...c.options,
              seed: 5,
              validation: source(data(c, 6)),
            }).pipe(toArray()),
          );
          results.push({ events, model, calls: spy.mock.calls.length });
        } finally {
          spy.mockRestore();
          WasmResidentPlan.enabled = true;
        }
      }
      const [general, resident] = results;
      expect(general!.calls).toBe(0);
      expect(resident!.calls).toBe(c.options.epochs! * Math.ceil(c.rows / c.options.batchSize!));
      // the validation losses are those of the weights at each epoch's end (the fused update: see the tolerance)
      expectClose(eventNumbers(resident!.events), eventNumbers(general!.events), false, 1e-4);
      expectClose(parameters(resident!.model), parameters(general!.model), false, 1e-4);
      const valLoss = (e: TrainingEvent[]) =>
        e.filter((x): x is EpochEvent => x.type === 'epoch').map((x) => x.valLoss ?? NaN);
      expect(valLoss(resident!.events).every(Number.isFinite)).toBe(true);
    });

    it('leaves the weights of the last batch when unsubscribed in the middle of an epoch', async () => {
      const c = COVERED[1]!;
      const stopped = [];
      for (const on of [false, true]) {
        WasmResidentPlan.enabled = on;
        try {
          const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 8 });
          await new Promise<void>((resolve) => {
            let batches = 0;
            const subscription = train(model, data(c, 8), {
              ...c.options,
              seed: 8,
              batchEvents: true,
              yieldEvery: 'batch',
            }).subscribe((event) => {
              if (event.type === 'batch' && ++batches === 8) {
                subscription.unsubscribe(); // epoch 2, batch 2 of 6
                resolve();
              }
            });
          });
          stopped.push(parameters(model));
        } finally {
          WasmResidentPlan.enabled = true;
        }
      }
      expectClose(stopped[1]!, stopped[0]!, false, 1e-4);
      // and the weights did move from the start
      expect(stopped[1]).not.toEqual(parameters(mlp({ inputs: c.inputs, layers: c.layers, seed: 8 })));
    });

    it('leaves a model too large for the memory to the general path', async () => {
      const c = COVERED[1]!;
      const general = await run(c, 2, false);
      const grow = vi.spyOn(ResidentMemory.prototype, 'claim').mockImplementation(() => {
        throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      });
      try {
        const resident = await run(c, 2, true);
        expect(grow).toHaveBeenCalled();
        expect(resident.calls).toBe(0);
        expect(eventNumbers(resident.events)).toEqual(eventNumbers(general.events));
        expect(parameters(resident.model)).toEqual(parameters(general.model));
      } finally {
        grow.mockRestore();
      }
    });

    it('hands the memory from one run to another: two runs at once train as each alone', async () => {
      const c = COVERED[1]!;
      const alone = [await run(c, 1, true), await run(c, 2, true)];
      // one batch per turn of the scheduler: the two plans claim the region in turn, each evicting the other
      const models = [1, 2].map((seed) => mlp({ inputs: c.inputs, layers: c.layers, seed }));
      const spy = vi.spyOn(WasmResidentPlan.prototype, 'evict');
      try {
        const events = await Promise.all(
          models.map((model, i) =>
            lastValueFrom(
              train(model, data(c, i + 1), {
                seed: i + 1,
                outputSample: 2,
                yieldEvery: 'batch',
                ...c.options,
              }).pipe(toArray()),
            ),
          ),
        );
        expect(spy.mock.calls.length).toBeGreaterThan(10);
        for (let i = 0; i < 2; i++) {
          expect(eventNumbers(events[i]!)).toEqual(eventNumbers(alone[i]!.events));
          expect(parameters(models[i]!)).toEqual(parameters(alone[i]!.model));
        }
      } finally {
        spy.mockRestore();
      }
    });

    for (const c of FALLBACK) {
      it(`is not chosen, and the run is the general path's: ${c.name}`, async () => {
        const general = await run(c, 3, false);
        const resident = await run(c, 3, true);
        expect(resident.calls).toBe(0);
        expect(eventNumbers(resident.events)).toEqual(eventNumbers(general.events));
        expect(parameters(resident.model)).toEqual(parameters(general.model));
      });
    }
  });
}

describe('WebAssembly-resident plan, backends', () => {
  it('is not chosen on the js backend', async () => {
    const before = getBackend();
    setBackend(jsBackend);
    try {
      const c = COVERED[0]!;
      const resident = await run(c, 1, true);
      expect(resident.calls).toBe(0);
    } finally {
      setBackend(before);
    }
  });
});
