/**
 * A per-phase timeline of W3's resident training step on the 1- and 2-thread WebAssembly backends: how long each
 * product, each elementwise kernel and each wait on the helper thread takes, wall and CPU time (the process's, so
 * the helper's spinning counts). Not part of the bench's tables: `node --expose-gc dist/threads-profile.js
 * [steps] [workload]` after the bench's build. Used to find the serial parts of a 2-thread step.
 */
import { ForwardPass, WasmResidentPlan } from '@deltaflow/network';
import { ResidentMemory, Tensor, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { readFileSync } from 'node:fs';
import { W2, W3, deltaflowModel, wideData } from './workloads.js';

/** Busy CPU time of the whole machine so far (ms, from /proc/stat), to tell how much other processes ran. */
function machineBusy(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return ((total - idle) * 1000) / 100;
  } catch {
    return NaN;
  }
}
import type { Workload } from './workloads.js';

interface Phase {
  wall: number;
  count: number;
}

const phases = new Map<string, Phase>();
let depth = 0;

function record(name: string, ms: number): void {
  let p = phases.get(name);
  if (!p) {
    p = { wall: 0, count: 0 };
    phases.set(name, p);
  }
  p.wall += ms;
  p.count++;
}

function timed<F extends (...args: never[]) => unknown>(name: (args: Parameters<F>) => string, f: F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    if (depth > 0) return f.apply(this, args);
    depth++;
    const t = performance.now();
    try {
      return f.apply(this, args);
    } finally {
      record(name(args), performance.now() - t);
      depth--;
    }
  } as F;
}

const proto = ResidentMemory.prototype as unknown as Record<string, (...a: never[]) => unknown>;
const shape = (a: unknown[]): string => `${a[0] ? 'T' : 'N'}${a[1] ? 'T' : 'N'} [${a[2]},${a[3]},${a[4]}]`;
proto.gemm = timed((a) => `gemm ${shape(a as unknown[])}`, proto.gemm!);
proto.sgdStep = timed((a) => `sgdStep ${(a as unknown[])[2]}`, proto.sgdStep!);
proto.activationForward = timed(
  (a) => `actF${(a as unknown[])[0]} ${(a as unknown[])[3]}`,
  proto.activationForward!,
);
proto.activationBackward = timed(
  (a) => `actB${(a as unknown[])[0]} ${(a as unknown[])[5]}`,
  proto.activationBackward!,
);

const wrappedMemories = new WeakSet<ResidentMemory>();

function wrapKernels(memory: ResidentMemory): void {
  if (wrappedMemories.has(memory)) return;
  wrappedMemories.add(memory);
  const k = memory.kernels as unknown as Record<string, unknown>;
  const wrapped: Record<string, unknown> = {};
  for (const name of Object.keys(k)) {
    const f = k[name];
    wrapped[name] = typeof f === 'function' ? timed(() => `k.${name}`, f as (...a: never[]) => unknown) : f;
  }
  (memory as unknown as { kernels: unknown }).kernels = wrapped;
  const helper = (memory as unknown as { helper: Record<string, (...a: unknown[]) => unknown> | null })
    .helper;
  if (helper) {
    const finish = helper.finish!.bind(helper);
    helper.finish = (...a: unknown[]) => {
      const t = performance.now();
      const r = finish(...a);
      record(r ? 'wait (helper prompt)' : 'wait (helper late / ran here)', performance.now() - t);
      return r;
    };
  }
}

async function profile(
  label: string,
  backend: Backend,
  w: Workload,
  steps: number,
  halves = false,
): Promise<void> {
  setBackend(backend);
  const helperOf = (backend.resident as unknown as { helper: Record<string, unknown> | null }).helper;
  // halves: the helper without pieces (the resident memory then splits products in two, as before pieces)
  if (helperOf) {
    if (halves) helperOf['callParts'] = undefined;
    else delete helperOf['callParts'];
  }
  const model = deltaflowModel(w);
  const plan = WasmResidentPlan.plan(model, w.loss, w.batchSize)!;
  const memory = backend.resident!;
  memory.adaptive = false;
  const data = wideData(w.batchSize * 4);
  const inputs = new Tensor<2>(data.inputs.subarray(0, w.batchSize * w.sizes[0]!), [
    w.batchSize,
    w.sizes[0]!,
  ]);
  const targets = new Tensor<2>(data.targets.subarray(0, w.batchSize * 10), [w.batchSize, 10]);
  const pass = new ForwardPass(model);
  plan.covers(w.batchSize);
  // warm up
  for (let i = 0; i < 5; i++) {
    plan.forwardLoss(inputs, targets, pass);
    plan.backwardStep(w.lr);
  }
  await new Promise((r) => setTimeout(r, 50));
  wrapKernels(memory);
  phases.clear();
  const busy0 = machineBusy();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let fwd = 0;
  let bwd = 0;
  for (let i = 0; i < steps; i++) {
    const a = performance.now();
    plan.forwardLoss(inputs, targets, pass);
    const b = performance.now();
    plan.backwardStep(w.lr);
    const c = performance.now();
    fwd += b - a;
    bwd += c - b;
  }
  const wall = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1000;
  const others = machineBusy() - busy0 - cpu;
  console.log(
    `\n${label} ${w.id}: ${steps} steps, ${(wall / steps).toFixed(3)} ms/step wall, ${(cpu / steps).toFixed(3)} ms/step cpu (process), others ${(others / wall).toFixed(2)} cores; forward ${(fwd / steps).toFixed(3)}, backward ${(bwd / steps).toFixed(3)}`,
  );
  const rows = [...phases.entries()].sort((x, y) => y[1].wall - x[1].wall);
  for (const [name, p] of rows)
    console.log(
      `  ${name.padEnd(34)} ${(p.wall / steps).toFixed(4).padStart(9)} ms/step  x${(p.count / steps).toFixed(0)}`,
    );
  plan.close();
}

const steps = Number(process.argv[2] ?? 30);
const w = process.argv[3] === 'W2' ? W2 : W3;
const one = loadWasmBackend({ threads: 1 })!;
const two = loadWasmBackend({ threads: 2 })!;
await new Promise((r) => setTimeout(r, 300));
const quiet = process.argv.includes('--quiet');
for (let round = 0; round < Number(process.argv[4] ?? 2); round++) {
  if (quiet) phases.clear();
  await profile('1t', one, w, steps);
  await profile('2t', two, w, steps);
  await profile('2t-halves', two, w, steps, true);
}
process.exit(0);
