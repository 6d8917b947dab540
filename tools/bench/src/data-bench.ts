/**
 * `npm run bench -- --data`: the cost of data (issue 20). CSV ingestion (readCsvStream) in MB/s and peak RSS at
 * 10 MB, 100 MB and 1 GB of generated, seeded CSV (20 features and a 0/1 target; `--quick`: 10 and 100 MB),
 * beside numpy.loadtxt when /usr/bin/python3 has numpy; then one epoch of training on the 100 MB file, in memory
 * and out-of-core (from the binary cache, built before the timed epoch), in samples/s. Every measurement runs in
 * its own process (data-child.ts), so that its peak RSS is its own. The files go to the temporary directory and
 * are deleted at the end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, table } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const generator = join(root, 'packages', 'data', 'scripts', 'make-learnable-csv.mjs');
const child = join(here, 'data-child.js');

interface Measure {
  seconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  rows?: number;
  samplesPerSecond?: number;
  loss?: number;
}

function runChild(mode: string, file: string): Measure {
  const out = spawnSync(process.execPath, [child, mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`data-child ${mode} ${file}: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Measure;
}

const NUMPY = `
import resource, sys, time
import numpy
start = time.perf_counter(); cpu = time.process_time()
a = numpy.loadtxt(sys.argv[1], delimiter=',', skiprows=1, dtype=numpy.float32)
print(time.perf_counter() - start, time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, a.shape[0])
`;

function numpyAvailable(): string | null {
  if (!existsSync('/usr/bin/python3')) return null;
  const out = spawnSync('/usr/bin/python3', ['-c', 'import numpy; print(numpy.__version__)'], {
    encoding: 'utf8',
  });
  return out.status === 0 ? out.stdout.trim() : null;
}

function runNumpy(file: string): Measure {
  const out = spawnSync('/usr/bin/python3', ['-c', NUMPY, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`numpy.loadtxt ${file}: ${out.stderr}`);
  const [seconds, cpuSeconds, peakRssMB, rows] = out.stdout.trim().split(/\s+/).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return { seconds, cpuSeconds, peakRssMB, rows };
}

/** Runs the data benchmark and prints its tables. */
export async function dataBench(quick: boolean): Promise<void> {
  const sizes = quick ? [10, 100] : [10, 100, 1000];
  const numpy = numpyAvailable();
  console.log(
    `\ndata: CSV ingestion (readCsvStream, each run in its own process) and out-of-core training; numpy ${numpy ?? 'not available (no numpy for /usr/bin/python3)'}`,
  );
  const files: string[] = [];
  const lines: string[][] = [['CSV', 'rows', 'reader', 'MB/s wall', 'MB/s cpu', 'peak RSS MB', 'RSS / file']];
  try {
    for (const mb of sizes) {
      const file = join(tmpdir(), `deltaflow-bench-data-${mb}mb.csv`);
      files.push(file, `${file}.bench.dfcache`);
      if (!existsSync(file))
        spawnSync(process.execPath, [generator, file, String(mb), '42'], { stdio: 'ignore' });
      const bytes = statSync(file).size;
      const size = bytes / 1e6;
      const rows: [string, Measure][] = [['readCsvStream', runChild('ingest', file)]];
      if (numpy) rows.push(['numpy.loadtxt', runNumpy(file)]);
      for (const [name, m] of rows) {
        lines.push([
          `${fmt(size)} MB`,
          (m.rows ?? 0).toLocaleString('en-US'),
          name,
          fmt(size / m.seconds),
          fmt(size / m.cpuSeconds),
          fmt(m.peakRssMB),
          `${fmt(m.peakRssMB / size)}x`,
        ]);
      }
    }
    console.log(table(lines));

    // training, one epoch on the 100 MB file: in memory, and out-of-core from its cache (built by a first run)
    const file = join(tmpdir(), 'deltaflow-bench-data-100mb.csv');
    runChild('out-of-core', file); // builds the cache
    const memory = runChild('memory', file);
    const outOfCore = runChild('out-of-core', file);
    const train: string[][] = [
      ['one epoch, 100 MB CSV', 'samples/s', 'loss', 'peak RSS MB', 'process wall s'],
    ];
    for (const [name, m] of [
      ['in memory (readCsvStream, then train)', memory],
      ['out-of-core (binary cache, window 16 groups)', outOfCore],
    ] as const) {
      train.push([
        name,
        Math.round(m.samplesPerSecond ?? 0).toLocaleString('en-US'),
        fmt(m.loss ?? NaN),
        fmt(m.peakRssMB),
        fmt(m.seconds),
      ]);
    }
    console.log(table(train));
    console.log(
      `  (20-16-1 relu/sigmoid MLP, adam, batch 256; samples/s counts the training loop, out-of-core with its disk reads; 'out-of-core / in memory' = ${fmt((outOfCore.samplesPerSecond ?? 0) / (memory.samplesPerSecond ?? 1))}x)`,
    );
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}
