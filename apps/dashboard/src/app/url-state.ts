import {
  DEFAULT_CONFIG,
  PLAYGROUND_DATASETS,
  REGULARIZATIONS,
  REGULARIZATION_RATES,
  activationOfText,
  optimizerOfText,
} from '../shared/playground-config.js';
import type { PlaygroundConfig, PlaygroundDataset, Regularization } from '../shared/playground-config.js';

/** The query-string key of every configuration field, in the order links are written. */
const KEYS = {
  dataset: 'dataset',
  noise: 'noise',
  points: 'points',
  trainFraction: 'train',
  layers: 'layers',
  activation: 'activation',
  loss: 'loss',
  optimizer: 'optimizer',
  lr: 'lr',
  batchSize: 'batch',
  weightDecay: 'wd',
  dropout: 'dropout',
  regularization: 'reg',
  regularizationRate: 'regrate',
  seed: 'seed',
} as const satisfies Record<keyof PlaygroundConfig, string>;

const NAME = /^[a-z][a-z0-9-]{0,39}$/i;

/** A query value the page could not use: the key, the value as written, and what replaced it. */
export interface QueryProblem {
  key: string;
  value: string;
  fallback: string;
  /** Set when the value is a well-formed name the page does not have: which kind of name. */
  unknown?: 'dataset' | 'activation' | 'loss' | 'optimizer';
}

/** How each kind of name reads in a sentence. */
const UNKNOWN: Record<NonNullable<QueryProblem['unknown']>, string> = {
  dataset: `a dataset this page has (${PLAYGROUND_DATASETS.join(', ')})`,
  activation: 'an activation this page has',
  loss: 'a loss this page has',
  optimizer: 'an optimizer this page has',
};

/** What the page says once after link values that may be a plugin's names. */
export const PLUGIN_NAME_HINT =
  "A plugin's names need its module: add ?plugin=URL to the link, or serve it with deltaflow dashboard --plugin FILE.";

/**
 * The sentences a page shows for the link values it replaced: one each ({@link describeProblem}), then, when an
 * activation, loss or optimizer name was unknown, once, how a plugin's names get their module
 * ({@link PLUGIN_NAME_HINT}).
 *
 * @example
 * ```ts
 * linkProblemSentences([{ key: 'activation', value: 'isru', fallback: 'tanh', unknown: 'activation' }]);
 * // → ["The link's activation=isru is not an activation this page has; using the default, tanh.", "A plugin's names need its module: add ?plugin=URL to the link, or serve it with deltaflow dashboard --plugin FILE."]
 * ```
 * @category Playground
 */
export function linkProblemSentences(problems: readonly QueryProblem[]): string[] {
  const sentences = problems.map(describeProblem);
  const named = problems.some((p) => p.unknown !== undefined && p.unknown !== 'dataset');
  return named ? [...sentences, PLUGIN_NAME_HINT] : sentences;
}

/**
 * The sentence a page shows for a link value it replaced.
 *
 * @example
 * ```ts
 * describeProblem({ key: 'lr', value: 'abc', fallback: '0.03' });
 * // → 'The link\'s lr=abc is not valid here; using the default, 0.03.'
 * describeProblem({ key: 'loss', value: 'nope', fallback: 'mse', unknown: 'loss' });
 * // → 'The link\'s loss=nope is not a loss this page has; using the default, mse.'
 * ```
 * @category Playground
 */
export function describeProblem(problem: QueryProblem): string {
  if (problem.unknown)
    return `The link's ${problem.key}=${problem.value} is not ${UNKNOWN[problem.unknown]}; using the default, ${problem.fallback}.`;
  return `The link's ${problem.key}=${problem.value} is not valid here; using the default, ${problem.fallback}.`;
}

function number(
  params: URLSearchParams,
  key: string,
  fallback: number,
  ok: (n: number) => boolean,
  problems: QueryProblem[],
): number {
  const text = params.get(key);
  if (text === null) return fallback;
  const n = Number(text);
  if (text.trim() !== '' && Number.isFinite(n) && ok(n)) return n;
  problems.push({ key, value: text, fallback: String(fallback) });
  return fallback;
}

function name(params: URLSearchParams, key: string, fallback: string, problems: QueryProblem[]): string {
  const text = params.get(key);
  if (text === null) return fallback;
  if (NAME.test(text)) return text;
  problems.push({ key, value: text, fallback });
  return fallback;
}

function regularization(params: URLSearchParams, problems: QueryProblem[]): Regularization {
  const text = params.get(KEYS.regularization);
  if (text === null) return DEFAULT_CONFIG.regularization;
  if ((REGULARIZATIONS as readonly string[]).includes(text)) return text as Regularization;
  problems.push({ key: KEYS.regularization, value: text, fallback: DEFAULT_CONFIG.regularization });
  return DEFAULT_CONFIG.regularization;
}

/** `activation=tanh` or, with its config, `activation=isru:a=0.5` (numbers finite). */
function activation(params: URLSearchParams, fallback: string, problems: QueryProblem[]): string {
  const text = params.get(KEYS.activation);
  if (text === null) return fallback;
  if (text.length <= 200 && activationOfText(text) !== null) return text.trim();
  problems.push({ key: KEYS.activation, value: text, fallback });
  return fallback;
}

/** `optimizer=adam` or, with options, `optimizer=adam:beta1=0.8` (numbers finite; not lr or weightDecay). */
function optimizer(params: URLSearchParams, fallback: string, problems: QueryProblem[]): string {
  const text = params.get(KEYS.optimizer);
  if (text === null) return fallback;
  if (text.length <= 200 && optimizerOfText(text) !== null) return text.trim();
  problems.push({ key: KEYS.optimizer, value: text, fallback });
  return fallback;
}

/**
 * Parses hidden layer sizes such as `"4,2"` (empty for none); null when any size is not an integer in 1..64
 * or there are more than 8 layers.
 *
 * @example
 * ```ts
 * parseLayers('8, 4'); // → [8, 4]
 * ```
 * @category Playground
 */
export function parseLayers(text: string): number[] | null {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length === 1 && parts[0] === '') return [];
  const units = parts.map(Number);
  const ok = units.length <= 8 && units.every((u) => Number.isInteger(u) && u >= 1 && u <= 64);
  return ok ? units : null;
}

/**
 * Reads a standalone configuration from a query string; missing values take the defaults, and so do bad ones,
 * each reported as a {@link QueryProblem} for the page to show. Names (activation, loss, optimizer) are only
 * checked for shape here; the page checks them against the registries.
 *
 * @example
 * ```ts
 * const { config, problems } = parseConfigQuery('?layers=8,4&lr=0'); // problems: lr=0
 * ```
 * @category Playground
 */
export function parseConfigQuery(search: string): { config: PlaygroundConfig; problems: QueryProblem[] } {
  const p = new URLSearchParams(search);
  const d = DEFAULT_CONFIG;
  const problems: QueryProblem[] = [];
  const dataset = p.get(KEYS.dataset);
  const known = PLAYGROUND_DATASETS.includes(dataset as PlaygroundDataset);
  if (dataset !== null && !known)
    problems.push({ key: KEYS.dataset, value: dataset, fallback: d.dataset, unknown: 'dataset' });
  const layersText = p.get(KEYS.layers);
  const layers = layersText === null ? [...d.layers] : parseLayers(layersText);
  if (!layers) problems.push({ key: KEYS.layers, value: layersText!, fallback: d.layers.join(',') });
  const config: PlaygroundConfig = {
    dataset: known ? (dataset as PlaygroundDataset) : d.dataset,
    noise: number(p, KEYS.noise, d.noise, (n) => n >= 0 && n <= 0.5, problems),
    points: number(p, KEYS.points, d.points, (n) => Number.isInteger(n) && n >= 20 && n <= 5000, problems),
    trainFraction: number(p, KEYS.trainFraction, d.trainFraction, (n) => n >= 0.1 && n <= 1, problems),
    layers: layers ?? [...d.layers],
    activation: activation(p, d.activation, problems),
    loss: name(p, KEYS.loss, d.loss, problems),
    optimizer: optimizer(p, d.optimizer, problems),
    lr: number(p, KEYS.lr, d.lr, (n) => n >= 0.000001 && n <= 10, problems),
    batchSize: number(
      p,
      KEYS.batchSize,
      d.batchSize,
      (n) => Number.isInteger(n) && n >= 1 && n <= 5000,
      problems,
    ),
    weightDecay: number(p, KEYS.weightDecay, d.weightDecay, (n) => n >= 0 && n <= 1, problems),
    dropout: number(p, KEYS.dropout, d.dropout, (n) => n >= 0 && n < 1, problems),
    regularization: regularization(p, problems),
    regularizationRate: number(
      p,
      KEYS.regularizationRate,
      d.regularizationRate,
      (n) => REGULARIZATION_RATES.includes(n),
      problems,
    ),
    seed: number(p, KEYS.seed, d.seed, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, problems),
  };
  return { config, problems };
}

/**
 * Reads a standalone configuration from a query string; missing or bad values take the defaults (see
 * {@link parseConfigQuery} for which were bad).
 *
 * @example
 * ```ts
 * const config = configFromQuery('?layers=8,4&lr=0.1'); // location.search on the page
 * ```
 * @category Playground
 */
export function configFromQuery(search: string): PlaygroundConfig {
  return parseConfigQuery(search).config;
}

/**
 * The speeds the page offers, in epochs per second; null is "as fast as possible" (`speed=max` in the URL).
 * @category Playground
 */
export const SPEEDS: readonly (number | null)[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, null];

/** The speed of a page opened without `speed=` in its URL, in epochs per second. @category Playground */
export const DEFAULT_SPEED = 50;

/** The URL form of a speed: a number of epochs per second, or `max`. @category Playground */
export function speedToQuery(speed: number | null): string {
  return speed === null ? 'max' : String(speed);
}

/**
 * Reads the speed (`speed=20`, `speed=max`) from a query string: one of {@link SPEEDS}, else
 * {@link DEFAULT_SPEED} with the problem reported.
 *
 * @example
 * ```ts
 * parseSpeedQuery('?speed=max').speed; // → null
 * parseSpeedQuery('?speed=20').speed; // → 20
 * ```
 * @category Playground
 */
export function parseSpeedQuery(search: string): { speed: number | null; problem: QueryProblem | null } {
  const text = new URLSearchParams(search).get('speed');
  if (text === null) return { speed: DEFAULT_SPEED, problem: null };
  const speed = SPEEDS.find((s) => speedToQuery(s) === text.trim());
  if (speed !== undefined) return { speed, problem: null };
  return {
    speed: DEFAULT_SPEED,
    problem: { key: 'speed', value: text, fallback: `${DEFAULT_SPEED} epochs per second` },
  };
}

/**
 * Writes a configuration as a query string (every field, in a fixed order), so the link reproduces the run.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * import { DEFAULT_CONFIG } from '../shared/playground-config.js';
 *
 * history.replaceState(null, '', `?${configToQuery(DEFAULT_CONFIG)}`);
 * ```
 * @category Playground
 */
export function configToQuery(config: PlaygroundConfig): string {
  const p = new URLSearchParams();
  for (const [field, key] of Object.entries(KEYS) as [keyof PlaygroundConfig, string][]) {
    const value = config[field];
    p.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return p.toString();
}
