// Types of src/index.js (plain JavaScript, so every package's tests import it without a build).

/** The seed of `npm test`: fixed, so a failure is the same on every machine. */
export declare const DEFAULT_SEED: number;

/** Whether a long run was asked for (FUZZ_RUNS set): `npm run fuzz`. */
export declare const fuzzing: boolean;

/** The number of runs: FUZZ_RUNS when set (a whole number of at least 1), else `runs`. */
export declare function fuzzRuns(runs: number): number;

/** The seed: FUZZ_SEED (a whole number, or `random` for a fresh one, printed once), else {@link DEFAULT_SEED}. */
export declare function fuzzSeed(): number;

/** fast-check parameters for one property: `{ numRuns, seed }`, the runs defaulting to `runs`. */
export declare function fuzzParameters(runs: number): { numRuns: number; seed: number };

/** A vitest timeout for a property: `ms` in npm test, scaled by FUZZ_RUNS / `runs` in a long run. */
export declare function fuzzTimeout(ms: number, runs: number): number;
