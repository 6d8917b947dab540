import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { stopwatch, threadCpuSeconds } from './runner.js';

/** A worker that spins for up to 5 s, started and running. */
async function spinningWorker(): Promise<Worker> {
  const worker = new Worker(
    'const t = Date.now(); let x = 0; while (Date.now() - t < 5000) x++; require("node:worker_threads").parentPort.postMessage(x);',
    { eval: true },
  );
  await new Promise((resolve) => worker.once('online', resolve));
  return worker;
}

/** Sleeps (this thread idle) until the process has used `seconds` more CPU seconds; returns what it used. */
function sleepUntilProcessUsed(seconds: number): number {
  const process0 = process.cpuUsage();
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  let used = 0;
  while (used < seconds) {
    Atomics.wait(sleep, 0, 0, 10);
    const p = process.cpuUsage(process0);
    used = (p.user + p.system) / 1e6;
  }
  return used;
}

describe("the stopwatch's CPU clock: the calling thread's own", () => {
  it('does not count another thread spinning meanwhile, which the process clock counts', async () => {
    expect(threadCpuSeconds()).not.toBeNull(); // Linux
    const worker = await spinningWorker();
    const stop = stopwatch();
    const used = sleepUntilProcessUsed(0.2);
    const { cpuSeconds } = stop();
    await worker.terminate();
    expect(cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(cpuSeconds).toBeLessThan(used / 2);
  });

  it("with clock 'process', counts another thread's work too (a library's helper thread)", async () => {
    const worker = await spinningWorker();
    const stop = stopwatch('process');
    sleepUntilProcessUsed(0.2);
    const { cpuSeconds } = stop();
    await worker.terminate();
    expect(cpuSeconds).toBeGreaterThan(0.15);
  });

  it("counts this thread's own work", () => {
    const stop = stopwatch();
    const t0 = process.cpuUsage();
    let x = 0;
    for (let used = 0; used < 0.05;) {
      for (let i = 0; i < 1e5; i++) x += i;
      const p = process.cpuUsage(t0);
      used = (p.user + p.system) / 1e6;
    }
    const { cpuSeconds } = stop();
    expect(x).toBeGreaterThan(0);
    expect(cpuSeconds).toBeGreaterThan(0.025);
  });
});
