// Benchmark (not a test): how long the dashboard server's event loop is blocked when a page connects to a long
// run (issue 14, item 2: "a page that connects to 1M stored epochs stalls the server's event loop for 629 ms").
// Feeds the BUILT server (dist/node) a synthetic run of --epochs epochs (start, then forward, backward and epoch
// events per epoch, then end), connects a WebSocket page, and reports the longest event-loop delay
// (perf_hooks.monitorEventLoopDelay) from the connection until the page has the end event, with the bytes and
// epoch rows the page received.
//
//   npx nx build @deltaflow/dashboard && node apps/dashboard/scripts/catch-up-stall.mjs --epochs 1000000
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Subject } from 'rxjs';
import { startDashboardServer } from '../dist/node/server/index.js';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '1000000' } } });
const epochs = Number(values.epochs);
const events$ = new Subject();
const server = await startDashboardServer({
  events$,
  pageDir: new URL('../dist/page', import.meta.url).pathname,
});
const layers = [0, 1, 2].map(() => ({
  meanAbsDelta: 0.1,
  maxAbsDelta: 0.2,
  gradNorm: 0.3,
  weightNorm: 1,
  updateRatio: 0.01,
}));
events$.next({ type: 'start', config: {}, model: { inputs: 2, layers: [] } });
for (let n = 1; n <= epochs; n++) {
  events$.next({ type: 'forward', epoch: n, loss: 1 / n, metrics: { accuracy: 0.5 } });
  events$.next({ type: 'backward', epoch: n, layers });
  events$.next({
    type: 'epoch',
    epoch: n,
    loss: 1 / n,
    metrics: { accuracy: 0.5 },
    elapsedMs: n,
    samplesPerSecond: 1000,
    lr: 0.5,
  });
  if (n % 100_000 === 0) await new Promise((resolve) => setImmediate(resolve));
}
events$.next({ type: 'end', reason: 'completed', epochs, model: {} });
await new Promise((resolve) => setTimeout(resolve, 200));

const delay = monitorEventLoopDelay({ resolution: 5 });
const started = performance.now();
delay.enable();
// The page is a WebSocket client in a worker thread: its parsing does not count against this event loop.
const page = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  const { WebSocket } = require(workerData.ws);
  const ws = new WebSocket(workerData.url, { origin: workerData.origin });
  let bytes = 0;
  let rows = 0;
  ws.on('message', (data) => {
    bytes += data.length;
    const message = JSON.parse(String(data));
    if (message.type === 'epochs') rows += message.epoch.length;
    if (message.type === 'events' && message.events.some((e) => e.type === 'end')) {
      parentPort.postMessage({ bytes, rows });
      ws.close();
    }
  });
`,
  {
    eval: true,
    workerData: {
      ws: createRequire(import.meta.url).resolve('ws'),
      url: `ws://127.0.0.1:${server.port}/ws`,
      origin: `http://127.0.0.1:${server.port}`,
    },
  },
);
const { bytes, rows } = await new Promise((resolve) => page.once('message', resolve));
delay.disable();
const ms = performance.now() - started;
console.log(`run of ${epochs.toLocaleString('en')} epochs; a page connects:`);
console.log(
  `  catch-up: ${(bytes / 1024).toFixed(0)} KiB, ${rows.toLocaleString('en')} epoch rows, end received after ${ms.toFixed(0)} ms`,
);
console.log(
  `  longest event-loop delay meanwhile: ${(delay.max / 1e6).toFixed(1)} ms (mean ${(delay.mean / 1e6).toFixed(1)} ms)`,
);
console.log(`  heap used: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
await page.terminate();
await server.close();
