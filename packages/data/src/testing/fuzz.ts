// How long the property tests of this package run: a fixed seed and a bounded number of runs in `npm test`, and
// longer with a random seed under `npm run fuzz` (FUZZ_RUNS, FUZZ_SEED). Tests only (not built into dist).

/** fast-check parameters for one property: `numRuns` runs from `seed`. */
export interface FuzzParameters {
  numRuns: number;
  seed: number;
}

/** The seed of `npm test`: every run of the suite checks the same cases. */
const FIXED_SEED = 20_261_130;

/**
 * The runs and seed of a property: `runs` (the bounded default of `npm test`) unless FUZZ_RUNS says more; the
 * fixed seed unless FUZZ_SEED gives one, or says `random` (a fresh seed, printed so a failure can be replayed).
 */
export function fuzzParameters(runs: number, env: NodeJS.ProcessEnv = process.env): FuzzParameters {
  const numRuns = env.FUZZ_RUNS === undefined ? runs : Number(env.FUZZ_RUNS);
  if (!Number.isInteger(numRuns) || numRuns < 1) {
    throw new Error(`FUZZ_RUNS must be a positive integer, but it is '${env.FUZZ_RUNS}'.`);
  }
  let seed = FIXED_SEED;
  if (env.FUZZ_SEED === 'random') {
    seed = (Math.random() * 2 ** 31) | 0;
    console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
  } else if (env.FUZZ_SEED !== undefined) {
    seed = Number(env.FUZZ_SEED);
    if (!Number.isInteger(seed))
      throw new Error(`FUZZ_SEED must be an integer or 'random', but it is '${env.FUZZ_SEED}'.`);
  }
  return { numRuns, seed };
}

/**
 * The time limit of a property test, in milliseconds: generous in `npm test` (the machine may be busy; the run
 * count bounds the work), an hour for a long FUZZ_RUNS run.
 */
export function fuzzTimeout(env: NodeJS.ProcessEnv = process.env): number {
  return env.FUZZ_RUNS === undefined ? 60_000 : 3_600_000;
}
