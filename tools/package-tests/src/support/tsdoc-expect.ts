// The check behind `// → VALUE` in a TSDoc example that is run (see tsdoc.ts): the example's statement
// `expr; // → VALUE` becomes `__expectValue(expr, (VALUE), 'VALUE', 'file:line');`.

/** Decimals written in a number's shortest form: 0.2231 has 4, 3 has 0. */
function decimals(n: number): number {
  const match = /\.(\d+)(?:e([+-]\d+))?$/.exec(String(n)) ?? /e([+-]\d+)$/.exec(String(n));
  if (!match) return 0;
  if (match.length === 2) return Math.max(0, -Number(match[1]));
  return Math.max(0, match[1]!.length - Number(match[2] ?? 0));
}

/** Whether `actual` is what the example states: numbers with decimals round to it, the rest is equal. */
function matches(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected) || !Number.isFinite(expected)) return Object.is(actual, expected);
    const d = decimals(expected);
    const tolerance = d === 0 ? 1e-12 * Math.max(1, Math.abs(expected)) : 0.5 * 10 ** -d * (1 + 1e-9);
    return Math.abs(actual - expected) <= tolerance;
  }
  if (Array.isArray(expected)) {
    const list =
      ArrayBuffer.isView(actual) && !(actual instanceof DataView)
        ? Array.from(actual as unknown as ArrayLike<unknown>)
        : hasToNested(actual)
          ? actual.toNested()
          : actual;
    return (
      Array.isArray(list) && list.length === expected.length && expected.every((e, i) => matches(list[i], e))
    );
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const keys = Object.keys(expected);
    const own = Object.keys(actual).filter((k) => (actual as Record<string, unknown>)[k] !== undefined);
    return (
      own.length === keys.length &&
      keys.every((k) =>
        matches((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]),
      )
    );
  }
  return Object.is(actual, expected);
}

function hasToNested(value: unknown): value is { toNested(): unknown } {
  return typeof (value as { toNested?: unknown } | null)?.toNested === 'function';
}

function show(value: unknown): string {
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name} ${JSON.stringify(Array.from(value as unknown as ArrayLike<number>))}`;
  if (hasToNested(value)) return JSON.stringify(value.toNested());
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Returns `actual` when it is what the example states (`expected`, written as `text`), else throws. */
export function __expectValue<T>(actual: T, expected: unknown, text: string, at: string): T {
  if (!matches(actual, expected)) {
    throw new Error(`${at}: the example states → ${text}, but the value is ${show(actual)}`);
  }
  return actual;
}
