/**
 * One measurement of `npm run bench -- --data`, alone in its own process so that its peak RSS is its own:
 *
 *   node tools/bench/dist/data-child.js ingest FILE        readCsvStream of FILE
 *   node tools/bench/dist/data-child.js memory FILE        one epoch of train() on FILE read into memory
 *   node tools/bench/dist/data-child.js out-of-core FILE   one epoch of train() from FILE's binary cache
 *
 * Prints one JSON line: wall and CPU seconds, rows, samples/s (training), peak RSS in MB.
 */
import { openCsvCache, readCsvStream } from '@deltaflow/data/node';
import { mlp } from '@deltaflow/network';
import { train } from '@deltaflow/trainer';
import type { DataSource, TrainingData } from '@deltaflow/trainer';

const [mode, file] = process.argv.slice(2) as [string, string];

/** The peak RSS of this process so far, in MB (getrusage's ru_maxrss). */
const peakRssMB = (): number => process.resourceUsage().maxRSS / 1024;

function epochOn(data: TrainingData | DataSource): Promise<{ samplesPerSecond: number; loss: number }> {
  const model = mlp({ inputs: 20, layers: [{ units: 16, activation: 'relu' }, { units: 1 }], seed: 42 });
  return new Promise((resolvePromise, reject) => {
    train(model, data, {
      epochs: 1,
      batchSize: 256,
      optimizer: 'adam',
      lr: 0.01,
      loss: 'binary-cross-entropy',
    }).subscribe({
      next: (e) => {
        if (e.type === 'epoch') resolvePromise({ samplesPerSecond: e.samplesPerSecond, loss: e.loss });
      },
      error: reject,
    });
  });
}

const start = performance.now();
const cpu = process.cpuUsage();
let result: Record<string, number> = {};
if (mode === 'ingest') {
  const ds = await readCsvStream(file);
  result = { rows: ds.inputs.rows };
} else if (mode === 'memory') {
  const ds = await readCsvStream(file);
  result = { rows: ds.inputs.rows, ...(await epochOn(ds)) };
} else if (mode === 'out-of-core') {
  const cache = openCsvCache(file, { cachePath: `${file}.bench.dfcache` });
  result = { rows: cache.rows, ...(await epochOn(cache.source('train', { seed: 42, window: 16 }))) };
  cache.close();
} else {
  throw new Error(`data-child: unknown mode ${mode}`);
}
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    mode,
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMB: peakRssMB(),
    ...result,
  }),
);
