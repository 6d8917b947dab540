import type { OptimizerStateDict } from '@deltaflow/optimizers';
import { DeltaflowError } from '@deltaflow/tensor';

/**
 * The state of a pseudo-random generator (xoshiro128** words and the spare normal deviate, `null` for none), as
 * JSON keeps it.
 *
 * @example
 * ```ts
 * const words: RandomState = [1, 2, 3, 4, null];
 * ```
 * @category Resume
 */
export type RandomState = [number, number, number, number, number | null];

/**
 * Everything a run holds besides its options and data at the end of an epoch, as plain JSON data: with the same
 * options and data, `train(model, data, { ...options, resume: state })` continues exactly (bit for bit) where
 * the run was. Emitted by runs with `resumable: true` on checkpoint events and on the end event (as the state
 * at the end of the last complete epoch, also when the run was stopped in the middle of one).
 *
 * @example
 * ```ts
 * let saved = '';
 * train(model, data, { epochs: 10, resumable: true }).subscribe((event) => {
 *   if (event.type === 'end') saved = JSON.stringify(event.state);
 * });
 * // later, with the same options and data, on to 20 epochs:
 * train(model, data, { epochs: 20, resume: JSON.parse(saved) as ResumeState }).subscribe();
 * ```
 * @category Resume
 */
export interface ResumeState {
  /** Epochs complete. */
  epoch: number;
  /** Samples trained on so far. */
  samplesSeen: number;
  /** The base learning rate eta_0 (a schedule scales it per epoch; a run's controls may have changed it). */
  baseLr: number;
  /** Every parameter's values, in `model.parameters()` order (weights W_jk and biases theta_k per layer). */
  parameters: number[][];
  /** The optimizer's state (`Optimizer.stateDict()`): step count, options, moments. */
  optimizer: OptimizerStateDict;
  /** The shuffles' generator and the row order of the last epoch. */
  shuffle: { random: RandomState; order: number[]; epochs: number };
  /** The dropout masks' generator, when the model has dropout. */
  dropout?: RandomState;
  /** Early stopping's watch, when it is on. */
  earlyStopping?: EarlyStoppingState;
}

/**
 * Early stopping's state: the best monitored loss, the epochs waited since, the best epoch and (with
 * `restoreBest`) its parameters.
 *
 * @example
 * ```ts
 * const watch: EarlyStoppingState = { best: 0.12, wait: 2, bestEpoch: 8 };
 * ```
 * @category Resume
 */
export interface EarlyStoppingState {
  /** The best monitored loss so far (the lowest, by more than min delta), or null before the first epoch. */
  best: number | null;
  /** Epochs since the last improvement; the run stops when this reaches the patience. */
  wait: number;
  /** The epoch that gave {@link EarlyStoppingState.best}. */
  bestEpoch: number;
  /** With restore best: the parameters (each W and theta, flattened) at the best epoch. */
  bestParameters?: number[][];
}

const fail = (message: string): never => {
  throw new DeltaflowError('E_STATE', message);
};

const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const isNumbers = (x: unknown): x is number[] =>
  Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));

function checkRandom(x: unknown, where: string): void {
  if (
    !Array.isArray(x) ||
    x.length !== 5 ||
    !x.slice(0, 4).every((w) => Number.isInteger(w)) ||
    !(x[4] === null || typeof x[4] === 'number')
  )
    fail(`The run state's ${where} must be a generator state of 4 integers and a number or null.`);
}

function checkParameters(x: unknown, sizes: readonly number[], where: string): void {
  if (
    !Array.isArray(x) ||
    x.length !== sizes.length ||
    !x.every((values, i) => isNumbers(values) && values.length === sizes[i])
  )
    fail(
      `The run state's ${where} must hold ${sizes.length} arrays of finite numbers of sizes ${sizes.join(', ')} (the model's parameters); it belongs to another model.`,
    );
}

/**
 * Checks that `json` is a {@link ResumeState} for a model with parameters of `sizes` values (in
 * `model.parameters()` order) and `rows` training rows, naming the first thing wrong.
 *
 * @example
 * ```ts
 * checkResumeState(JSON.parse(text), model.parameters().map((p) => p.value.size), data.inputs.rows);
 * ```
 * @throws DeltaflowError `E_STATE` naming the field that is missing or does not fit
 * @category Resume
 */
export function checkResumeState(
  json: unknown,
  sizes: readonly number[],
  rows: number,
): asserts json is ResumeState {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('The run state must be an object { epoch, baseLr, parameters, optimizer, shuffle, ... }.');
  const state = json as Record<string, unknown>;
  if (!isCount(state.epoch)) fail('The run state needs `epoch`, a count of epochs.');
  if (!isCount(state.samplesSeen)) fail('The run state needs `samplesSeen`, a count of samples.');
  if (!(typeof state.baseLr === 'number' && state.baseLr > 0))
    fail('The run state needs `baseLr`, a positive learning rate.');
  checkParameters(state.parameters, sizes, 'parameters');
  const optimizer = state.optimizer as Record<string, unknown> | undefined;
  if (typeof optimizer !== 'object' || optimizer === null || typeof optimizer.name !== 'string')
    fail("The run state needs `optimizer`, the optimizer's state dict.");
  const shuffle = state.shuffle as Record<string, unknown> | undefined;
  if (typeof shuffle !== 'object' || shuffle === null)
    fail('The run state needs `shuffle`: the generator, the row order and the epochs started.');
  checkRandom(shuffle!.random, 'shuffle.random');
  if (!isNumbers(shuffle!.order) || shuffle!.order.length !== rows || !isCount(shuffle!.epochs))
    fail(
      `The run state's shuffle.order must list the ${rows} training rows; the state belongs to other data or another split.`,
    );
  if (state.dropout !== undefined) checkRandom(state.dropout, 'dropout');
  if (state.earlyStopping !== undefined) {
    const watch = state.earlyStopping as Record<string, unknown>;
    if (
      typeof watch !== 'object' ||
      watch === null ||
      !(watch.best === null || typeof watch.best === 'number') ||
      !isCount(watch.wait) ||
      !isCount(watch.bestEpoch)
    )
      fail("The run state's earlyStopping must be { best, wait, bestEpoch }.");
    if (watch.bestParameters !== undefined)
      checkParameters(watch.bestParameters, sizes, 'earlyStopping.bestParameters');
  }
}

/** A generator's state as JSON keeps it (NaN, "no spare deviate", as null). */
export function randomToJSON(state: readonly number[]): RandomState {
  return [state[0]!, state[1]!, state[2]!, state[3]!, Number.isNaN(state[4]) ? null : state[4]!];
}

/** A generator's state from JSON. */
export function randomFromJSON(state: RandomState): [number, number, number, number, number] {
  return [state[0], state[1], state[2], state[3], state[4] ?? NaN];
}
