/**
 * The backends agree on the resident plan's kernels: every WebAssembly kernel the plan calls (assembly/kernels.ts
 * of @deltaflow/tensor: the activations, their derivatives, the losses, the column sums) gives bit for bit what
 * the TypeScript implementation it stands for gives (the activations' and losses' own forward and backward, the
 * js backend's column sums), on random values of every magnitude, on odd lengths (the scalar tails) and on the
 * special values (NaN, +-Infinity, -0, denormals, the tanh polynomial's edge); and the 2-thread backend's split
 * calls give what one thread gives.
 */
import { getActivation } from '@deltaflow/activations';
import { getLoss } from '@deltaflow/losses';
import { Random, ResidentMemory, Tensor, jsBackend, loadWasmBackend } from '@deltaflow/tensor';
import type { Backend, ResidentHelper, ResidentOwner } from '@deltaflow/tensor';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const SPECIAL = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1e-45,
  -1e-45,
  1e-38,
  0.01,
  -0.01,
  0.00999999,
  1e-7,
  -1e-7,
  5,
  -5,
  20,
  -20,
  88,
  -88,
  104,
  -104,
  200,
  -200,
  1e30,
  -1e30,
];

/** `count` values of every magnitude from 1e-6 to 1e3, both signs, then the special values. */
function values(rng: Random, count: number): Float32Array {
  const x = new Float32Array(count + SPECIAL.length);
  for (let i = 0; i < count; i++) x[i] = (rng.uniform() < 0.5 ? -1 : 1) * 10 ** rng.range(-6, 3);
  x.set(SPECIAL, count);
  return x;
}

/**
 * Bit patterns, so that -0 differs from 0; every NaN is written as one pattern (a NaN's sign and payload are not
 * part of JavaScript's numbers: a Float32Array store may keep or change them).
 */
function bits(x: Float32Array): Int32Array {
  const copy = Float32Array.from(x, (v) => (Number.isNaN(v) ? NaN : v));
  const out = new Int32Array(copy.buffer);
  for (let i = 0; i < copy.length; i++) if (Number.isNaN(copy[i])) out[i] = 0x7fc00000;
  return out;
}

const owner: ResidentOwner = { evict: () => undefined };

/** Whether two arrays of bit patterns are equal (without a diff of millions of values when not). */
const same = (x: Int32Array, y: Int32Array): boolean =>
  x.length === y.length && x.every((v, i) => v === y[i]);

/** Float32 arrays placed one after another in the resident region. */
class Region {
  private at: number;
  constructor(readonly memory: ResidentMemory) {
    this.at = memory.claim(owner, 1 << 24);
  }
  put(data: Float32Array): number {
    const address = this.at;
    this.memory.f32().set(data, address >> 2);
    this.at = (this.at + 4 * data.length + 15) & ~15;
    return address;
  }
  get(address: number, length: number): Float32Array {
    return this.memory.f32().slice(address >> 2, (address >> 2) + length);
  }
}

const rng = new Random(77);
let wasm: Backend;
let region: Region;
beforeAll(() => {
  wasm = loadWasmBackend({ threads: 1 })!;
  region = new Region(wasm.resident!);
});

describe('the resident kernels agree with the TypeScript ones', () => {
  const lengths = [4097, 6, 3, 1];

  for (const [name, kernel] of [
    ['sigmoid', 'sigmoidForward'],
    ['tanh', 'tanhForward'],
    ['relu', 'reluForward'],
    ['linear', 'copyFloats'],
  ] as const) {
    it(`${name} forward, O = f(x)`, () => {
      for (const n of lengths) {
        const x = values(rng, n);
        const want = new Float32Array(x.length);
        getActivation(name).forward(new Tensor(x, [x.length]), new Tensor(want, [x.length]));
        const xAt = region.put(x);
        const outAt = region.put(new Float32Array(x.length));
        if (kernel === 'copyFloats') wasm.resident!.kernels.copyFloats(outAt, xAt, x.length);
        else wasm.resident!.kernels[kernel](xAt, outAt, x.length);
        expect(bits(region.get(outAt, x.length))).toEqual(bits(want));
      }
    });
  }

  for (const [name, kernel] of [
    ['sigmoid', 'sigmoidBackward'],
    ['tanh', 'tanhBackward'],
    ['relu', 'reluBackward'],
  ] as const) {
    it(`${name} backward, delta = f'(x) dE/dO, also in place`, () => {
      for (const n of lengths) {
        const x = values(rng, n);
        const y = new Float32Array(x.length);
        const activation = getActivation(name);
        activation.forward(new Tensor(x, [x.length]), new Tensor(y, [x.length]));
        const dy = values(rng, n);
        const want = new Float32Array(x.length);
        const t = (a: Float32Array) => new Tensor(a, [x.length]);
        activation.backward(t(x), t(y), t(dy), t(want));
        const input = region.put(kernel === 'reluBackward' ? x : y);
        const dyAt = region.put(dy);
        const dxAt = region.put(new Float32Array(x.length));
        wasm.resident!.kernels[kernel](input, dyAt, dxAt, x.length);
        expect(bits(region.get(dxAt, x.length))).toEqual(bits(want));
        wasm.resident!.kernels[kernel](input, dyAt, dyAt, x.length); // in place
        expect(bits(region.get(dyAt, x.length))).toEqual(bits(want));
      }
    });
  }

  it('column sums, dE/dtheta = 0 + the sum of each column of delta', () => {
    for (const [rows, cols] of [
      [32, 128],
      [7, 13],
      [1, 3],
    ] as const) {
      const a = values(rng, rows * cols - SPECIAL.length > 0 ? rows * cols - SPECIAL.length : 0).subarray(
        0,
        rows * cols,
      );
      const want = new Float32Array(cols).fill(5); // overwritten, as a zeroed gradient plus the sums
      jsBackend.columnSums(a, rows, cols, 0, want);
      const aAt = region.put(a);
      const outAt = region.put(new Float32Array(cols).fill(5));
      wasm.resident!.kernels.columnSumsF32(aAt, outAt, rows, cols);
      expect(bits(region.get(outAt, cols))).toEqual(bits(want));
    }
  });

  it('mse, E and dE/dO = (O - t) / B', () => {
    const mse = getLoss('mse');
    for (const [rows, cols] of [
      [32, 10],
      [5, 3],
    ] as const) {
      const o = new Float32Array(rows * cols).map(() => rng.uniform());
      const t = new Float32Array(rows * cols).map(() => (rng.uniform() < 0.2 ? 1 : 0));
      const O = new Tensor(o, [rows, cols]);
      const T = new Tensor(t, [rows, cols]);
      const grad = new Float32Array(rows * cols);
      mse.backward(O, T, new Tensor(grad, [rows, cols]));
      const oAt = region.put(o);
      const tAt = region.put(t);
      const gAt = region.put(new Float32Array(rows * cols));
      expect(wasm.resident!.kernels.mseLoss(oAt, tAt, rows * cols, rows)).toBe(mse.forward(O, T));
      wasm.resident!.kernels.mseGrad(oAt, tAt, gAt, rows * cols, rows);
      expect(bits(region.get(gAt, rows * cols))).toEqual(bits(grad));
    }
  });

  it('softmax and its cross-entropy from the logits: O, E and dE/dx = (O sum t - t) / B', () => {
    const softmax = getActivation('softmax');
    const fused = getLoss('cross-entropy').fused!;
    for (const [rows, cols] of [
      [128, 10],
      [3, 7],
      [2, 1],
    ] as const) {
      const x = new Float32Array(rows * cols).map(() => rng.range(-30, 30));
      x[0] = 80; // a large logit: the shift by the row's largest keeps e^x finite
      const t = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) t[r * cols + rng.int(cols)] = 1;
      t[cols - 1] += 0.5; // a row whose targets do not sum to 1
      const X = new Tensor(x, [rows, cols]);
      const T = new Tensor(t, [rows, cols]);
      const o = new Float32Array(rows * cols);
      const O = new Tensor(o, [rows, cols]);
      softmax.forward(X, O);
      const grad = new Float32Array(rows * cols);
      fused.backward(X, O, T, new Tensor(grad, [rows, cols]));
      const xAt = region.put(x);
      const tAt = region.put(t);
      const oAt = region.put(new Float32Array(rows * cols));
      const gAt = region.put(new Float32Array(rows * cols));
      const k = wasm.resident!.kernels;
      k.softmaxForward(xAt, oAt, rows, cols);
      expect(bits(region.get(oAt, rows * cols))).toEqual(bits(o));
      // e^x and log of AssemblyScript's math library against the runtime's: equal to a float64 ulp or two
      const E = k.softmaxCrossEntropyLoss(xAt, tAt, rows, cols);
      expect(Math.abs(E - fused.forward(X, O, T))).toBeLessThanOrEqual(1e-14 * Math.abs(E));
      k.softmaxCrossEntropyGrad(oAt, tAt, gAt, rows, cols);
      expect(bits(region.get(gAt, rows * cols))).toEqual(bits(grad));
    }
  });
});

/** The resident memory of the 2-thread backend, once its helper thread runs. */
async function twoThreadMemory(): Promise<ResidentMemory> {
  const memory = loadWasmBackend({ threads: 2 })!.resident!;
  for (let i = 0; i < 500 && memory.threads < 2; i++) await new Promise((r) => setTimeout(r, 10));
  expect(memory.threads).toBe(2);
  return memory;
}

describe('the 2-thread split of the resident calls', () => {
  it('gives what one thread gives: products, activations, derivatives and the sgd step', async () => {
    const memory = await twoThreadMemory();
    const split = new Region(memory);
    const one = new Region(wasm.resident!); // from the start of the region again
    // sizes above the split thresholds (1M multiply-adds, 65,536 values), odd ones too
    const [m, n, k] = [130, 181, 200];
    const size = 70_001;
    const a = values(rng, m * k).subarray(0, m * k);
    const b = values(rng, k * n).subarray(0, k * n);
    const x = values(rng, size).subarray(0, size);
    const g = values(rng, size)
      .subarray(0, size)
      .map((v) => Math.max(-1, Math.min(1, v)));
    const results = [one, split].map((r) => {
      const mem = r.memory;
      const out: Int32Array[] = [];
      const aAt = r.put(a);
      const bAt = r.put(b);
      const cAt = r.put(new Float32Array(m * n));
      mem.gemm(false, false, m, n, k, 1, aAt, bAt, 0, cAt);
      out.push(bits(r.get(cAt, m * n)));
      // op(A)^T C, split by rows; C B^T (B stored transposed), split by columns
      const tAt = r.put(new Float32Array(k * n));
      mem.gemm(true, false, k, n, m, 1, aAt, cAt, 0, tAt);
      out.push(bits(r.get(tAt, k * n)));
      const uAt = r.put(new Float32Array(m * k).fill(1));
      mem.gemm(false, true, m, k, n, 0.5, cAt, bAt, 1, uAt);
      out.push(bits(r.get(uAt, m * k)));
      for (const code of [0, 1, 2, 3]) {
        const xAt = r.put(x);
        const yAt = r.put(new Float32Array(size));
        mem.activationForward(code, xAt, yAt, size);
        out.push(bits(r.get(yAt, size)));
        const dAt = r.put(g);
        mem.activationBackward(code, xAt, yAt, dAt, dAt, size);
        out.push(bits(r.get(dAt, size)));
      }
      const pAt = r.put(x);
      mem.sgdStep(pAt, r.put(g), size, 0.1);
      out.push(bits(r.get(pAt, size)));
      return out;
    });
    expect(results[1]).toEqual(results[0]);
  });

  it("splits W2's two products of 3.2 million multiply-adds (by columns of W, and by rows of dE/dW), with the 1-thread bits", async () => {
    const memory = await twoThreadMemory();
    const helper = (
      memory as unknown as {
        helper: {
          callParts: (fn: number, parts: number, args: ArrayLike<number>) => void;
          call: (fn: number, ...args: number[]) => void;
        };
      }
    ).helper;
    memory.adaptive = false; // every call above the thresholds is split, however busy the machine
    const split = new Region(memory);
    const one = new Region(wasm.resident!);
    // W2: X [32 x 784], W1 [784 x 128], delta [32 x 128]; also a hidden layer of 40 units (halves of 16 and 24)
    for (const [rows, inputs, units] of [
      [32, 784, 128],
      [64, 500, 40],
    ] as const) {
      const x = values(rng, rows * inputs).subarray(0, rows * inputs);
      const w = values(rng, inputs * units)
        .subarray(0, inputs * units)
        .map((v) => v / 1000);
      const delta = values(rng, rows * units)
        .subarray(0, rows * units)
        .map((v) => v / 1000);
      const calls: number[] = [];
      const results = [one, split].map((r) => {
        const mem = r.memory;
        const spy = r === split ? vi.spyOn(helper, 'call') : null;
        const pieces = r === split ? vi.spyOn(helper, 'callParts') : null;
        const xAt = r.put(x);
        const wAt = r.put(w);
        const dAt = r.put(delta);
        const netAt = r.put(new Float32Array(rows * units).fill(0.25));
        // x = O_in W + theta (beta 1 over the broadcast theta), then W <- W + (-eta) O_in^T delta
        mem.gemm(false, false, rows, units, inputs, 1, xAt, wAt, 1, netAt);
        mem.gemm(true, false, inputs, units, rows, -0.5, xAt, dAt, 1, wAt);
        // dE/dO below = delta W^T (B stored transposed)
        const gAt = r.put(new Float32Array(rows * inputs));
        mem.gemm(false, true, rows, inputs, units, 1, dAt, wAt, 0, gAt);
        if (spy && pieces) {
          // the helper's function and the first argument of the call (the transpose flag of A)
          calls.push(...spy.mock.calls.map((c) => 100 * c[0] + (c[1] ?? -1)));
          calls.push(...pieces.mock.calls.map((c) => 100 * c[0] + c[1]));
          spy.mockRestore();
          pieces.mockRestore();
        }
        return [r.get(netAt, rows * units), r.get(wAt, inputs * units), r.get(gAt, rows * inputs)].map(bits);
      });
      expect(results[1], `[${rows}, ${inputs}, ${units}]`).toEqual(results[0]);
      // each of the three products was handed to the helper as a fixed half (gemm, its function 0; A transposed
      // only in dE/dW), none in pieces: below 16 million multiply-adds a half waits for the helper
      expect(calls, `[${rows}, ${inputs}, ${units}]`).toEqual([0, 1, 0]);
    }
    memory.adaptive = true;
  });

  it("cuts W3's products of 134 million multiply-adds into pieces (halves) the threads take in turn, with the 1-thread bits", async () => {
    const memory = await twoThreadMemory();
    const helper = (memory as unknown as { helper: { nextPart: () => number } }).helper;
    const split = new Region(memory);
    const one = new Region(wasm.resident!);
    // W3's hidden layers: O [128 x 1024], W [1024 x 1024], delta [128 x 1024]
    const [rows, inputs, units] = [128, 1024, 1024];
    const x = values(rng, rows * inputs).subarray(0, rows * inputs);
    const w = values(rng, inputs * units)
      .subarray(0, inputs * units)
      .map((v) => v / 1000);
    const delta = values(rng, rows * units)
      .subarray(0, rows * units)
      .map((v) => v / 1000);
    let taken = 0;
    const results = [one, split].map((r) => {
      const mem = r.memory;
      const spy = r === split ? vi.spyOn(helper, 'nextPart') : null;
      const xAt = r.put(x);
      const wAt = r.put(w);
      const dAt = r.put(delta);
      const netAt = r.put(new Float32Array(rows * units).fill(0.25));
      mem.gemm(false, false, rows, units, inputs, 1, xAt, wAt, 1, netAt); // by columns
      const gAt = r.put(new Float32Array(rows * inputs));
      mem.gemm(false, true, rows, inputs, units, 1, dAt, wAt, 0, gAt); // by columns of W^T (rows of W)
      mem.gemm(true, false, inputs, units, rows, -0.01, xAt, dAt, 1, wAt); // by rows of W
      if (spy) {
        // the caller asked for pieces until none was left: at least one more than it ran, at most 3 a product
        taken = spy.mock.calls.length;
        spy.mockRestore();
      }
      return [r.get(netAt, rows * units), r.get(gAt, rows * inputs), r.get(wAt, inputs * units)].map(bits);
    });
    expect(same(results[1]![0]!, results[0]![0]!)).toBe(true);
    expect(same(results[1]![1]!, results[0]![1]!)).toBe(true);
    expect(same(results[1]![2]!, results[0]![2]!)).toBe(true);
    expect(taken).toBeGreaterThanOrEqual(3);
    expect(taken).toBeLessThanOrEqual(9);
  });

  it("sums two layers' parameters for the epoch statistics on the two threads, with the 1-thread bits", async () => {
    const memory = await twoThreadMemory();
    const helper = (memory as unknown as { helper: { call: (...args: number[]) => void } }).helper;
    memory.adaptive = false; // split however busy the machine
    const split = new Region(memory);
    const one = new Region(wasm.resident!);
    // the larger of the two on the caller, the other on the helper, either way round
    for (const [n1, n2] of [
      [70_001, 65_536],
      [65_537, 100_003],
    ] as const) {
      const arrays = [n1, n2].flatMap((n) => [0, 1, 2].map(() => values(rng, n).subarray(0, n)));
      const calls: number[] = [];
      const results = [one, split].map((r) => {
        const mem = r.memory;
        const at = arrays.map((a) => r.put(a));
        const out = r.put(new Float32Array(16));
        const spy = r === split ? vi.spyOn(helper, 'call') : null;
        mem.epochParameterSumsPair(at[0]!, at[1]!, at[2]!, n1, out, at[3]!, at[4]!, at[5]!, n2, out + 32);
        if (spy) {
          calls.push(...spy.mock.calls.map((c) => c[0]!));
          spy.mockRestore();
        }
        return new Float64Array(mem.f32().buffer.slice(out, out + 64));
      });
      expect(results[1], `${n1}, ${n2}`).toEqual(results[0]);
      // each sum in index order, as the kernel of one thread sums it
      const k = wasm.resident!.kernels;
      const check = one.put(new Float32Array(8));
      const at = arrays.slice(0, 3).map((a) => one.put(a));
      k.epochParameterSums(at[0]!, at[1]!, at[2]!, n1, check);
      expect(new Float64Array(one.memory.f32().buffer.slice(check, check + 32))).toEqual(
        results[0]!.subarray(0, 4),
      );
      // the helper summed one of them (epochParameterSums is its function 11)
      expect(calls).toEqual([11]);
    }
    memory.adaptive = true;
  });

  it("sums two layers' parameters on the helper while the caller does something else, with the 1-thread bits", async () => {
    const memory = await twoThreadMemory();
    const helper = (memory as unknown as { helper: { call: (...args: number[]) => void } }).helper;
    // even in a spell of small calls on one thread (the helper fell behind on one), which it neither waits out nor counts
    const spell = memory as unknown as { solo: number };
    spell.solo = 100;
    const split = new Region(memory);
    const one = new Region(wasm.resident!);
    const [n1, n2] = [70_001, 65_537];
    const arrays = [n1, n2].flatMap((n) => [0, 1, 2].map(() => values(rng, n).subarray(0, n)));
    const results = [one, split].map((r) => {
      const mem = r.memory;
      const at = arrays.map((a) => r.put(a));
      const out = r.put(new Float32Array(16));
      if (r === one) {
        // the 1-thread backend has no helper: nothing is handed over, the caller sums
        expect(
          mem.parameterSumsBehind(at[0]!, at[1]!, at[2]!, n1, out, at[3]!, at[4]!, at[5]!, n2, out + 32),
        ).toBe(false);
        mem.kernels.epochParameterSumsTwo(
          at[0]!,
          at[1]!,
          at[2]!,
          n1,
          out,
          at[3]!,
          at[4]!,
          at[5]!,
          n2,
          out + 32,
        );
      } else {
        const spy = vi.spyOn(helper, 'call');
        expect(
          mem.parameterSumsBehind(at[0]!, at[1]!, at[2]!, n1, out, at[3]!, at[4]!, at[5]!, n2, out + 32),
        ).toBe(true);
        // the helper's one call: epochParameterSumsTwo, its function 12
        expect(spy.mock.calls.map((c) => c[0])).toEqual([12]);
        spy.mockRestore();
        mem.joinBehind(n1 + n2);
      }
      return new Float64Array(mem.f32().buffer.slice(out, out + 64));
    });
    expect(results[1]).toEqual(results[0]);
    // each sum in index order, as epochParameterSums of one thread sums it
    const k = wasm.resident!.kernels;
    const check = one.put(new Float32Array(16));
    const at = arrays.map((a) => one.put(a));
    k.epochParameterSums(at[0]!, at[1]!, at[2]!, n1, check);
    k.epochParameterSums(at[3]!, at[4]!, at[5]!, n2, check + 32);
    expect(new Float64Array(one.memory.f32().buffer.slice(check, check + 64))).toEqual(results[0]);
    expect(spell.solo).toBe(100);
    spell.solo = 0;
  });

  it('runs small calls on one thread for a while after the helper fell behind on a window of 16 (longer each time it keeps falling behind), large products on two', () => {
    // a helper that runs its half of a gemm (its function 0) at once when handed it (so it is done when the caller
    // joins it), and reports whether it "kept up"
    const kernels = wasm.resident!.kernels;
    let keptUp = true;
    let wakes = 0;
    const calls: number[] = [];
    const helper: ResidentHelper = {
      ready: true,
      wake: () => void wakes++,
      call: (fn, ...args) => {
        calls.push(fn);
        const [ta, tb, mm, nn, kk, alpha, at, bt, beta, ct, work, lda, ldb, ldc] = args;
        kernels.gemm(ta!, tb!, mm!, nn!, kk!, alpha!, at!, bt!, beta!, ct!, work!, lda!, ldb!, ldc!);
      },
      finish: () => keptUp,
    };
    // its own region after the 16 MiB the other tests use (the memory stays below the 64 MiB a later test stages)
    const start = wasm.resident!.base + (16 << 20);
    const bytes = kernels.gemmWorkBytes();
    const memory = new ResidentMemory(
      kernels,
      kernels.memory!,
      start + 2 * bytes,
      { moveStaging: () => undefined },
      helper,
      start,
      start + bytes,
    );
    const r = new Region(memory);
    const one = new Region(wasm.resident!);
    const [m, n, k] = [32, 128, 784]; // W2's forward product: small
    const [M, N, K] = [128, 256, 520]; // 17 million multiply-adds: large
    const a = values(rng, M * K).subarray(0, M * K);
    const b = values(rng, K * N).subarray(0, K * N);
    const places = new Map<Region, number[]>();
    const product = (region: Region, rows: number, cols: number, depth: number): Int32Array => {
      let at = places.get(region);
      if (at === undefined) {
        at = [region.put(a), region.put(b), region.put(new Float32Array(M * N))];
        places.set(region, at);
      }
      const [aAt, bAt, cAt] = at as [number, number, number];
      region.memory.gemm(false, false, rows, cols, depth, 1, aAt, bAt, 0, cAt);
      return bits(region.get(cAt, rows * cols));
    };
    const small = product(one, m, n, k);
    const large = product(one, M, N, K);
    /** `count` small products, each checked against one thread's bits. */
    const smalls = (count: number): void => {
      for (let i = 0; i < count; i++) expect(same(product(r, m, n, k), small)).toBe(true);
    };
    smalls(1);
    expect(calls).toHaveLength(1); // split, and kept up
    keptUp = false; // from now on the caller runs the helper's halves back: as slow as one thread
    smalls(15);
    expect(calls).toHaveLength(16); // split all the same: the first window of 16 is judged at its end
    smalls(255);
    expect(wakes).toBe(0); // asleep through the spell
    smalls(1);
    expect(wakes).toBe(1); // the spell's last call wakes it, so that the next call's half finds it awake
    expect(calls).toHaveLength(16); // 256 small calls on one thread
    expect(same(product(r, M, N, K), large)).toBe(true);
    expect(calls).toHaveLength(17); // a large product is split all the same, and not judged
    // falls behind again on the first window after the spell: twice as many small calls on one thread (512), then 1,024
    smalls(16 + 512);
    expect(calls).toHaveLength(33);
    smalls(16 + 1024);
    expect(calls).toHaveLength(49);
    keptUp = true;
    smalls(16);
    expect(calls).toHaveLength(65); // tried again after 1,024, and kept up: no spell
    keptUp = false;
    smalls(16 + 256);
    expect(calls).toHaveLength(81); // fell behind: 256 small calls on one thread again (kept up in between)
    keptUp = true;
    smalls(1);
    expect(calls).toHaveLength(82); // tried again
    // one late call in a window of prompt ones is no spell: the window as a whole kept up
    keptUp = false;
    smalls(1);
    keptUp = true;
    smalls(14 + 16);
    expect(calls).toHaveLength(113); // the window of calls 82 to 97 (one of them late), then 16 more: all split
    memory.adaptive = false;
    keptUp = false;
    smalls(3);
    expect(calls).toHaveLength(116); // not adaptive: every call split
  });
});

describe('the resident region beside the staging of the backend', () => {
  it('keeps its values when a general product grows the memory, and its view follows the new buffer', () => {
    const backend = loadWasmBackend({ threads: 1 })!;
    const memory = backend.resident!;
    const values = new Float32Array(1000).map((_, i) => i / 7);
    const base = memory.claim(owner, 4 * values.length);
    memory.f32().set(values, base >> 2);
    const before = memory.f32().buffer;
    // a general product of 2 x 4096 x 4096 stages 64 MiB after the region: the memory grows
    const n = 4096;
    const a = new Float32Array(2 * n).fill(1);
    const b = new Float32Array(n * n).fill(0.5);
    const c = new Float32Array(2 * n);
    backend.gemm(false, false, 2, n, n, 1, a, b, 0, c);
    expect(c[0]).toBe(n / 2);
    expect(memory.f32().buffer).not.toBe(before);
    expect(memory.f32().slice(base >> 2, (base >> 2) + values.length)).toEqual(values);
  });

  it('evicts the previous owner, which writes its state back first, when another claims it', () => {
    const memory = wasm.resident!;
    const log: string[] = [];
    const first: ResidentOwner = { evict: () => log.push(`first evicted, owns ${memory.owns(first)}`) };
    const second: ResidentOwner = { evict: () => log.push('second evicted') };
    memory.claim(first, 64);
    memory.claim(first, 64); // its own region again: no eviction
    memory.claim(second, 64);
    expect(log).toEqual(['first evicted, owns true']);
    expect(memory.owns(second)).toBe(true);
    memory.release(second);
    expect(memory.owns(second)).toBe(false);
  });
});
