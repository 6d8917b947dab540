import { describe, expect, it } from 'vitest';
import { fitTable } from './table.js';
import type { FitColumn } from './table.js';
import { widestLine } from './width.js';

const columns: FitColumn[] = [
  { head: 'layer', align: 'right', cell: (i) => String(i) },
  { head: 'activation', align: 'left', cell: () => 'sigmoid', drop: 2 },
  {
    head: 'largest value',
    short: 'largest\nvalue',
    align: 'right',
    cell: (i, d) => (Math.PI * 10 ** -i).toPrecision(d),
  },
  {
    head: 'smallest value',
    short: 'smallest\nvalue',
    align: 'right',
    cell: (i, d) => (Math.E * 10 ** -i).toPrecision(d),
    drop: 1,
  },
];
const leftOut = (names: string[]): string => `(${names.join(', ')} left out to fit)`;
const fit = (width: number): string => fitTable(columns, 2, width, { digits: [6, 3], leftOut });

describe('fitTable', () => {
  it('keeps everything, headings on one line, when there is room', () => {
    const text = fit(Number.POSITIVE_INFINITY);
    expect(text).toMatch(/│ layer │ activation │ largest value │ smallest value │/);
    expect(text).toMatch(/3\.14159/);
    expect(text).not.toMatch(/left out/);
  });

  it('then puts headings on two lines, then uses fewer digits, then drops columns in order with a note', () => {
    const widths = [fit(Infinity), fit(50), fit(43), fit(38), fit(30)].map(widestLine);
    expect(fit(50)).toMatch(/│ +largest │ smallest │/); // two-line headings
    expect(fit(50)).toMatch(/3\.14159/);
    expect(fit(43)).toMatch(/│ +3\.14 │ +2\.72 │/); // fewer digits
    expect(fit(38)).not.toMatch(/│ smallest/);
    expect(fit(38)).toMatch(/\(smallest value left out to fit\)$/);
    expect(fit(30)).toMatch(/\(activation, smallest value\nleft out to fit\)$/);
    for (const [i, width] of [Infinity, 50, 43, 38, 30].entries())
      expect(widths[i]).toBeLessThanOrEqual(width);
  });

  it('gives the narrowest layout when nothing fits', () => {
    const table = (text: string): string[] => text.split('\n').slice(0, 7);
    expect(table(fit(5))).toEqual(table(fit(30)));
    expect(fit(5)).toMatch(/^\(activation,$/m);
  });
});
