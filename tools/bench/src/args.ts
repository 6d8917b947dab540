/** Command-line options of the bench. */
export interface BenchArgs {
  /** The one-minute check: fewer repeats and smaller competitor budgets. */
  quick: boolean;
  /** Run the 1,000,000-epoch heap check instead of the benchmarks. */
  heap: boolean;
  /** Epochs of the heap check (default 1,000,000). */
  heapEpochs: number;
  /** Measure gemm kernels alone (per backend, every transpose variant) instead of the workloads. */
  kernels: boolean;
  /** Workloads to run (W1, W2, W3, inference, events); default all. */
  only: Set<string>;
  /** Libraries to leave out (e.g. brain.js). */
  skip: Set<string>;
  /** Timed repeats per library and workload. */
  repeats: number;
  /** The data benchmark instead: CSV ingestion and out-of-core training (data-bench.ts). */
  data: boolean;
}

/** Parses `--quick`, `--heap[=EPOCHS]`, `--kernels`, `--only=W1,W3`, `--skip=brain.js`, `--repeats=N`. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    quick: false,
    heap: false,
    heapEpochs: 1_000_000,
    kernels: false,
    only: new Set(['W1', 'W2', 'W3', 'inference', 'events']),
    skip: new Set(),
    repeats: 0,
    data: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.split('=', 2) as [string, string | undefined];
    if (key === '--quick') args.quick = true;
    else if (key === '--heap') {
      args.heap = true;
      if (value) args.heapEpochs = Number(value);
    } else if (key === '--kernels') args.kernels = true;
    else if (key === '--data') args.data = true;
    else if (key === '--only' && value) args.only = new Set(value.split(','));
    else if (key === '--skip' && value) args.skip = new Set(value.split(','));
    else if (key === '--repeats' && value) args.repeats = Number(value);
    else if (key === '--help' || key === '-h') {
      console.log(
        'npm run bench -- [--quick] [--only=W1,W2,W3,inference,events] [--skip=tfjs-cpu,tfjs-wasm,brain.js] [--repeats=N] [--kernels] [--heap[=EPOCHS]] [--data]',
      );
      process.exit(0);
    } else {
      console.error(`bench: unknown option ${arg} (try --help)`);
      process.exit(2);
    }
  }
  if (args.repeats <= 0) args.repeats = args.quick ? 3 : 7;
  return args;
}
