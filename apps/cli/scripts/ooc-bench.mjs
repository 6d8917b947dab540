// Out-of-core training benchmark (issue 20, "Must show 1"): a generated, seeded CSV of about 2 GB (20 features
// and a learnable 0/1 target) trains for one epoch through the CLI, with `--memory-budget 300` (out-of-core, from
// the binary cache beside the CSV) and without it (in memory, where memory allows), each in its own process
// under /usr/bin/time -v for the peak RSS. The loss falling: the test rows' loss of the initial model (a run of
// 0 epochs, the same seed, split and weights) against the test loss after the epoch and the epoch's mean loss.
// A benchmark, not a test: it prints numbers, it asserts nothing but that the runs succeed.
//
//   npx nx run @deltaflow/cli:build
//   node apps/cli/scripts/ooc-bench.mjs [MB=2000] [--keep] [--no-memory]
//
// The CSV and its cache go to /tmp (about MB + MB/2 megabytes) and are deleted at the end unless --keep.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeLearnableCsv } from '../../../packages/data/scripts/make-learnable-csv.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'bin', 'deltaflow.js');
const args = process.argv.slice(2);
const megabytes = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
const keep = args.includes('--keep');
const csv = `/tmp/deltaflow-ooc-${megabytes}mb.csv`;
const cache = `${csv}.dfcache`;

const common = [
  'train',
  '--data',
  csv,
  '--layers',
  '16',
  '--activation',
  'relu',
  '--loss',
  'binary-cross-entropy',
  '--optimizer',
  'adam',
  '--lr',
  '0.01',
  '--batch-size',
  '256',
  '--normalize',
  '--test-split',
  '0.01',
  '--seed',
  '42',
  '--json',
];

/** Runs the CLI under /usr/bin/time -v; returns its JSON line, peak RSS (MB), wall seconds and stderr. */
function run(label, extra) {
  const argv = [...common, ...extra];
  console.error(`# ${label}: deltaflow ${argv.join(' ')}`);
  const start = performance.now();
  const child = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - start) / 1000;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1] ?? NaN) / 1024;
  const lines = child.stdout.trim().split('\n');
  if (child.status !== 0) {
    console.error(child.stderr);
    throw new Error(`${label}: exit ${child.status}`);
  }
  const notices = child.stderr.split('\n').filter((l) => l.startsWith('deltaflow:'));
  return {
    label,
    result: JSON.parse(lines.at(-1)),
    rssMB: Math.round(rss),
    seconds: +seconds.toFixed(1),
    notices,
  };
}

if (!existsSync(csv)) {
  console.error(`# writing ${csv} (${megabytes} MB, seeded)`);
  await makeLearnableCsv(csv, megabytes, 42);
}
rmSync(cache, { force: true });
const size = statSync(csv).size;
const report = { csvBytes: size, runs: [] };
try {
  const build = run('out-of-core, 1 epoch (builds the cache)', ['--memory-budget', '300', '--epochs', '1']);
  const again = run('out-of-core, 1 epoch (cache up to date)', ['--memory-budget', '300', '--epochs', '1']);
  const start = run('out-of-core, 0 epochs (the initial model on the test rows)', [
    '--memory-budget',
    '300',
    '--epochs',
    '0',
  ]);
  report.runs.push(build, again, start);
  if (!args.includes('--no-memory'))
    report.runs.push(run('in memory (no --memory-budget), 1 epoch', ['--epochs', '1']));
  report.lossFalls = {
    initialTestLoss: start.result.test.loss,
    epochMeanLoss: build.result.loss,
    testLossAfterEpoch: build.result.test.loss,
    falls: build.result.test.loss < start.result.test.loss && build.result.loss < start.result.test.loss,
  };
  report.sameResultTwice =
    build.result.loss === again.result.loss && build.result.test.loss === again.result.test.loss;
  report.cacheBytes = statSync(cache).size;
} finally {
  if (!keep) {
    rmSync(csv, { force: true });
    rmSync(cache, { force: true });
  }
}
for (const r of report.runs) {
  console.log(
    `${r.label}: peak RSS ${r.rssMB} MB, wall ${r.seconds} s, training ${(r.result.trainingMs / 1000).toFixed(1)} s, ` +
      `${r.result.samplesPerSecond} samples/s, loss ${r.result.loss}, test loss ${r.result.test?.loss}`,
  );
}
console.log(JSON.stringify(report, null, 2));
