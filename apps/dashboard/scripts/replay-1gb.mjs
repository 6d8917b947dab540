#!/usr/bin/env node
// Replays a 1 GiB recording with the real CLI and measures it: how long `deltaflow dashboard --replay` takes to
// read and check the file, how long until a page (chromium, from @deltaflow/test-browser) has the whole run
// at its last epoch, and the CLI's peak resident memory (VmHWM of /proc/PID/status, Linux).
//
// The recording is a real run: xor trained with @deltaflow/trainer and written by recordJsonl, for as many
// epochs as make the file reach the size asked (a model checkpoint every 1/200 of the run). A file already
// there of at least that size is reused.
//
// Usage (after `npx nx run-many -t build`), from the repository root:
//   node apps/dashboard/scripts/replay-1gb.mjs [--file /tmp/deltaflow-replay-1gb.jsonl] [--mib 1024] [--generate-only]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { parseArgs } from 'node:util';
import { xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { train } from '@deltaflow/trainer';
import { recordJsonl } from '@deltaflow/trainer/node';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a measurement script drives the shared chromium, as the tests do
import { launchBrowser } from '@deltaflow/test-browser';
import { lastValueFrom } from 'rxjs';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '/tmp/deltaflow-replay-1gb.jsonl' },
    mib: { type: 'string', default: '1024' },
    'generate-only': { type: 'boolean', default: false },
  },
});
const file = values.file;
const target = Number(values.mib) * 1024 * 1024;
const cli = fileURLToPath(new URL('../../cli/bin/deltaflow.js', import.meta.url));
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const record = (path, epochs) =>
  lastValueFrom(
    train(mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 }), xor(), {
      epochs,
      lr: 0.5,
      batchSize: 4,
      checkpointEvery: Math.max(1, Math.round(epochs / 200)),
    }).pipe(recordJsonl(path)),
  );

if (!existsSync(file) || statSync(file).size < target) {
  const probe = `${file}.probe`;
  await record(probe, 2000);
  const perEpoch = statSync(probe).size / 2000;
  unlinkSync(probe);
  // Later epochs take a few bytes less than the first 2000 (shorter numbers): aim 10% over.
  const epochs = Math.ceil((target / perEpoch) * 1.1);
  console.log(`recording ${epochs} xor epochs (${perEpoch.toFixed(0)} bytes an epoch) to ${file} ...`);
  const started = performance.now();
  await record(file, epochs);
  console.log(`recorded ${mib(statSync(file).size)} in ${seconds(performance.now() - started)}`);
}
const size = statSync(file).size;
if (values['generate-only']) process.exit(0);

// The replay: the CLI reads and checks the whole file, then serves it.
const started = performance.now();
const child = spawn(process.execPath, [cli, 'dashboard', '--replay', file], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
let peak = 0;
const vmHWM = () => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    if (kb) peak = Math.max(peak, Number(kb) * 1024);
  } catch {
    // the process has gone
  }
};
const poll = setInterval(vmHWM, 100);
/** CPU seconds (user + system) the CLI has used: fields 14 and 15 of /proc/PID/stat, in clock ticks (100 a second). */
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const url = await new Promise((resolve, reject) => {
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    const match = /dashboard: (http:\/\/\S+)/.exec(stderr);
    if (match) resolve(match[1]);
  });
  child.on('exit', (code) => reject(new Error(`the CLI exited with ${code}: ${stderr}`)));
});
const served = performance.now();
console.log(
  `dashboard --replay read and checked ${mib(size)} and served it after ${seconds(served - started)} ` +
    `(${cpuSeconds().toFixed(1)} s of CPU; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]} on ${availableParallelism()} cores)`,
);

const browser = await launchBrowser();
const page = await browser.context.newPage();
await page.goto(url);
// Playback as fast as possible: the page jumps to the end of the recording.
await page.waitForSelector('#replay-speed', { timeout: 120_000 });
await page.selectOption('#replay-speed', 'max');
await page.waitForSelector('#state[data-state="ended"]', { timeout: 120_000 });
const shown = performance.now();
const epoch = Number(await page.textContent('#epoch'));
// The charts draw on later animation frames: read their points once they have settled.
let points = null;
for (let same = 0; same < 5;) {
  await page.waitForTimeout(200);
  const now = await page.getAttribute('#delta-chart', 'data-points');
  same = now === points ? same + 1 : 0;
  points = now;
}
console.log(
  `the page showed the whole run (epoch ${epoch}, ${points} gradient points) ${seconds(shown - served)} after that`,
);
await browser.close();
vmHWM();
clearInterval(poll);
child.kill('SIGINT');
const code = await new Promise((resolve) => child.on('exit', resolve));
console.log(`CLI peak RSS (VmHWM): ${mib(peak)}; exit code after Ctrl-C: ${code}`);
console.log(`warnings and messages of the CLI: ${JSON.stringify(stderr.trim())}`);
