import { runTrain, trainOptions } from './runners/deltaflow.js';
import { train } from '@deltaflow/trainer';
import { fmt, table } from './stats.js';
import { W1, asTensors, deltaflowModel, xorData } from './workloads.js';

const MB = 1024 * 1024;

/**
 * Trains XOR 2-4-1 for `epochs` epochs with events on (an idle subscriber) and samples the heap after a full
 * garbage collection every `epochs / 10` epochs. Needs `node --expose-gc` (the bench script passes it).
 */
export async function heapCheck(epochs: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    console.error('bench --heap needs node --expose-gc (npm run bench -- --heap passes it).');
    process.exit(2);
  }
  // Warm up the JIT so its own allocations are not counted as growth.
  await runTrain(deltaflowModel(W1), xorData(), trainOptions(W1, 20_000, 4));
  const every = Math.max(1, Math.floor(epochs / 10));
  const samples: { epoch: number; heapMB: number; rssMB: number; ms: number }[] = [];
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    train(deltaflowModel(W1), asTensors(xorData()), trainOptions(W1, epochs, 4)).subscribe({
      next: (e) => {
        if (e.type !== 'epoch' || (e.epoch % every !== 0 && e.epoch !== 1)) return;
        gc();
        const m = process.memoryUsage();
        samples.push({
          epoch: e.epoch,
          heapMB: m.heapUsed / MB,
          rssMB: m.rss / MB,
          ms: performance.now() - t0,
        });
      },
      error: reject,
      complete: resolve,
    });
  });
  const base = samples[1] ?? samples[0]!;
  console.log(`heap: XOR 2-4-1, ${epochs.toLocaleString('en-US')} epochs, events on, heapUsed after gc()`);
  console.log(
    table([
      ['epoch', 'heapUsed MB', 'vs ' + base.epoch.toLocaleString('en-US'), 'rss MB', 'seconds'],
      ...samples.map((s) => [
        s.epoch.toLocaleString('en-US'),
        s.heapMB.toFixed(2),
        (s.heapMB - base.heapMB >= 0 ? '+' : '') + (s.heapMB - base.heapMB).toFixed(2),
        s.rssMB.toFixed(1),
        fmt(s.ms / 1000),
      ]),
    ]),
  );
  const after = samples.slice(1).map((s) => s.heapMB);
  const range = Math.max(...after) - Math.min(...after);
  console.log(
    `heap range over the run: ${range.toFixed(2)} MB -> ${range <= 3 ? 'flat (within 3 MB)' : 'NOT flat'}`,
  );
}
