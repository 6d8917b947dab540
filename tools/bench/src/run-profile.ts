/**
 * A per-phase timeline of a whole W3 `train()` run (2 epochs of 10 steps, events on, an idle subscriber, a fresh
 * model each run, as the bench runs it) on the 1- and 2-thread WebAssembly backends, in turn: the wall and CPU
 * time (the process's, so the helper's spinning counts) of the setup before the first batch, each epoch's start
 * (snapshot, the resident plan's copy of the start), the steps, the end of each epoch (sync, statistics) and the
 * rest. Not part of the bench's tables: `node --expose-gc dist/run-profile.js [rounds]` after the bench's build.
 * Used to find the serial parts of a 2-thread run.
 */
import { Batcher } from '@deltaflow/data';
import { WasmResidentPlan } from '@deltaflow/network';
import { loadWasmBackend, setBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { W3, deltaflowModel, wideData } from './workloads.js';
import { runTrain, trainOptions } from './runners/deltaflow.js';

interface Phase {
  wall: number;
  cpu: number;
  count: number;
}

const phases = new Map<string, Phase>();

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function record(name: string, wall: number, cpu: number): void {
  let p = phases.get(name);
  if (!p) {
    p = { wall: 0, cpu: 0, count: 0 };
    phases.set(name, p);
  }
  p.wall += wall;
  p.cpu += cpu;
  p.count++;
}

/** Time of the calls nested in the timed calls on the stack (wall, cpu), subtracted from theirs: self times. */
const stack: { wall: number; cpu: number }[] = [];
/** When the last top-level timed call ended, or the run began (`first`). */
let gapFrom: { wall: number; cpu: number; first: boolean } | null = null;

/** Wraps `proto[method]` so that its calls are timed under `name`, less the timed calls nested in them. */
function wrap(proto: object, method: string, name: string): void {
  const target = proto as Record<string, (...args: unknown[]) => unknown>;
  const f = target[method]!;
  target[method] = function (this: unknown, ...args: unknown[]) {
    if (stack.length === 0) {
      // the time since the last top-level call ended (or the run began): setup, event loop turns, events
      const now = performance.now();
      const c = cpuMs();
      if (gapFrom !== null)
        record(
          gapFrom.first ? 'setup before the first call' : 'between calls (turns, events)',
          now - gapFrom.wall,
          c - gapFrom.cpu,
        );
      gapFrom = null;
    }
    const frame = { wall: 0, cpu: 0 };
    stack.push(frame);
    const t = performance.now();
    const c = cpuMs();
    try {
      return f.apply(this, args);
    } finally {
      const wall = performance.now() - t;
      const cpu = cpuMs() - c;
      stack.pop();
      record(name, wall - frame.wall, cpu - frame.cpu);
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.wall += wall;
        parent.cpu += cpu;
      } else gapFrom = { wall: performance.now(), cpu: cpuMs(), first: false };
    }
  };
}

/** {@link wrap} of a getter. */
function wrapGetter(proto: object, name: string, label: string): void {
  const get = Object.getOwnPropertyDescriptor(proto, name)!.get!;
  const holder = { get };
  wrap(holder, 'get', label);
  Object.defineProperty(proto, name, {
    get(this: unknown) {
      return holder.get.call(this);
    },
    configurable: true,
  });
}

const plan = WasmResidentPlan.prototype as unknown as Record<string, unknown>;
wrap(plan, 'forwardGathered', 'step: forward');
wrap(plan, 'backwardStep', 'step: backward + update');
wrap(plan, 'begin', 'plan.begin (loads W into WebAssembly memory)');
wrap(plan, 'markStart', 'epoch start: plan.markStart (loads W, copies the start)');
wrap(plan, 'sync', 'epoch end: plan.sync (W, dE/dW out)');
wrap(plan, 'statistics', 'epoch end: plan.statistics');
// the trainer's internals, from its build (not its public door)
const loopModule = (await import(
  new URL('../../../packages/trainer/dist/training-loop.js', import.meta.url).href
)) as { TrainingLoop: { prototype: object } };
const statsModule = (await import(
  new URL('../../../packages/trainer/dist/gradient-stats.js', import.meta.url).href
)) as { WeightSnapshot: { prototype: object }; EpochStatistics: { prototype: object } };
wrap(loopModule.TrainingLoop.prototype, 'beginEpoch', 'epoch start: beginEpoch (snapshot)');
wrapGetter(loopModule.TrainingLoop.prototype, 'stats', 'epoch start: statistics made (first epoch)');
wrap(Batcher.prototype, 'startEpoch', 'epoch start: batcher.startEpoch (shuffle)');
wrap(statsModule.WeightSnapshot.prototype, 'take', 'epoch start: snapshot.take (copies W)');
wrap(statsModule.EpochStatistics.prototype, 'measure', 'epoch end: stats.measure');
wrap(loopModule.TrainingLoop.prototype, 'finishEpoch', 'epoch end: finishEpoch (rest)');
wrap(loopModule.TrainingLoop.prototype, 'runBatch', 'step: runBatch (rest)');

const rows = 1280;
const data = wideData(rows);
const options = trainOptions(W3, 2, rows);
const template = deltaflowModel(W3);
const weights = template.layers.map((l) => Float32Array.from(l.weights.data));

async function oneRun(backend: Backend): Promise<{ wall: number; cpu: number }> {
  setBackend(backend);
  const model = deltaflowModel(W3);
  model.layers.forEach((layer, i) => layer.weights.data.set(weights[i]!));
  gapFrom = { wall: performance.now(), cpu: cpuMs(), first: true };
  // from subscribing to the last epoch event, as the bench times it (the end event's model file left out)
  const { seconds, cpuSeconds } = await runTrain(model, data, options, 'process');
  gapFrom = null;
  return { wall: seconds * 1000, cpu: cpuSeconds * 1000 };
}

const one = loadWasmBackend({ threads: 1 })!;
const two = loadWasmBackend({ threads: 2 })!;
const rounds = Number(process.argv[2] ?? 8);
// warm-up
for (let i = 0; i < 4; i++) {
  await oneRun(one);
  await oneRun(two);
}
const totals: Record<string, { wall: number[]; cpu: number[]; phases: Map<string, Phase>[] }> = {
  '1t': { wall: [], cpu: [], phases: [] },
  '2t': { wall: [], cpu: [], phases: [] },
};
for (let r = 0; r < rounds; r++) {
  for (const [name, backend] of r % 2 === 0
    ? ([
        ['1t', one],
        ['2t', two],
      ] as const)
    : ([
        ['2t', two],
        ['1t', one],
      ] as const)) {
    (globalThis as { gc?: () => void }).gc?.();
    phases.clear();
    const t = await oneRun(backend);
    totals[name]!.wall.push(t.wall);
    totals[name]!.cpu.push(t.cpu);
    totals[name]!.phases.push(new Map([...phases].map(([k, v]) => [k, { ...v }])));
  }
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
const fmt = (x: number): string => x.toFixed(2).padStart(8);
for (const name of ['1t', '2t']) {
  const t = totals[name]!;
  const wall = median(t.wall);
  console.log(
    `\n${name}: whole run (to the last epoch event) wall ${fmt(wall)} ms, cpu ${fmt(median(t.cpu))} ms`,
  );
  const names = new Set<string>();
  for (const p of t.phases) for (const k of p.keys()) names.add(k);
  let timed = 0;
  for (const k of [...names].sort()) {
    const w = median(t.phases.map((p) => p.get(k)?.wall ?? 0));
    const c = median(t.phases.map((p) => p.get(k)?.cpu ?? 0));
    const n = t.phases[0]!.get(k)?.count ?? 0;
    timed += w;
    console.log(`  ${k.padEnd(60)} x${String(n).padStart(3)} wall ${fmt(w)}  cpu ${fmt(c)}`);
  }
  console.log(`  ${'untimed (setup, events)'.padEnd(60)}      wall ${fmt(wall - timed)}`);
}
const r = median(totals['1t']!.wall) / median(totals['2t']!.wall);
console.log(`\n2t / 1t by wall (whole run): ${r.toFixed(3)}x`);
