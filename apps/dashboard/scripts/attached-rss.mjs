// Benchmark (not a test): the resident memory (RSS) of `deltaflow train --dashboard` over a long attached run
// with a page connected, as issue 14 asks ("Must show" 2). Starts the BUILT CLI (apps/cli) with
// `--dashboard --dashboard-wait`, connects the shared headless chromium (@deltaflow/test-browser) to the page it
// prints, so training starts with a page watching, and samples the CLI process's RSS (VmRSS of /proc/PID/status,
// Linux) and the page's epoch counter every --every ms. Reports the RSS at the --from epoch mark, its lowest and
// highest value from there to the end, at the end, the peak over the whole process (VmHWM), and whether the
// highest stayed under --bound MB. Then opens a second page on the finished run (the catch-up) and stops the CLI
// with Ctrl-C (SIGINT).
//
//   npx nx run-many -t build -p @deltaflow/cli @deltaflow/dashboard
//   node apps/dashboard/scripts/attached-rss.mjs                       # xor, 5,000,000 epochs, from 500,000
//   node apps/dashboard/scripts/attached-rss.mjs --epochs 1000000 --from 100000 --data circle --every 2000
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '@deltaflow/test-browser';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5000000' },
    from: { type: 'string', default: '500000' },
    data: { type: 'string', default: 'xor' },
    every: { type: 'string', default: '1000' },
    bound: { type: 'string', default: '300' },
  },
});
const epochs = Number(values.epochs);
const from = Number(values.from);
const every = Number(values.every);
const bound = Number(values.bound);
const bin = fileURLToPath(new URL('../../cli/bin/deltaflow.js', import.meta.url));

/** A field of /proc/PID/status in MiB (VmRSS: resident now, VmHWM: the peak so far). */
function memory(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

const mib = (n) => `${n.toFixed(1)} MiB`;
const dir = mkdtempSync(join(tmpdir(), 'deltaflow-rss-'));
const args = ['train', '--data', values.data, '--epochs', String(epochs), '--quiet'];
const child = spawn(process.execPath, [bin, ...args, '--dashboard', '--dashboard-wait'], { cwd: dir });
let stderr = '';
const url = await new Promise((resolve, reject) => {
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
    const found = /dashboard: (http:\/\/\S+)/.exec(stderr)?.[1];
    if (found) resolve(found);
  });
  child.on('close', (code) => reject(new Error(`the CLI exited (${code}): ${stderr}`)));
});
const ended = new Promise((resolve) => {
  const check = () => /the run has ended/.test(stderr) && resolve();
  child.stderr.on('data', check);
  check();
});

console.log(`deltaflow ${args.join(' ')} --dashboard --dashboard-wait (pid ${child.pid})`);
console.log(`RSS before a page connects: ${mib(memory(child.pid, 'VmRSS'))}`);
const browser = await launchBrowser();
const page = await browser.context.newPage();
await page.goto(url);
const epochOf = async () => Number(await page.textContent('#epoch'));

const started = performance.now();
const samples = [];
let done = false;
void ended.then(() => (done = true));
let nextReport = 0;
console.log('\n    epoch   seconds   RSS (MiB)');
while (!done) {
  await new Promise((resolve) => setTimeout(resolve, every));
  const sample = {
    epoch: await epochOf(),
    seconds: (performance.now() - started) / 1000,
    rss: memory(child.pid, 'VmRSS'),
  };
  samples.push(sample);
  if (sample.epoch >= nextReport) {
    console.log(
      `${sample.epoch.toLocaleString('en').padStart(9)}  ${sample.seconds.toFixed(1).padStart(8)}   ${sample.rss.toFixed(1).padStart(9)}`,
    );
    nextReport = sample.epoch + epochs / 20;
  }
}
const seconds = (performance.now() - started) / 1000;
const atEnd = memory(child.pid, 'VmRSS');
const peak = memory(child.pid, 'VmHWM');
const tail = samples.filter((s) => s.epoch >= from);
const rssTail = [...tail.map((s) => s.rss), atEnd];
const atFrom = tail[0];

// A page opened on the finished run: the catch-up (the bounded history).
const late = await browser.context.newPage();
const lateStart = performance.now();
await late.goto(url);
await late.waitForSelector('#state[data-state="ended"]', { timeout: 120_000 });
const lateMs = performance.now() - lateStart;
const lateEpoch = Number(await late.textContent('#epoch'));
const afterLate = memory(child.pid, 'VmRSS');

console.log(`\nrun: ${epochs.toLocaleString('en')} ${values.data} epochs in ${seconds.toFixed(1)} s`);
console.log(
  `RSS at the ${from.toLocaleString('en')}-epoch mark: ${atFrom ? mib(atFrom.rss) : 'not sampled'}`,
);
console.log(
  `RSS from there to the end: lowest ${mib(Math.min(...rssTail))}, highest ${mib(Math.max(...rssTail))}`,
);
console.log(`RSS at the end: ${mib(atEnd)}; peak of the whole process (VmHWM): ${mib(peak)}`);
console.log(
  `late page: showed the finished run (epoch ${lateEpoch.toLocaleString('en')}) ${lateMs.toFixed(0)} ms after opening; RSS then ${mib(afterLate)}`,
);
const ok = Math.max(...rssTail) < bound;
console.log(`highest RSS from the mark on ${ok ? 'stays under' : 'EXCEEDS'} the ${bound} MiB bound`);

await browser.close();
child.kill('SIGINT');
const code = await new Promise((resolve) =>
  child.exitCode !== null ? resolve(child.exitCode) : child.on('close', resolve),
);
console.log(`CLI exit code after Ctrl-C: ${code}`);
rmSync(dir, { recursive: true, force: true });
process.exitCode = ok ? 0 : 1;
