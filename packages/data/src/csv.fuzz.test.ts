// Property-based tests of the CSV parser (issue 17): for any bytes or CSV-like text, through parseCsv and the
// streamed reader cut anywhere, the result is a valid dataset or a DeltaflowError whose one sentence names the
// place; memory stays linear in the input; a generated table survives a write and a read. `npm test` runs a fixed
// seed and a bounded number of runs; `npm run fuzz` runs more with a random seed (FUZZ_RUNS, FUZZ_SEED).
import { fc, it } from '@fast-check/vitest';
import { DeltaflowError } from '@deltaflow/tensor';
import { fuzzParameters, fuzzTimeout } from '@deltaflow/test-fuzz';
import { describe, expect } from 'vitest';
import { MAX_CSV_CLASSES } from './csv-reader.js';
import { parseCsv } from './csv.js';
import type { CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';
import { cutBytes } from './testing/csv-entries.js';

const FILE = 'fuzz.csv';
const utf8 = new TextEncoder();

/** The sentences that name no row because the whole file is at fault. */
const WHOLE_FILE = [
  /^fuzz\.csv is empty; /,
  /^fuzz\.csv has a header row but no data rows; /,
  /^fuzz\.csv is UTF-16 /,
  /^fuzz\.csv looks like UTF-16 or binary data /,
];

/**
 * The parse's outcome, checked: a dataset whose shapes agree and whose arrays are bounded by the input's size, or
 * a DeltaflowError `E_CSV` of one sentence naming the file and the line (or the whole file). Anything else fails.
 */
function checked(parse: () => Dataset, inputBytes: number): unknown {
  let ds: Dataset;
  try {
    ds = parse();
  } catch (error) {
    if (!(error instanceof DeltaflowError)) throw error;
    expect(error.code).toBe('E_CSV');
    expect(error.message.endsWith('.')).toBe(true);
    const place =
      error.message.startsWith(`${FILE}, line `) || WHOLE_FILE.some((re) => re.test(error.message));
    expect(place, error.message).toBe(true);
    return { error: error.message };
  }
  const rows = ds.inputs.rows;
  expect(ds.inputs.shape).toEqual([rows, ds.featureNames.length]);
  expect(ds.targets.shape).toEqual([rows, ds.targetNames.length]);
  expect(rows).toBeGreaterThan(0);
  for (const v of ds.inputs.data) expect(Number.isFinite(v)).toBe(true);
  // Every stored number took at least two bytes (a digit and a separator), every row too; a label column adds
  // rows x classes for its one-hot columns, with classes at most MAX_CSV_CLASSES: memory linear in the input.
  const classes = ds.classNames?.length ?? 0;
  const numbers = ds.inputs.data.byteLength + (ds.classNames && classes > 1 ? 0 : ds.targets.data.byteLength);
  expect(numbers).toBeLessThanOrEqual(4 * (inputBytes + 1));
  expect(rows).toBeLessThanOrEqual(inputBytes / 2 + 1);
  expect(classes).toBeLessThanOrEqual(MAX_CSV_CLASSES);
  expect(ds.targets.data.byteLength).toBeLessThanOrEqual(8 * (inputBytes / 2 + 1) * Math.max(classes, 1) + 8);
  return {
    shape: [ds.inputs.shape, ds.targets.shape],
    inputs: Array.from(ds.inputs.data),
    targets: Array.from(ds.targets.data),
    names: [ds.featureNames, ds.targetNames, ds.classNames],
  };
}

/** Bytes that matter to a CSV parser, and some that are not UTF-8 or are UTF-16's. */
const csvByte = fc.oneof(
  fc.constantFrom(...Array.from(',"\n\r \t0123456789.-+eEaxnNI;', (c) => c.charCodeAt(0))),
  fc.constantFrom(
    0xc3,
    0xa9,
    0xe2,
    0x82,
    0xac,
    0xf0,
    0x9f,
    0x98,
    0x80,
    0xe9,
    0xff,
    0xfe,
    0xef,
    0xbb,
    0xbf,
    0,
  ),
  fc.integer({ min: 0, max: 255 }),
);

/** Where to cut the input into chunks (offsets, sorted and clamped by the test). */
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

const options = fc.record(
  {
    dtype: fc.constantFrom('float32' as const, 'float64' as const),
    encoding: fc.constantFrom('utf-8' as const, 'latin1' as const),
    categorical: fc.boolean(),
    delimiter: fc.constantFrom(',', ';'),
  },
  { requiredKeys: ['dtype'] },
);

function cutAt(offsets: readonly number[], length: number): number[] {
  return [...new Set(offsets.map((o) => Math.min(o, length)))].sort((a, b) => a - b);
}

describe('CSV properties', () => {
  it.prop([fc.uint8Array({ maxLength: 300 }), cuts, options], fuzzParameters(300))(
    'any bytes, cut anywhere: a dataset or one sentence naming the place, the same for every cut',
    (bytes, offsets, opts) => {
      const all: CsvOptions = { file: FILE, ...opts };
      const whole = checked(() => cutBytes(bytes, [], all), bytes.length);
      expect(checked(() => cutBytes(bytes, cutAt(offsets, bytes.length), all), bytes.length)).toEqual(whole);
    },
    fuzzTimeout(60_000, 300),
  );

  it.prop([fc.array(csvByte, { maxLength: 300 }), cuts, options], fuzzParameters(500))(
    'CSV-like bytes, cut anywhere: a dataset or one sentence naming the place, the same for every cut',
    (list, offsets, opts) => {
      const bytes = Uint8Array.from(list);
      const all: CsvOptions = { file: FILE, ...opts };
      const whole = checked(() => cutBytes(bytes, [], all), bytes.length);
      expect(checked(() => cutBytes(bytes, cutAt(offsets, bytes.length), all), bytes.length)).toEqual(whole);
    },
    fuzzTimeout(60_000, 500),
  );

  // Mostly numbers under a header of names, with now and then a cell, a row length or a line that is wrong.
  const oddCell = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'NaN',
      'inf',
      '1e39',
      '1e400',
      '0x1',
      '1.2.3',
      '"1"',
      '"a,b"',
      '"x""y"',
      '"open',
      'a"b',
    ),
    fc.string({
      unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', '1', '.', 'é', '😀'),
      maxLength: 6,
    }),
  );
  const cell = fc.oneof(
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), weight: 30 },
    { arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String), weight: 30 },
    { arbitrary: fc.constantFrom('cat', 'dog', '"a, b"'), weight: 1 },
    { arbitrary: oddCell, weight: 1 },
  );
  const csvText = fc
    .tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.array(
        fc.tuple(
          fc.integer({ min: -1, max: 1 }),
          fc.nat(9).map((k) => k === 0),
        ),
        { maxLength: 10 },
      ),
      fc.constantFrom('\n', '\r\n', '\r'),
    )
    .chain(([columns, shapes, end]) =>
      fc
        .tuple(
          fc.oneof(
            { arbitrary: fc.constant(['a', 'b', 'c', 'd'].slice(0, columns)), weight: 8 },
            {
              arbitrary: fc.array(oddCell, { minLength: columns, maxLength: columns }),
              weight: 1,
            },
          ),
          fc.tuple(
            ...shapes.map(([delta, odd]) =>
              fc.array(cell, {
                minLength: Math.max(1, columns + (odd ? delta : 0)),
                maxLength: Math.max(1, columns + (odd ? delta : 0)),
              }),
            ),
          ),
        )
        .map(([header, rows]) => [header, ...rows].map((r) => r.join(',')).join(end)),
    );

  it.prop([csvText, cuts, options], fuzzParameters(500))(
    'CSV-like text: parseCsv and the streamed reader agree, and the outcome is valid',
    (text, offsets, opts) => {
      const all: CsvOptions = { file: FILE, ...opts, encoding: 'utf-8' };
      const bytes = utf8.encode(text);
      const whole = checked(() => parseCsv(text, all), bytes.length);
      expect(checked(() => cutBytes(bytes, cutAt(offsets, bytes.length), all), bytes.length)).toEqual(whole);
    },
    fuzzTimeout(60_000, 500),
  );

  /** A cell written so that it reads back as `text`: quoted when it holds a delimiter, a quote or a line end. */
  const quote = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const name = fc
    .string({
      unit: fc.constantFrom('a', 'b', 'c', ',', '"', '\n', ' ', 'é', '€', '😀'),
      minLength: 1,
      maxLength: 6,
    })
    .filter((s) => s.trim() === s && s !== '');
  const table = fc
    .record({
      names: fc.uniqueArray(name, { minLength: 2, maxLength: 5 }),
      rows: fc.integer({ min: 1, max: 20 }),
      end: fc.constantFrom('\n', '\r\n', '\r'),
      finalEnd: fc.boolean(),
      seed: fc.integer(),
    })
    .chain(({ names, rows, end, finalEnd }) =>
      fc.record({
        names: fc.constant(names),
        end: fc.constant(end),
        finalEnd: fc.constant(finalEnd),
        numbers: fc.array(
          fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
            minLength: names.length - 1,
            maxLength: names.length - 1,
          }),
          { minLength: rows, maxLength: rows },
        ),
        labels: fc.array(name, { minLength: rows, maxLength: rows }),
      }),
    );

  it.prop([table, cuts], fuzzParameters(300))(
    'a generated table (numbers, quoted labels with delimiters, quotes and line ends) round-trips',
    ({ names, end, finalEnd, numbers, labels }, offsets) => {
      const lines = [
        names.map(quote).join(','),
        ...numbers.map((row, i) => [...row.map(String), quote(labels[i]!)].join(',')),
      ];
      const text = lines.join(end) + (finalEnd ? end : '');
      const bytes = utf8.encode(text);
      const read = cutBytes(bytes, cutAt(offsets, bytes.length), { dtype: 'float64', categorical: true });
      expect(read.featureNames).toEqual(names.slice(0, -1));
      expect(Array.from(read.inputs.data)).toEqual(numbers.flat().map((v) => Number(String(v))));
      const classNames = read.classNames!;
      expect([...classNames].sort()).toEqual([...new Set(labels)].sort());
      labels.forEach((label, i) => {
        const row = Array.from(
          read.targets.data.subarray(i * classNames.length, (i + 1) * classNames.length),
        );
        expect(row[classNames.indexOf(label)], label).toBe(1);
        expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      });
      expect(parseCsv(text, { dtype: 'float64', categorical: true }).targets.data).toEqual(read.targets.data);
    },
    fuzzTimeout(60_000, 300),
  );
});
