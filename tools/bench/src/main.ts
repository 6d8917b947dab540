/**
 * The deltaflow benchmark: W1-W3 of the performance issue for deltaflow (each backend), TensorFlow.js (cpu and
 * wasm) and brain.js, interleaved and repeated in one process; then the cost of events. `--heap` runs the
 * 1,000,000-epoch heap check instead, `--kernels` the gemm kernels alone.
 */
import { selectBackend } from '@deltaflow/tensor';
import { parseArgs } from './args.js';
import { dataBench } from './data-bench.js';
import { eventsCost } from './events-cost.js';
import { heapCheck } from './heap.js';
import { inferenceBench } from './inference.js';
import { kernelBench } from './kernels.js';
import { Library } from './library.js';
import { coldFraction, valueOf, gflops } from './measure.js';
import type { Clock } from './measure.js';
import type { RunResult } from './runners/runner.js';
import { fmt, summarize, table } from './stats.js';
import { atLeast, verdicts } from './verdicts.js';
import { W1, W2, W3 } from './workloads.js';
import type { Workload } from './workloads.js';
import os from 'node:os';

const args = parseArgs(process.argv.slice(2));

/** W3's full amount: 10 steps of 128 samples per epoch, 2 epochs (20 steps). */
const W3_STEPS_PER_EPOCH = 10;

function header(): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  const [l1, l5] = os.loadavg();
  console.log(
    `deltaflow bench${args.quick ? ' --quick' : ''}: node ${process.version}, ${os.cpus().length} x ${cpu}, load ${fmt(l1!)} (1 min) ${fmt(l5!)} (5 min)`,
  );
  console.log(
    `default backend: ${selectBackend().name}; ${args.repeats} timed repeats per library after a warm-up, libraries interleaved (order rotated each repeat)`,
  );
}

const LIBRARIES = [
  'deltaflow-wasm',
  'deltaflow-wasm-2t',
  'deltaflow-js',
  'tfjs-cpu',
  'tfjs-wasm',
  'brain.js',
  'pytorch-1t',
  'pytorch-2t',
];

/** Why a library is not in this run (e.g. PyTorch not installed), printed under the tables it would be in. */
const missing = new Map<string, string>();

/** Starts a worker for library `name`; null (and the reason, reported once) when it cannot run here. */
async function startLibrary(name: string): Promise<Library | null> {
  const library = await Library.start({
    runner: name,
    quick: args.quick,
    w3StepsPerEpoch: W3_STEPS_PER_EPOCH,
  });
  if (!library.unavailable) return library;
  missing.set(name, library.unavailable.split('\n')[0]!);
  console.log(`${name}: not benched: ${missing.get(name)}`);
  return null;
}

/** The libraries of this run that can run here (those found missing are left out). */
const candidates = (): string[] => LIBRARIES.filter((n) => !args.skip.has(n) && !missing.has(n));

/**
 * The JIT-cold runs of workload `id` for every library: `rounds` rounds, each a fresh worker (its own V8 isolate)
 * per library whose first training it is, alone in the process, stopped afterwards. Alone, so that the process's
 * CPU time is that worker's own: no other worker's start-up (tfjs's WebAssembly compilation, another isolate's
 * compiler or garbage-collector threads) runs meanwhile. One cold run swings by a third on a shared machine, so
 * the report takes the median of the rounds; each round starts with the next library, so no library is always
 * the process's first worker.
 */
async function coldRuns(id: 'W1' | 'W2' | 'W3', rounds: number): Promise<Map<string, RunResult[]>> {
  const firsts = new Map<string, RunResult[]>();
  for (let round = 0; round < rounds; round++) {
    const names = candidates(); // (without those found missing in an earlier round)
    for (let k = 0; k < names.length; k++) {
      const library = await startLibrary(names[(k + round) % names.length]!);
      if (!library) continue;
      try {
        if (!library.workloads.includes(id)) continue;
        const runs = firsts.get(library.name) ?? [];
        runs.push(await library.cold(id));
        firsts.set(library.name, runs);
      } finally {
        await library.stop();
      }
    }
  }
  return firsts;
}

/** Starts one fresh worker per library (each in its own V8 isolate) that trains workload `id`. */
async function libraries(id: string): Promise<Library[]> {
  const list: Library[] = [];
  for (const name of candidates()) {
    const library = await startLibrary(name);
    if (!library) continue;
    if (library.workloads.includes(id)) list.push(library);
    else await library.stop();
  }
  return list;
}

interface Row {
  runner: Library;
  results: RunResult[];
  fraction: number;
  /**
   * The JIT-cold runs: each the first thing a fresh worker of the library trained, alone in the process (see
   * `coldRuns`), the same amount of work for every library (W1: the full 5,000 epochs; see `coldFraction`).
   */
  firsts: RunResult[];
  warmRuns: number;
}

function report(w: Workload, rows: Row[]): void {
  const ours = (r: Row): boolean => r.runner.name.startsWith('deltaflow');
  const native = (r: Row): boolean => r.runner.name.startsWith('pytorch');
  const best = (xs: number[]): number => (w.higherIsBetter ? Math.max(...xs) : Math.min(...xs));
  const stats = (r: Row, clock: Clock) => summarize(r.results.map((x) => valueOf(w, x, clock)));
  const firstRange = (r: Row, clock: Clock) => summarize(r.firsts.map((x) => valueOf(w, x, clock)));
  const firstRun = (r: Row, clock: Clock): number => firstRange(r, clock).median;
  const fastest = (clock: Clock): number => best(rows.filter(ours).map((r) => stats(r, clock).median));
  const ratio = (value: number, clock: Clock): number =>
    w.higherIsBetter ? fastest(clock) / value : value / fastest(clock);
  const lines: string[][] = [
    [
      'library',
      `wall ${w.unit}`,
      'min .. max',
      'spread',
      `cpu ${w.unit}`,
      'spread',
      'deltaflow x (wall/cpu)',
      '1st run wall/cpu (wall min .. max)',
      'GFLOP/s wall',
      'work per run',
      'loss',
      w.id === 'W2' ? 'test acc' : '',
    ],
  ];
  for (const r of rows) {
    const wall = stats(r, 'wall');
    const cpu = stats(r, 'cpu');
    const last = r.results[r.results.length - 1]!;
    const unit = w.id === 'W1' ? 'epochs' : w.id === 'W2' || r.runner.perSample ? 'samples' : 'steps';
    const amount = w.id === 'W2' ? last.samples : last.iterations;
    const rw = ratio(wall.median, 'wall');
    const rc = ratio(cpu.median, 'cpu');
    lines.push([
      r.runner.name,
      fmt(wall.median),
      `${fmt(wall.min)} .. ${fmt(wall.max)}`,
      `${fmt(wall.spreadPct)}%`,
      fmt(cpu.median),
      `${fmt(cpu.spreadPct)}%`,
      ours(r) && rw === 1 ? 'fastest' : `${fmt(rw)}x / ${fmt(rc)}x`,
      `${fmt(firstRun(r, 'wall'))} / ${fmt(firstRun(r, 'cpu'))} (${fmt(firstRange(r, 'wall').min)} .. ${fmt(firstRange(r, 'wall').max)})`,
      fmt(summarize(r.results.map((x) => gflops(w, x, 'wall'))).median),
      `${amount.toLocaleString('en-US')} ${unit}`,
      fmt(last.loss),
      last.accuracy !== undefined ? `${(last.accuracy * 100).toFixed(1)}%` : '',
    ]);
  }
  console.log(`\n${w.id}: ${w.title}`);
  console.log(table(lines));
  console.log(
    `  (medians of ${args.repeats} runs after ${rows.map((r) => `${r.warmRuns}`).join('/')} warm-up runs; '1st run' = the median of ${coldRounds()} JIT-cold runs, each the first thing a fresh worker of the library trained, alone in the process (no other worker alive), ${w.id === 'W1' ? 'the full 5,000 epochs' : `${coldFraction(w) * 100}% of the full work`} for every library; 'cpu' = CPU time of the thread that ran the library (Linux; elsewhere the whole process's), so neither another worker nor V8's compiler and GC helper threads count, except for PyTorch and deltaflow-wasm-2t: their whole process, helper threads included)`,
  );
  const others = rows.filter((r) => !ours(r) && !native(r));
  for (const clock of ['wall', 'cpu'] as const) {
    const f = fastest(clock);
    const met = w.higherIsBetter ? f >= w.goal : f <= w.goal;
    const lead = Math.min(...others.map((r) => ratio(stats(r, clock).median, clock)));
    console.log(
      `${clock}: goal ${w.higherIsBetter ? '>=' : '<='} ${fmt(w.goal)} ${w.unit}: best deltaflow ${fmt(f)} -> ${met ? 'MET' : 'NOT MET'}` +
        (others.length
          ? `; ahead of every JS library by ${fmt(lead)}x (goal 10x) -> ${lead >= 10 ? 'MET' : 'NOT MET'}`
          : ''),
    );
  }
  for (const r of rows) {
    const note = r.runner.notes[w.id];
    if (note) console.log(`  note: ${note}`);
  }
  roundTwoGoals(w, rows, (r, clock) => stats(r, clock).median, firstRun);
}

/** A ratio of two medians of the same run as text, or why it is missing. */
function ratioText(a: number | undefined, b: number | undefined, why: string): string {
  return a !== undefined && b !== undefined ? `${fmt(a / b)}x` : `n/a (${why})`;
}

/**
 * The performance issue's second round, from this run's medians (wall / cpu): W1 against brain.js (median and
 * first run), W2 against tfjs-wasm and PyTorch on 1 thread, W3's 2 threads over 1 and against PyTorch.
 */
function roundTwoGoals(
  w: Workload,
  rows: Row[],
  median: (r: Row, clock: Clock) => number,
  firstRun: (r: Row, clock: Clock) => number,
): void {
  const by = (name: string): Row | undefined => rows.find((r) => r.runner.name === name);
  const ours = rows.filter((r) => r.runner.name.startsWith('deltaflow'));
  const bestOf = (clock: Clock, rs: Row[]): number | undefined =>
    rs.length === 0
      ? undefined
      : (w.higherIsBetter ? Math.max : Math.min)(...rs.map((r) => median(r, clock)));
  const m = (name: string, clock: Clock): number | undefined => {
    const r = by(name);
    return r ? median(r, clock) : undefined;
  };
  const why = (name: string): string => missing.get(name) ?? `${name} not in this run`;
  const both = (f: (clock: Clock) => string): string => `wall ${f('wall')}, cpu ${f('cpu')}`;
  console.log(`  round 2 (issue 19), ratios of this run's medians:`);
  if (w.id === 'W1') {
    const brain = by('brain.js');
    const best = (clock: Clock) => bestOf(clock, ours);
    const q = (clock: Clock) => {
      const b = m('brain.js', clock);
      const d = best(clock);
      return d !== undefined && b !== undefined ? d / b : undefined;
    };
    console.log(
      `    best deltaflow / brain.js us/epoch: ${both((c) => ratioText(best(c), m('brain.js', c), why('brain.js')))} (goal <= 0.8x)${verdicts((c) => (q(c) !== undefined ? q(c)! <= 0.8 : undefined))}`,
    );
    const firstOurs = (clock: Clock) =>
      ours.length ? Math.min(...ours.map((r) => firstRun(r, clock))) : undefined;
    const firstText = (clock: Clock) =>
      `best deltaflow ${firstOurs(clock) !== undefined ? fmt(firstOurs(clock)!) : 'n/a'} vs brain.js ${brain ? fmt(firstRun(brain, clock)) : `n/a (${why('brain.js')})`}`;
    console.log(
      `    1st run (JIT cold) us/epoch: wall ${firstText('wall')}; cpu ${firstText('cpu')} (goal: no slower)${verdicts((c) => (brain && firstOurs(c) !== undefined ? firstOurs(c)! <= firstRun(brain, c) : undefined))}`,
    );
    return;
  }
  const best = (clock: Clock) => bestOf(clock, ours);
  const one = (clock: Clock) =>
    bestOf(
      clock,
      ours.filter((r) => !r.runner.name.endsWith('-2t')),
    );
  if (w.id === 'W2') {
    const tf = (c: Clock) => ratioText(best(c), m('tfjs-wasm', c), why('tfjs-wasm'));
    console.log(
      `    best deltaflow / tfjs-wasm: ${both(tf)} (goal >= 10x)${verdicts((c) => atLeast(best(c), m('tfjs-wasm', c), 10))}`,
    );
  }
  for (const t of ['1t', '2t'] as const) {
    const name = `pytorch-${t}`;
    const mine = t === '1t' ? one : best;
    const label = t === '1t' ? 'best deltaflow on 1 thread' : 'best deltaflow';
    const goal = w.id === 'W2' && t === '1t' ? 0.75 : undefined;
    console.log(
      `    ${label} / PyTorch ${t === '1t' ? '1 thread' : '2 threads'}: ${both((c) => ratioText(mine(c), m(name, c), why(name)))}` +
        (goal !== undefined
          ? ` (goal >= ${goal}x)${verdicts((c) => atLeast(mine(c), m(name, c), goal))}`
          : ''),
    );
  }
  if (w.id === 'W3') {
    const q = (c: Clock) =>
      ratioText(m('deltaflow-wasm-2t', c), m('deltaflow-wasm', c), why('deltaflow-wasm-2t'));
    console.log(
      `    deltaflow 2 threads / 1 thread: ${both(q)} (goal >= 1.8x)${verdicts((c) => atLeast(m('deltaflow-wasm-2t', c), m('deltaflow-wasm', c), 1.8))}`,
    );
    const p = (c: Clock) => ratioText(m('pytorch-2t', c), m('pytorch-1t', c), why('pytorch-2t'));
    console.log(`    PyTorch 2 threads / 1 thread: ${both(p)}`);
  }
}

/** How many JIT-cold runs per library and workload: 5 (1 with --quick). */
const coldRounds = (): number => (args.quick ? 1 : 5);

async function bench(): Promise<void> {
  header();
  const seconds = args.quick ? 0.35 : 1.5;
  for (const w of [W1, W2, W3].filter((x) => args.only.has(x.id))) {
    const firsts = await coldRuns(w.id, coldRounds());
    const list = await libraries(w.id);
    const rows: Row[] = [];
    for (const library of list) {
      const first = firsts.get(library.name) ?? [];
      // deltaflow always does the issue's full W1 and W2 (5,000 epochs; 3 epochs of 8,000 digits), and W3 too
      // except in --quick; the others get what takes about `seconds` (their rates do not depend on the amount).
      const full = library.fast && (w.id !== 'W3' || !args.quick);
      const fraction = full ? 1 : await library.calibrate(w.id, seconds);
      const warmRuns = await library.warmup(w.id, fraction, args.quick ? 0.5 : 2);
      rows.push({ runner: library, results: [], fraction, firsts: first, warmRuns });
    }
    for (let rep = 0; rep < args.repeats; rep++) {
      for (let k = 0; k < rows.length; k++) {
        const row = rows[(k + rep) % rows.length]!;
        row.results.push(await row.runner.run(w.id, row.fraction, rep === args.repeats - 1));
      }
    }
    for (const library of list) await library.stop();
    report(w, rows);
  }
  if (args.only.has('inference')) await inferenceBench(args.quick, args.repeats);
  if (args.only.has('events')) await eventsCost(args.quick ? 3 : args.repeats);
}

if (args.heap) await heapCheck(args.heapEpochs);
else if (args.kernels) await kernelBench(args.quick);
else if (args.data) await dataBench(args.quick);
else await bench();
