/**
 * The backends agree on the tiny-network kernel (`tinyEpoch` of assembly/kernels.ts, driven by `TinySgdNetwork`):
 * one WebAssembly call gives, bit for bit, what the fused TypeScript path (`FusedSmallNetwork`) and the sgd step
 * W <- W - eta dE/dW give on the js backend (E, every weight, bias and gradient, the delta and gradient sums), and
 * both stay within float32 rounding of a float64 reference written here from the lecture's formulas; fdlibm's e^x
 * in the kernel is Math.exp bit for bit.
 */
import {
  Random,
  Tensor,
  getBackend,
  jsBackend,
  loadWasmBackend,
  matmul,
  setBackend,
} from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mlp } from '../sequential.js';
import type { LayerSpec, Sequential } from '../sequential.js';
import { FusedSmallNetwork } from './small-network.js';
import { TinySgdNetwork } from './tiny-wasm.js';

let wasm: Backend;
let previous: Backend;
beforeAll(() => {
  const loaded = loadWasmBackend();
  if (!loaded) throw new Error('this runtime has no WebAssembly SIMD');
  wasm = loaded;
  previous = getBackend();
});
afterEach(() => {
  setBackend(previous);
});

interface Case {
  name: string;
  inputs: number;
  layers: LayerSpec[];
  rows: number;
  lr: number;
}

const CASES: Case[] = [
  { name: 'XOR 2-4-1 sigmoid', inputs: 2, layers: [{ units: 4 }, { units: 1 }], rows: 4, lr: 0.5 },
  {
    name: '3-8-5-3 relu/sigmoid/linear, 7 rows',
    inputs: 3,
    layers: [
      { units: 8, activation: 'relu' },
      { units: 5, activation: 'sigmoid' },
      { units: 3, activation: 'linear' },
    ],
    rows: 7,
    lr: 0.1,
  },
  {
    name: '5-6-2 sigmoid, one row',
    inputs: 5,
    layers: [{ units: 6 }, { units: 2 }],
    rows: 1,
    lr: 2,
  },
];

function batch(c: Case, seed: number, scale: number): { inputs: Tensor; targets: Tensor } {
  const rng = new Random(seed);
  const outputs = c.layers.at(-1)!.units;
  const inputs = Tensor.zeros([c.rows, c.inputs], 'float32');
  const targets = Tensor.zeros([c.rows, outputs], 'float32');
  for (let i = 0; i < inputs.data.length; i++) inputs.data[i] = (rng.uniform() * 2 - 1) * scale;
  for (let i = 0; i < c.rows; i++) targets.data[i * outputs + rng.int(outputs)] = 1;
  return { inputs, targets };
}

function arrays(model: Sequential): number[][] {
  const out: number[][] = [];
  for (const l of model.layers)
    out.push(
      Array.from(l.weights.data),
      Array.from(l.bias.data),
      Array.from(l.weightGrad.data),
      Array.from(l.biasGrad.data),
    );
  return out;
}

/** One epoch on the fused TypeScript path and the js backend's sgd step; returns E and the fused sums. */
function typescriptEpoch(model: Sequential, inputs: Tensor, targets: Tensor, lr: number) {
  setBackend(jsBackend);
  const fused = FusedSmallNetwork.plan(model)!;
  const loss = fused.forwardLoss(inputs, targets, model.createPass());
  fused.backward(targets);
  for (const p of model.parameters()) jsBackend.sgdStep(p.value.data, p.grad.data, lr);
  return { loss, stats: Array.from(fused.stats) };
}

/** The float64 reference: forward, mse, delta rule and sgd step from the formulas, every value in float64. */
function reference(model: Sequential, inputs: Tensor, targets: Tensor, lr: number) {
  const f = (name: string, x: number) =>
    name === 'sigmoid' ? 1 / (1 + Math.exp(-x)) : name === 'relu' ? Math.max(x, 0) : x;
  const df = (name: string, x: number, o: number) =>
    name === 'sigmoid' ? o * (1 - o) : name === 'relu' ? (x > 0 ? 1 : 0) : 1;
  const rows = inputs.rows;
  const outs: number[][][] = [];
  const nets: number[][][] = [];
  let a: number[][] = Array.from({ length: rows }, (_, b) =>
    Array.from(inputs.data.subarray(b * inputs.cols, (b + 1) * inputs.cols)),
  );
  const acts = [a];
  for (const l of model.layers) {
    const net = a.map((row) =>
      Array.from({ length: l.units }, (_, j) =>
        row.reduce((s, v, i) => s + v * l.weights.data[i * l.units + j]!, l.bias.data[j]!),
      ),
    );
    a = net.map((row) => row.map((x) => f(l.activation.name, x)));
    nets.push(net);
    outs.push(a);
    acts.push(a);
  }
  const k = model.outputs;
  let loss = 0;
  a.forEach((row, b) => row.forEach((o, j) => (loss += (o - targets.data[b * k + j]!) ** 2)));
  loss /= 2 * rows;
  let dy = a.map((row, b) => row.map((o, j) => (o - targets.data[b * k + j]!) / rows));
  const updated: number[][] = [];
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l]!;
    const delta = dy.map((row, b) =>
      row.map((g, j) => g * df(layer.activation.name, nets[l]![b]![j]!, outs[l]![b]![j]!)),
    );
    const input = acts[l]!;
    const w = Array.from(layer.weights.data, (v, idx) => {
      const i = Math.floor(idx / layer.units);
      const j = idx % layer.units;
      return v - lr * delta.reduce((s, row, b) => s + input[b]![i]! * row[j]!, 0);
    });
    const theta = Array.from(layer.bias.data, (v, j) => v - lr * delta.reduce((s, row) => s + row[j]!, 0));
    updated[l] = [...w, ...theta];
    dy = delta.map((row) =>
      Array.from({ length: layer.inputs }, (_, i) =>
        row.reduce((s, d, j) => s + d * layer.weights.data[i * layer.units + j]!, 0),
      ),
    );
  }
  return { loss, updated };
}

describe('tiny-network kernel', () => {
  it("e^x is fdlibm's, bit for bit Math.exp", () => {
    const kernels = wasm.resident!.kernels;
    const rng = new Random(3);
    const special = [
      0,
      -0,
      1,
      -1,
      1e-300,
      -1e-300,
      2 ** -28,
      -(2 ** -28),
      709.78,
      709.79,
      -708.4,
      -745.13,
      -745.14,
    ];
    const x = [...special, Infinity, -Infinity, NaN, 0.5 * Math.LN2, 1.5 * Math.LN2, -0.5 * Math.LN2];
    for (let i = 0; i < 100_000; i++)
      x.push(rng.range(-40, 40), rng.range(-760, 720), Math.fround(rng.range(-20, 20)));
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    for (let i = 0; i < 50_000; i++) {
      words[0] = rng.int(2 ** 31) * 2 + rng.int(2);
      words[1] = rng.int(2 ** 31) * 2 + rng.int(2);
      x.push(bits[0]!);
    }
    const differ = x.filter((v) => !Object.is(kernels.tinyExp(v), Math.exp(v)));
    expect(differ).toEqual([]);
  });

  for (const c of CASES) {
    it(`one epoch gives the TypeScript path's numbers bit for bit, near the float64 reference: ${c.name}`, () => {
      for (const [seed, scale] of [
        [1, 1],
        [2, 3],
        [3, 30],
      ] as const) {
        const a = mlp({ inputs: c.inputs, layers: c.layers, seed });
        const b = mlp({ inputs: c.inputs, layers: c.layers, seed });
        const { inputs, targets } = batch(c, seed, scale);
        const ref = reference(a, inputs, targets, c.lr);
        const expected = typescriptEpoch(a, inputs, targets, c.lr);

        setBackend(wasm);
        const tiny = TinySgdNetwork.plan(b, c.rows)!;
        expect(tiny.covers()).toBe(true);
        const loss = tiny.epoch(inputs, targets, true, c.lr);
        tiny.sync();
        expect(loss).toBe(expected.loss);
        expect(arrays(b)).toEqual(arrays(a));
        for (let l = 0; l < c.layers.length; l++)
          for (let k = 0; k < 3; k++) expect(tiny.result(l, k)).toBe(expected.stats[3 * l + k]);
        expect(tiny.finite).toBe(true);

        // float32 rounding only, against the float64 formulas
        expect(loss).toBeCloseTo(ref.loss, 5);
        b.layers.forEach((layer, l) => {
          const got = [...layer.weights.data, ...layer.bias.data];
          got.forEach((v, i) =>
            expect(Math.abs(v - ref.updated[l]![i]!)).toBeLessThan(1e-4 * (1 + Math.abs(v))),
          );
        });
      }
    });
  }

  it('runs epoch after epoch as the TypeScript path does, the batch loaded once', () => {
    const c = CASES[0]!;
    const a = mlp({ inputs: c.inputs, layers: c.layers, seed: 9 });
    const b = mlp({ inputs: c.inputs, layers: c.layers, seed: 9 });
    const { inputs, targets } = batch(c, 9, 1);
    setBackend(wasm);
    const tiny = TinySgdNetwork.plan(b, c.rows)!;
    for (let e = 0; e < 200; e++) {
      const expected = typescriptEpoch(a, inputs, targets, c.lr);
      setBackend(wasm);
      expect(tiny.covers()).toBe(true);
      expect(tiny.epoch(inputs, targets, false, c.lr)).toBe(expected.loss);
    }
    tiny.sync();
    expect(arrays(b)).toEqual(arrays(a));
  });

  it('goes on after the memory grew between epochs (its views made anew)', () => {
    const c = CASES[1]!;
    const a = mlp({ inputs: c.inputs, layers: c.layers, seed: 13 });
    const b = mlp({ inputs: c.inputs, layers: c.layers, seed: 13 });
    const { inputs, targets } = batch(c, 13, 1);
    setBackend(wasm);
    const tiny = TinySgdNetwork.plan(b, c.rows)!;
    for (let e = 0; e < 3; e++) {
      const expected = typescriptEpoch(a, inputs, targets, c.lr);
      setBackend(wasm);
      expect(tiny.covers()).toBe(true);
      expect(tiny.epoch(inputs, targets, false, c.lr)).toBe(expected.loss);
      // a product this large stages its operands past everything there is: the memory grows
      const size = 700 + 300 * e;
      const before = wasm.resident!.f32().buffer.byteLength;
      const square = (): Tensor => Tensor.zeros([size, size], 'float32');
      matmul(square(), square(), square());
      expect(wasm.resident!.f32().buffer.byteLength).toBeGreaterThan(before);
    }
    tiny.sync();
    expect(arrays(b)).toEqual(arrays(a));
  });

  it('counts the right answers as the trainer does (O >= 0.5 for one output, else the first largest)', () => {
    setBackend(wasm);
    for (const c of CASES) {
      const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 4 });
      const { inputs, targets } = batch(c, 4, 2);
      const out = model.forward(inputs);
      let right = 0;
      const k = out.cols;
      for (let i = 0; i < c.rows; i++) {
        if (k === 1) right += out.data[i]! >= 0.5 === targets.data[i]! >= 0.5 ? 1 : 0;
        else {
          let best = 0;
          let truth = 0;
          for (let j = 1; j < k; j++) {
            if (out.data[i * k + j]! > out.data[i * k + best]!) best = j;
            if (targets.data[i * k + j]! > targets.data[i * k + truth]!) truth = j;
          }
          right += best === truth ? 1 : 0;
        }
      }
      const tiny = TinySgdNetwork.plan(model, c.rows)!;
      expect(tiny.covers()).toBe(true);
      tiny.epoch(inputs, targets, true, c.lr);
      expect(tiny.correct).toBe(right);
    }
  });

  it('reports weights that are not finite and leaves the model alone until asked', () => {
    const c = CASES[1]!;
    const model = mlp({ inputs: c.inputs, layers: c.layers, seed: 5 });
    const before = arrays(model);
    const { inputs, targets } = batch(c, 5, 1);
    setBackend(wasm);
    const tiny = TinySgdNetwork.plan(model, c.rows)!;
    expect(tiny.covers()).toBe(true);
    const loss = tiny.epoch(inputs, targets, true, 1e300);
    expect(Number.isFinite(loss)).toBe(true);
    expect(tiny.finite).toBe(false);
    expect(arrays(model)).toEqual(before);
    tiny.sync(); // the gradients only
    expect(arrays(model).filter((_, i) => i % 4 < 2)).toEqual(before.filter((_, i) => i % 4 < 2));
    expect(arrays(model)).not.toEqual(before);
  });

  it('covers float32 sigmoid, relu and linear layers on the WebAssembly backends only', () => {
    expect(
      TinySgdNetwork.plan(mlp({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] }), 4),
    ).toBe(null);
    expect(
      TinySgdNetwork.plan(mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], dtype: 'float64' }), 4),
    ).toBe(null);
    expect(TinySgdNetwork.plan(mlp({ inputs: 64, layers: [{ units: 64 }, { units: 1 }] }), 4)).toBe(null);
    const tiny = TinySgdNetwork.plan(mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }] }), 4)!;
    setBackend(jsBackend);
    expect(tiny.covers()).toBe(false);
    setBackend({ ...wasm, name: 'custom' });
    expect(tiny.covers()).toBe(false);
    setBackend(wasm);
    expect(tiny.covers()).toBe(true);
  });
});
