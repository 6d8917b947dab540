// CSV ingestion benchmark of @deltaflow/data: MB/s and peak RSS of reading a generated, seeded CSV file.
//
//   node packages/data/scripts/csv-bench.mjs make FILE MB        write FILE: 20 features and a 0/1 target, ~MB MB
//   node packages/data/scripts/csv-bench.mjs run FILE MODE [DIST] read FILE once in this process and print one
//                                                               JSON line: MB/s, rows, peak RSS (MODE below)
//   node packages/data/scripts/csv-bench.mjs FILE [DIST]          every mode, each in its own process
//
// Modes: `string` (readFileSync + parseCsv, how the CLI read files before streaming), `readCsv` (the Node entry,
// a path), `stream` (readCsvStream of a path). DIST is the built package's dist directory (default
// packages/data/dist), so an older build can be measured beside the current one. Build first:
// `npx nx run @deltaflow/data:build`.
import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const defaultDist = join(here, '..', 'dist');

async function make(file, megabytes) {
  let seed = 42;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const out = createWriteStream(file);
  const header = `${Array.from({ length: 20 }, (_, j) => `x${j}`).join(',')},y\n`;
  out.write(header);
  let bytes = header.length;
  const target = megabytes * 1e6;
  while (bytes < target) {
    let block = '';
    for (let i = 0; i < 1000; i++) {
      const row = Array.from({ length: 20 }, () => (random() * 20 - 10).toFixed(4));
      block += `${row.join(',')},${random() < 0.5 ? 0 : 1}\n`;
    }
    bytes += block.length;
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

async function run(file, mode, dist) {
  const data = await import(pathToFileURL(join(dist, 'index.js')).href);
  const node = await import(pathToFileURL(join(dist, 'node.js')).href);
  const size = statSync(file).size;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let ds;
  if (mode === 'string') ds = data.parseCsv(readFileSync(file, 'utf8'), { file });
  else if (mode === 'readCsv') ds = node.readCsv(file);
  else if (mode === 'stream') ds = await node.readCsvStream(file);
  else throw new Error(`unknown mode ${mode}`);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time of the process (all its threads): steadier than wall time on a shared machine
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const parsed = ds.inputs.data.byteLength + ds.targets.data.byteLength;
  console.log(
    JSON.stringify({
      mode,
      fileMB: +(size / 1e6).toFixed(1),
      rows: ds.inputs.rows,
      seconds: +seconds.toFixed(3),
      MBps: +(size / 1e6 / seconds).toFixed(1),
      cpuSeconds: +cpuSeconds.toFixed(3),
      MBperCpuSecond: +(size / 1e6 / cpuSeconds).toFixed(1),
      parsedMB: +(parsed / 1e6).toFixed(1),
      // sampled every 5 ms while parsing (a sync parse is sampled once at the end; /usr/bin/time -v is exact)
      peakRssMB: +(peak / 1e6).toFixed(1),
    }),
  );
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'make') await make(rest[0], Number(rest[1] ?? 100));
else if (command === 'run') await run(rest[0], rest[1], resolve(rest[2] ?? defaultDist));
else {
  // Every mode of every build, interleaved, ROUNDS times (the machine may be shared): the best time and the
  // largest peak RSS of each.
  const dists = rest.length > 0 ? rest.map((d) => resolve(d)) : [defaultDist];
  const rounds = Number(process.env.ROUNDS ?? 3);
  const best = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const dist of dists) {
      for (const mode of ['string', 'readCsv', 'stream']) {
        const child = spawnSync(
          '/usr/bin/time',
          ['-f', 'maxrss %M', process.execPath, fileURLToPath(import.meta.url), 'run', command, mode, dist],
          { encoding: 'utf8' },
        );
        const maxRss = /maxrss (\d+)/.exec(child.stderr ?? '');
        const key = `${dist} ${mode}`;
        if (child.status === 0 && maxRss) {
          const line = {
            dist,
            ...JSON.parse(child.stdout.trim()),
            maxRssMB: +(Number(maxRss[1]) / 1e3).toFixed(1),
          };
          const old = best.get(key);
          if (!old || old.error || line.seconds < old.seconds)
            best.set(key, { ...line, maxRssMB: Math.max(line.maxRssMB, old?.maxRssMB ?? 0) });
        } else {
          const error = (child.stderr ?? '').trim().split('\n').slice(-4).join(' ');
          best.set(key, { dist, mode, error });
        }
      }
    }
  }
  for (const line of best.values()) console.log(JSON.stringify(line));
}
