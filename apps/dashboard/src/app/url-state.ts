import { DEFAULT_CONFIG, PLAYGROUND_DATASETS } from '../shared/playground-config.js';
import type { PlaygroundConfig, PlaygroundDataset } from '../shared/playground-config.js';

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
  seed: 'seed',
} as const satisfies Record<keyof PlaygroundConfig, string>;

const NAME = /^[a-z][a-z0-9-]{0,39}$/i;

function number(params: URLSearchParams, key: string, fallback: number, ok: (n: number) => boolean): number {
  const text = params.get(key);
  if (text === null || text.trim() === '') return fallback;
  const n = Number(text);
  return Number.isFinite(n) && ok(n) ? n : fallback;
}

function name(params: URLSearchParams, key: string, fallback: string): string {
  const text = params.get(key);
  return text !== null && NAME.test(text) ? text : fallback;
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
 * Reads a standalone configuration from a query string; missing or bad values take the defaults. Names
 * (activation, loss, optimizer) are only checked for shape here; the page checks them against the registries.
 *
 * @example
 * ```ts
 * const config = configFromQuery('?layers=8,4&lr=0.1'); // location.search on the page
 * ```
 * @category Playground
 */
export function configFromQuery(search: string): PlaygroundConfig {
  const p = new URLSearchParams(search);
  const d = DEFAULT_CONFIG;
  const dataset = p.get(KEYS.dataset);
  return {
    dataset: PLAYGROUND_DATASETS.includes(dataset as PlaygroundDataset)
      ? (dataset as PlaygroundDataset)
      : d.dataset,
    noise: number(p, KEYS.noise, d.noise, (n) => n >= 0 && n <= 0.5),
    points: number(p, KEYS.points, d.points, (n) => Number.isInteger(n) && n >= 20 && n <= 5000),
    trainFraction: number(p, KEYS.trainFraction, d.trainFraction, (n) => n >= 0.1 && n <= 1),
    layers: parseLayers(p.get(KEYS.layers) ?? d.layers.join(',')) ?? [...d.layers],
    activation: name(p, KEYS.activation, d.activation),
    loss: name(p, KEYS.loss, d.loss),
    optimizer: name(p, KEYS.optimizer, d.optimizer),
    lr: number(p, KEYS.lr, d.lr, (n) => n > 0 && n <= 10),
    batchSize: number(p, KEYS.batchSize, d.batchSize, (n) => Number.isInteger(n) && n >= 1 && n <= 5000),
    weightDecay: number(p, KEYS.weightDecay, d.weightDecay, (n) => n >= 0 && n <= 1),
    seed: number(p, KEYS.seed, d.seed, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32),
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
