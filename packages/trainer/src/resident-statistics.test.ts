/**
 * The epoch statistics of a WebAssembly-resident run, summed by the kernels `epochParameterSums` and
 * `epochDeltaSums` (assembly/kernels.ts of @deltaflow/tensor) over WebAssembly memory, are the TypeScript
 * statistics (EpochStatistics.measure's own loops, and gradientStats) bit for bit: the same float64 additions in
 * the same index order, on values of every magnitude, odd lengths and special values (NaN, +-Infinity, -0,
 * denormals); and a resident run takes them for every epoch, with the events of the general path.
 */
import { WasmResidentPlan, mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { Random, ResidentMemory, Tensor, getBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import type { Backend, ResidentOwner } from '@deltaflow/tensor';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EpochStatistics, WeightSnapshot, gradientStats } from './gradient-stats.js';
import { eventNumbers } from '../test/event-numbers.js';
import { train } from './train.js';

const SPECIAL = [0, -0, 1e-45, -1e-45, 1e-38, 1e-7, -1e-7, 3e38, -3e38, 1e30, -1e30];

/** Random float32 values of every magnitude from 1e-6 to 1e3, both signs. */
function fill(v: Float32Array | Float64Array, rng: Random): void {
  for (let i = 0; i < v.length; i++) v[i] = (rng.uniform() < 0.5 ? -1 : 1) * 10 ** rng.range(-6, 3);
}

/**
 * 96 seeded samples of 256 uniform inputs and one-hot targets of 10 classes, and the 256-256-10 relu/softmax layers
 * that learn them (more parameters than a snapshot advanced by the statistics takes).
 */
function wideClassification(seed: number) {
  const rng = new Random(seed);
  const x = Tensor.zeros([96, 256]);
  const t = Tensor.zeros([96, 10]);
  for (let i = 0; i < x.size; i++) x.data[i] = rng.uniform();
  for (let i = 0; i < 96; i++) t.data[i * 10 + rng.int(10)] = 1;
  const layers = [
    { units: 256, activation: 'relu' },
    { units: 10, activation: 'softmax' },
  ];
  return { x, t, layers };
}

/** The kernels' sums for `model`'s parameters, gradients, snapshot and the pass's deltas, as the plan lays them out. */
function kernelSums(model: Sequential, start: WeightSnapshot, deltas: Tensor[]): Float64Array {
  const memory = (getBackend() as Backend).resident!;
  const owner: ResidentOwner = { evict: () => undefined };
  const floats = model.parameters().reduce((n, p) => n + 3 * p.value.size, 0);
  const deltaFloats = deltas.reduce((n, d) => n + d.size, 0);
  const base = memory.claim(owner, 4 * (floats + deltaFloats) + 16 * 8 * model.layers.length + 64);
  try {
    const k = memory.kernels;
    let at = base;
    const put = (x: Float32Array | Float64Array): number => {
      const place = at;
      memory.f32().set(x, place >> 2);
      at += 4 * x.length;
      return place;
    };
    const out = new Float64Array(10 * model.layers.length);
    const sums = (base + 4 * (floats + deltaFloats) + 15) & ~15;
    model.layers.forEach((layer, l) => {
      const w = put(layer.weights.data);
      const sw = put(start.copy(2 * l));
      const gw = put(layer.weightGrad.data);
      const b = put(layer.bias.data);
      const sb = put(start.copy(2 * l + 1));
      const gb = put(layer.biasGrad.data);
      const d = put(deltas[l]!.data);
      k.epochDeltaSums(d, deltas[l]!.size, sums);
      k.epochParameterSums(w, sw, gw, layer.weights.size, sums + 16);
      k.epochParameterSums(b, sb, gb, layer.bias.size, sums + 48);
      const r = new Float64Array(memory.f32().buffer, sums, 10);
      // sum |delta|, max |delta|, sum g^2 of W and of theta, then the three sums of W and of theta
      out.set([r[0]!, r[1]!, r[5]!, r[9]!, r[2]!, r[3]!, r[4]!, r[6]!, r[7]!, r[8]!], 10 * l);
    });
    return out;
  } finally {
    memory.release(owner);
  }
}

describe('the epoch statistics in WebAssembly', () => {
  let before: Backend;
  beforeAll(() => {
    before = getBackend();
    setBackend(loadWasmBackend({ threads: 1 })!);
  });
  afterAll(() => {
    setBackend(before);
  });

  for (const special of [false, true]) {
    it(`give the TypeScript statistics bit for bit${special ? ', with NaN, infinities and special values' : ''}`, () => {
      const rng = new Random(special ? 7 : 3);
      // odd sizes: 37 x 29, 29 x 3
      const model = mlp({ inputs: 37, layers: [{ units: 29, activation: 'relu' }, { units: 3 }], seed: 2 });
      const start = new WeightSnapshot(model);
      for (const p of model.parameters()) {
        fill(p.value.data, rng);
        fill(p.grad.data, rng);
      }
      start.take();
      for (const p of model.parameters()) fill(p.value.data, rng);
      const pass = model.createPass();
      const rows = 11;
      const x = Tensor.zeros([rows, 37]);
      fill(x.data, rng);
      model.forward(x, pass);
      const layers = pass.layersFor(rows);
      for (const p of layers) fill(p.delta.data, rng);
      if (special) {
        const w = model.layers[0]!.weights.data;
        w.set(SPECIAL, 5);
        start.copy(0).set(SPECIAL.slice().reverse(), 9);
        model.layers[1]!.weightGrad.data.set(SPECIAL, 0);
        layers[0]!.delta.data.set([NaN, ...SPECIAL, Infinity], 3);
        layers[1]!.delta.data.set([-Infinity, NaN, ...SPECIAL], 2);
        model.layers[1]!.bias.data[1] = NaN;
      }
      const sums = kernelSums(
        model,
        start,
        layers.map((p) => p.delta),
      );
      const expected = gradientStats(model, start, pass);
      const own = new EpochStatistics(model, start).measure(pass, null);
      const resident = new EpochStatistics(model, start);
      const measured = resident.measure(pass, null, sums);
      expect(own).toEqual(expected);
      // toEqual takes NaN for NaN and tells -0 from 0: bit for bit on the numbers
      expect(measured).toEqual(expected);
      if (special) {
        expect(expected[0]!.maxAbsDelta).toBe(Infinity);
        expect(resident.finite).toBe(false);
      } else expect(resident.finite).toBe(true);
    });
  }

  it('serve every epoch of a resident run, whose events are the general path’s', async () => {
    const rng = new Random(5);
    const rows = 96;
    const x = Tensor.zeros([rows, 64]);
    const t = Tensor.zeros([rows, 10]);
    fill(x.data, rng);
    for (let i = 0; i < rows; i++) t.data[i * 10 + rng.int(10)] = 1;
    const layers = [
      { units: 48, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ];
    const run = async (resident: boolean) => {
      WasmResidentPlan.enabled = resident;
      WasmResidentPlan.fuseUpdate = false;
      const spy = vi.spyOn(WasmResidentPlan.prototype, 'statistics');
      try {
        const model = mlp({ inputs: 64, layers, seed: 4 });
        const events = await lastValueFrom(
          train(
            model,
            { inputs: x, targets: t },
            {
              epochs: 4,
              lr: 0.1,
              batchSize: 32,
              loss: 'cross-entropy',
              optimizer: 'sgd',
              seed: 4,
            },
          ).pipe(toArray()),
        );
        return { events, results: spy.mock.results.map((r) => r.value as boolean) };
      } finally {
        spy.mockRestore();
        WasmResidentPlan.enabled = true;
        WasmResidentPlan.fuseUpdate = true;
      }
    };
    const general = await run(false);
    const resident = await run(true);
    expect(general.results).toEqual([]);
    expect(resident.results).toEqual([true, true, true, true]);
    expect(eventNumbers(resident.events)).toEqual(eventNumbers(general.events));
  });

  it("makes dE/dW with the epoch's last batch, so that its sync takes no product", async () => {
    // 64-48-10, 3 batches of 32 per epoch, the update fused into the product (the default)
    const rng = new Random(6);
    const x = Tensor.zeros([96, 64]);
    const t = Tensor.zeros([96, 10]);
    fill(x.data, rng);
    for (let i = 0; i < 96; i++) t.data[i * 10 + rng.int(10)] = 1;
    const model = mlp({ inputs: 64, layers: [{ units: 48, activation: 'relu' }, { units: 10 }], seed: 6 });
    const gemm = vi.spyOn(ResidentMemory.prototype, 'gemm');
    const sync = WasmResidentPlan.prototype.sync;
    let syncs = 0;
    let products = 0;
    WasmResidentPlan.prototype.sync = function (this: WasmResidentPlan): void {
      const before = gemm.mock.calls.length;
      sync.call(this);
      syncs++;
      products += gemm.mock.calls.length - before;
    };
    let total: number;
    try {
      await lastValueFrom(
        train(model, { inputs: x, targets: t }, { epochs: 3, lr: 0.1, batchSize: 32, seed: 6 }),
      );
      total = gemm.mock.calls.length;
    } finally {
      WasmResidentPlan.prototype.sync = sync;
      gemm.mockRestore();
    }
    expect(syncs).toBeGreaterThanOrEqual(3);
    expect(products).toBe(0);
    // per batch: 2 forward, 1 dE/dO below, 2 updates (fused, or dE/dW then the sgd step): the plan trained them all
    expect(total).toBe(3 * 3 * 5);
  });

  it("keeps the epoch's start in its memory: no copy of the weights outside it unless read", async () => {
    // 256-256-10 (more parameters than a snapshot advanced by the statistics takes), 3 batches of 32 per epoch:
    // the snapshot of each epoch's start is the plan's copy, never copied out
    const { x, t, layers } = wideClassification(7);
    const options = { epochs: 3, lr: 0.1, batchSize: 32, loss: 'cross-entropy', seed: 7 } as const;
    const run = async (resident: boolean) => {
      WasmResidentPlan.enabled = resident;
      WasmResidentPlan.fuseUpdate = false; // the general path's update: the same events bit for bit
      const take = vi.spyOn(WeightSnapshot.prototype, 'take');
      const copyOut = vi.spyOn(WasmResidentPlan.prototype, 'copyStartInto');
      try {
        const model = mlp({ inputs: 256, layers, seed: 7 });
        const events = await lastValueFrom(train(model, { inputs: x, targets: t }, options).pipe(toArray()));
        return { events, takes: take.mock.calls.length, copies: copyOut.mock.calls.length };
      } finally {
        take.mockRestore();
        copyOut.mockRestore();
        WasmResidentPlan.enabled = true;
        WasmResidentPlan.fuseUpdate = true;
      }
    };
    const general = await run(false);
    const resident = await run(true);
    expect(general.takes).toBe(3);
    expect(resident.takes).toBe(0);
    expect(resident.copies).toBe(0);
    expect(eventNumbers(resident.events)).toEqual(eventNumbers(general.events));
  });

  it("copies the epoch's start out of its memory before losing it: another plan's claim, the next start", () => {
    const model = mlp({ inputs: 64, layers: [{ units: 48, activation: 'relu' }, { units: 10 }], seed: 8 });
    const plan = WasmResidentPlan.plan(model, 'mse', 32)!;
    expect(plan.covers(32)).toBe(true);
    const before = model.parameters().map((p) => Float32Array.from(p.value.data));
    plan.markStart(null);
    // the tensors move on (as a sync after training would leave them): the start stays in the region
    for (const p of model.parameters()) p.value.data.fill(0.5);
    const out = model.parameters().map((p) => new Float32Array(p.value.size));
    expect(plan.copyStartInto(out)).toBe(true);
    expect(out).toEqual(before);
    // the next start calls the keeper first, while the old start is still there
    const seen: Float32Array[][] = [];
    const keep = (): void => {
      const copy = model.parameters().map((p) => new Float32Array(p.value.size));
      expect(plan.copyStartInto(copy)).toBe(true);
      seen.push(copy);
    };
    plan.onStartLost = keep;
    plan.markStart(null);
    expect(seen).toEqual([before]);
    expect(plan.onStartLost).toBe(null);
    // another owner's claim evicts the plan: the keeper reads the start first (the region's W, not reloaded since)
    plan.onStartLost = keep;
    const memory = (getBackend() as Backend).resident!;
    const other: ResidentOwner = { evict: () => undefined };
    memory.claim(other, 64);
    memory.release(other);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(before);
    expect(plan.copyStartInto(out)).toBe(false);
    plan.close();
  });

  it("copies the weights out while the helper sums two layers' statistics, with the same events", async () => {
    const two = loadWasmBackend({ threads: 2 })!;
    const memory = two.resident!;
    for (let i = 0; i < 500 && memory.threads < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(memory.threads).toBe(2);
    const { x, t, layers } = wideClassification(9);
    const options = { epochs: 2, lr: 0.1, batchSize: 32, loss: 'cross-entropy', seed: 9 } as const;
    const run = async (backend: Backend) => {
      const previous = setBackend(backend);
      WasmResidentPlan.fuseUpdate = false;
      const behind = vi.spyOn(ResidentMemory.prototype, 'parameterSumsBehind');
      const join = vi.spyOn(ResidentMemory.prototype, 'joinBehind');
      const sync = vi.spyOn(WasmResidentPlan.prototype, 'sync');
      try {
        const model = mlp({ inputs: 256, layers, seed: 9 });
        const events = await lastValueFrom(train(model, { inputs: x, targets: t }, options).pipe(toArray()));
        const handed = behind.mock.results.filter((r) => r.value === true).length;
        // the sync of the epoch's end came between handing the sums over and joining them
        const firstSync = sync.mock.invocationCallOrder.find((o) => o > behind.mock.invocationCallOrder[0]!);
        const ordered =
          handed > 0 && firstSync !== undefined && firstSync < join.mock.invocationCallOrder[0]!;
        return { events, handed, joins: join.mock.calls.length, ordered };
      } finally {
        behind.mockRestore();
        join.mockRestore();
        sync.mockRestore();
        WasmResidentPlan.fuseUpdate = true;
        setBackend(previous);
      }
    };
    memory.adaptive = false;
    try {
      const one = await run(loadWasmBackend({ threads: 1 })!);
      const split = await run(two);
      expect(one.handed).toBe(0);
      expect(split.handed).toBe(2);
      expect(split.joins).toBe(2);
      expect(split.ordered).toBe(true);
      expect(eventNumbers(split.events)).toEqual(eventNumbers(one.events));
    } finally {
      memory.adaptive = true;
    }
  });
});
