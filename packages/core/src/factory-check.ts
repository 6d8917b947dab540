import { previewValue } from './preview.js';

/** One line of at most 160 characters of what a factory threw. */
function thrown(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : typeof error === 'string'
        ? error
        : typeof error;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** `{ a: 1, b: 'x' }`, the defaults as a reader of the message would write them. */
function shownDefaults(defaults: Record<string, unknown>): string {
  const keys = Object.keys(defaults);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((key) => `${key}: ${previewValue(defaults[key])}`).join(', ')} }`;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** What is wrong with what an activation factory's `create` returned, as a clause, or undefined. */
function createdActivationProblem(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null)
    return `returned ${previewValue(result)}, not { f, df } or an activation { forward, backward }`;
  const r = result as Record<string, unknown>;
  if (isFunction(r['forward']) || isFunction(r['backward'])) {
    return isFunction(r['forward']) && isFunction(r['backward'])
      ? undefined
      : 'returned an activation without both forward and backward';
  }
  if (isFunction(r['f']) || isFunction(r['df'])) {
    if (!isFunction(r['f'])) return 'returned df(x, y) without f(x)';
    if (!isFunction(r['df'])) return 'returned f(x) without df(x, y)';
    if (r['kinks'] !== undefined && !(Array.isArray(r['kinks']) && r['kinks'].every(Number.isFinite)))
      return 'returned kinks that are not an array of finite numbers';
    return undefined;
  }
  return `returned ${previewValue(result)}, not { f, df } or an activation { forward, backward }`;
}

/** What is wrong with what a loss factory's `create` returned, as a clause, or undefined. */
function createdLossProblem(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null)
    return `returned ${previewValue(result)}, not { f, df } or a loss { forward, backward }`;
  const r = result as Record<string, unknown>;
  const full = isFunction(r['forward']) && isFunction(r['backward']);
  const perSample = isFunction(r['f']) && isFunction(r['df']);
  return full || perSample
    ? undefined
    : `returned ${previewValue(result)}, not { f, df } or a loss { forward, backward }`;
}

/**
 * Runs a factory entry's `create` with its defaults, as `installPlugin` does before registering anything, and
 * says what is wrong (a clause such as `its create({ a: 1 }) threw Error: ...`), or undefined when it built
 * something of the right shape. A factory with `required` keys is only checked when `create` returns: its
 * defaults are examples, which it may rightly refuse.
 *
 * @param entry - a checked factory entry `{ name, defaults, create }`
 * @param kind - `activation` or `loss`
 */
export function factoryCreateProblem(
  entry: Record<string, unknown>,
  kind: 'activation' | 'loss',
): string | undefined {
  const defaults = entry['defaults'] as Record<string, unknown>;
  const call = `its create(${shownDefaults(defaults)})`;
  let result: unknown;
  try {
    result = (entry['create'] as (config: object) => unknown).call(entry, { ...defaults });
  } catch (error) {
    const required = entry['required'];
    if (Array.isArray(required) && required.length > 0) return undefined;
    return `${call} threw ${thrown(error)}`;
  }
  const problem = kind === 'activation' ? createdActivationProblem(result) : createdLossProblem(result);
  return problem === undefined ? undefined : `${call} ${problem}`;
}
