/**
 * The inference workload: the W2 network (784-128-10, sigmoid/sigmoid, deltaflow's seeded weights) exported with
 * `toOnnx` and `toStandaloneModule` of @deltaflow/interop, run by deltaflow's `model.forward` (inference, no
 * training pass), by onnxruntime-node on the exported file and by the standalone module's `predictBatch`
 * (imported from a temporary file, as an app would), as batch-1 latency and batch-256 throughput. The runners take turns
 * in each repeat (order rotated), in this process, so the ratios come from one run on one machine state.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toOnnx, toStandaloneModule } from '@deltaflow/interop';
import { mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { Random, Tensor, jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import * as ort from 'onnxruntime-node';
import { fmt, summarize, table } from './stats.js';

const INPUTS = 784;
const BATCHES = [1, 256] as const;

/** One way to run the network on a batch of `rows` (row-major float32 numbers); returns the outputs. */
interface InferenceRunner {
  name: string;
  run(input: Float32Array, rows: number): Promise<ArrayLike<number>> | ArrayLike<number>;
}

function deltaflowRunner(name: string, model: Sequential, backend: Backend): InferenceRunner {
  const inputs = new Map<number, Tensor>();
  return {
    name,
    run(input, rows) {
      setBackend(backend);
      let x = inputs.get(rows);
      if (!x) inputs.set(rows, (x = Tensor.zeros([rows, INPUTS], 'float32')));
      x.data.set(input);
      return model.forward(x).data;
    },
  };
}

async function onnxRunner(name: string, bytes: Uint8Array, threads: number): Promise<InferenceRunner> {
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  return {
    name,
    async run(input, rows) {
      const result = await session.run({ input: new ort.Tensor('float32', input, [rows, INPUTS]) });
      return result['output']!.data as Float32Array;
    },
  };
}

/** The standalone module of `model`, written to a temporary folder and imported; its `predictBatch` per call. */
async function standaloneRunner(name: string, model: Sequential): Promise<InferenceRunner> {
  const dir = mkdtempSync(join(tmpdir(), 'deltaflow-bench-standalone-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'model.js'), toStandaloneModule(model).js);
    const module = (await import(pathToFileURL(join(dir, 'model.js')).href)) as {
      predictBatch(inputs: ArrayLike<ArrayLike<number>>): number[][];
    };
    return {
      name,
      run(input, rows) {
        const samples = Array.from({ length: rows }, (_, r) => input.subarray(r * INPUTS, (r + 1) * INPUTS));
        return module.predictBatch(samples).flat();
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Calls `runner` on rotating batches for about `ms`; returns the wall and CPU (user + system) us per call. */
async function time(
  runner: InferenceRunner,
  batches: Float32Array[],
  rows: number,
  ms: number,
): Promise<{ wall: number; cpu: number }> {
  let calls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms || calls < 3) {
    await runner.run(batches[calls % batches.length]!, rows);
    calls++;
    t = performance.now();
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: ((t - t0) * 1000) / calls, cpu: (cpu.user + cpu.system) / calls };
}

/**
 * Runs the inference workload and prints one table per batch size: median (min .. max) of `repeats` runs, and
 * each runner's ratio to deltaflow's (default backend), in wall time and in CPU time (the process's user +
 * system time: with 2 threads, ONNX Runtime's CPU time counts both).
 */
export async function inferenceBench(quick: boolean, repeats: number): Promise<void> {
  const model = mlp({
    inputs: INPUTS,
    layers: [
      { units: 128, activation: 'sigmoid' },
      { units: 10, activation: 'sigmoid' },
    ],
    seed: 42,
  });
  const bytes = toOnnx(model);
  const wasm = loadWasmBackend();
  const runners: InferenceRunner[] = [
    ...(wasm ? [deltaflowRunner(`deltaflow (${wasm.name})`, model, wasm)] : []),
    deltaflowRunner('deltaflow (js)', model, jsBackend),
    await onnxRunner('onnxruntime-node 1 thread', bytes, 1),
    await onnxRunner('onnxruntime-node 2 threads', bytes, 2),
    await standaloneRunner('standalone module (toStandaloneModule)', model),
  ];
  const rng = new Random(7);
  const ms = quick ? 150 : 500;
  console.log(
    `\ninference: W2 784-128-10 sigmoid/sigmoid float32, deltaflow model.forward vs onnxruntime-node ${ort.env.versions.node} on toOnnx's file (${bytes.length} bytes) and the standalone module's predictBatch`,
  );
  for (const rows of BATCHES) {
    const batches = Array.from({ length: 8 }, () =>
      Float32Array.from({ length: rows * INPUTS }, () => rng.uniform()),
    );
    // the same outputs first: the ratios compare the same computation
    const reference = Array.from(await runners[0]!.run(batches[0]!, rows));
    for (const runner of runners.slice(1)) {
      const out = await runner.run(batches[0]!, rows);
      let worst = 0;
      for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(out[i]! - reference[i]!));
      if (worst > 1e-5) throw new Error(`inference bench: ${runner.name} differs from deltaflow by ${worst}`);
    }
    for (const runner of runners) await time(runner, batches, rows, ms); // warm-up
    const results = runners.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    for (let r = 0; r < repeats; r++) {
      for (let k = 0; k < runners.length; k++) {
        const i = (k + r) % runners.length;
        const t = await time(runners[i]!, batches, rows, ms);
        results[i]!.wall.push(t.wall);
        results[i]!.cpu.push(t.cpu);
      }
    }
    const unit = rows === 1 ? 'us per call (batch 1)' : 'samples/s (batch 256)';
    const value = (us: number): number => (rows === 1 ? us : (rows * 1e6) / us);
    const base = { wall: summarize(results[0]!.wall).median, cpu: summarize(results[0]!.cpu).median };
    const lines: string[][] = [
      ['runner', `wall ${unit}`, 'min .. max', 'time vs deltaflow', `cpu ${unit}`, 'cpu vs deltaflow'],
    ];
    runners.forEach((runner, i) => {
      const wall = summarize(results[i]!.wall);
      const cpu = summarize(results[i]!.cpu);
      const [low, high] = rows === 1 ? [wall.min, wall.max] : [wall.max, wall.min];
      lines.push([
        runner.name,
        fmt(value(wall.median)),
        `${fmt(value(low))} .. ${fmt(value(high))}`,
        `${fmt(wall.median / base.wall)}x`,
        fmt(value(cpu.median)),
        `${fmt(cpu.median / base.cpu)}x`,
      ]);
    });
    console.log(table(lines));
  }
  setBackend(wasm ?? jsBackend);
}
