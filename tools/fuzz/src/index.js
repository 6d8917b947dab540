// The one place the property-based tests read FUZZ_RUNS and FUZZ_SEED (plain JavaScript: no build needed).

/** The seed of `npm test`: fixed, so a failure is the same on every machine. */
export const DEFAULT_SEED = 17;

let chosen;

/** Whether a long run was asked for (FUZZ_RUNS set): `npm run fuzz`. */
export const fuzzing = process.env.FUZZ_RUNS !== undefined && process.env.FUZZ_RUNS !== '';

/** The number of runs: FUZZ_RUNS when set (a whole number of at least 1), else `runs`. */
export function fuzzRuns(runs) {
  const text = process.env.FUZZ_RUNS;
  if (text === undefined || text === '') return runs;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`FUZZ_RUNS must be a whole number of at least 1, got '${text}'.`);
  return n;
}

/** The seed: FUZZ_SEED (a whole number, or `random` for a fresh one, printed once), else {@link DEFAULT_SEED}. */
export function fuzzSeed() {
  if (chosen !== undefined) return chosen;
  const text = process.env.FUZZ_SEED;
  if (text === undefined || text === '') chosen = DEFAULT_SEED;
  else if (text === 'random') {
    chosen = Math.floor(Math.random() * 2 ** 31);
    process.stderr.write(`fuzz: seed ${chosen} (FUZZ_SEED=${chosen} replays it)\n`);
  } else {
    const n = Number(text);
    if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be a whole number or 'random', got '${text}'.`);
    chosen = n;
  }
  return chosen;
}

/** fast-check parameters for one property: `{ numRuns, seed }`, the runs defaulting to `runs`. */
export function fuzzParameters(runs) {
  return { numRuns: fuzzRuns(runs), seed: fuzzSeed() };
}

/** A vitest timeout for a property: `ms` in npm test, scaled by FUZZ_RUNS / `runs` in a long run. */
export function fuzzTimeout(ms, runs) {
  return fuzzing ? Math.ceil((ms * fuzzRuns(runs)) / runs) + 60_000 : ms;
}
