// Writes a seeded CSV of about MB megabytes: 20 features x0..x19 uniform in [-10, 10) with 4 decimals, and a 0/1
// target y that a model can learn: y = 1 when w . x + noise > 0, with fixed weights w_j = (j % 5) - 2 + 0.5 and
// noise uniform in [-10, 10). Used by ooc-bench.mjs (issue 20's "2 GB CSV trains for one epoch") and by
// tools/bench's `--data` workload.
//
//   node packages/data/scripts/make-learnable-csv.mjs FILE MB [SEED]
import { createWriteStream } from 'node:fs';

/** Writes the file; resolves with its rows. */
export async function makeLearnableCsv(file, megabytes, seed = 42) {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: fast, seeded, the same on every machine
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const weights = Array.from({ length: 20 }, (_, j) => (j % 5) - 2 + 0.5);
  const out = createWriteStream(file);
  const header = `${Array.from({ length: 20 }, (_, j) => `x${j}`).join(',')},y\n`;
  out.write(header);
  let bytes = header.length;
  let rows = 0;
  const target = megabytes * 1e6;
  while (bytes < target) {
    let block = '';
    for (let i = 0; i < 2000; i++) {
      let sum = (random() - 0.5) * 20;
      let line = '';
      for (let j = 0; j < 20; j++) {
        const x = Math.round((random() * 20 - 10) * 1e4) / 1e4;
        sum += weights[j] * x;
        line += `${x},`;
      }
      block += `${line}${sum > 0 ? 1 : 0}\n`;
    }
    rows += 2000;
    bytes += block.length;
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return rows;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [file, mb, seed] = process.argv.slice(2);
  if (!file || !mb) {
    console.error('usage: node make-learnable-csv.mjs FILE MB [SEED]');
    process.exit(2);
  }
  const rows = await makeLearnableCsv(file, Number(mb), seed ? Number(seed) : 42);
  console.log(JSON.stringify({ file, rows }));
}
