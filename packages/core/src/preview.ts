/**
 * A short, bounded text for a value found in user input, for error messages: numbers as they are (including
 * `Infinity` and `NaN`, which JSON would write as `null`), texts quoted and cut at `max` characters, arrays and
 * objects by their kind and size (`an array of 3 items`, `an object with keys a, b`). It never walks into the
 * value, so a value nested 100,000 levels deep, or of a million items, costs no more than a small one.
 *
 * @example
 * ```ts
 * previewValue(Infinity); // → 'Infinity'
 * previewValue('x'.repeat(100)).length; // → 42
 * previewValue([[1], [2]]); // → 'an array of 2 items'
 * ```
 * @param value - any value, e.g. a field of a parsed JSON file
 * @param max - the most characters of a text kept (default 40)
 * @returns the preview
 * @category Errors
 */
export function previewValue(value: unknown, max = 40): string {
  if (typeof value === 'string') {
    const cut = value.length > max ? `${value.slice(0, max - 3)}...` : value;
    return `"${cut}"`;
  }
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) {
    const n = value.length;
    return n === 0 ? 'an empty array' : `an array of ${n} item${n === 1 ? '' : 's'}`;
  }
  const keys: string[] = [];
  for (const key in value as object) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (keys.length === 3) {
      keys.push('...');
      break;
    }
    keys.push(key.length > 20 ? `${key.slice(0, 17)}...` : key);
  }
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
}
