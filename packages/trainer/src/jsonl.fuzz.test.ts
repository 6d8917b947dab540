// Property-based tests of the JSONL recording reader (issue 17): whatever the text and however it is cut into
// pieces, JsonlReader gives the same events as parseJsonl of the whole text (or the same refusal), and a refusal
// is a DeltaflowError E_PARSE whose one sentence names the file and the line; never another error. Memory: at
// most one event per line of the text.
import { xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { fc, test } from '@fast-check/vitest';
import { fuzzParameters, fuzzTimeout } from '@deltaflow/test-fuzz';
import { DeltaflowError } from '@deltaflow/tensor';
import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingEvent } from './events.js';
import { parseJsonl, toJsonLine } from './jsonl.js';
import { JsonlReader } from './jsonl-reader.js';
import { train } from './train.js';

/** The lines of a real recording: a 5-epoch xor run with checkpoints and backward events. */
let lines: string[] = [];
beforeAll(async () => {
  const model = mlp({ inputs: 2, layers: [{ units: 3 }, { units: 1 }], seed: 3 });
  const events = await lastValueFrom(
    train(model, xor(), { epochs: 5, lr: 0.5, checkpointEvery: 2, seed: 1 }).pipe(toArray()),
  );
  lines = events.map(toJsonLine);
});

/** One edit of a recording's lines. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({
    kind: fc.constant('cut' as const),
    at: fc.nat(),
    keep: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('concat' as const) }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.integer({ min: 1, max: 100_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
      fc
        .integer({ min: 1, max: 100_000 })
        .map((n) => `{"type":"epoch","epoch":1,"loss":${'['.repeat(n)}${']'.repeat(n)}}`),
      fc.constantFrom(
        '\uFEFF',
        '\r',
        '{"type":"start"}',
        '{"type":"end"}',
        'null',
        '[]',
        '{"type":"epoch","epoch":1e400}',
      ),
    ),
  }),
  fc.record({
    kind: fc.constant('field' as const),
    at: fc.nat(),
    value: fc.oneof(fc.jsonValue(), fc.constantFrom(null, -1, 1e308, 'x', [], {})),
  }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(source: string[], edits: Edit[]): string[] {
  let out = [...source];
  for (const e of edits) {
    const at = 'at' in e ? e.at % Math.max(1, out.length) : 0;
    switch (e.kind) {
      case 'drop':
        out.splice(at, 1);
        break;
      case 'repeat':
        out.splice(at, 0, out[at] ?? '');
        break;
      case 'swap': {
        const to = e.to % Math.max(1, out.length);
        [out[at], out[to]] = [out[to] ?? '', out[at] ?? ''];
        break;
      }
      case 'cut':
        out[at] = (out[at] ?? '').slice(0, Math.floor((out[at] ?? '').length * e.keep));
        break;
      case 'concat':
        out = [...out, ...source];
        break;
      case 'replace':
        out[at] = e.text;
        break;
      case 'field': {
        // a field of the line's event (a key chosen by position) gets another value
        try {
          const event = JSON.parse(out[at] ?? '') as Record<string, unknown>;
          const keys = Object.keys(event);
          event[keys[at % keys.length]!] = e.value;
          out[at] = JSON.stringify(event);
        } catch {
          // not an object line: leave it
        }
        break;
      }
    }
  }
  return out;
}

/** What reading gives: the events, or the refusal's code and message; warnings too. */
type ReadResult =
  { events: TrainingEvent[]; warnings: string[] } | { code: string; message: string; warnings: string[] };

function read(feed: (reader: JsonlReader, out: TrainingEvent[]) => void): ReadResult {
  const warnings: string[] = [];
  const events: TrainingEvent[] = [];
  const reader = new JsonlReader({ source: 'fuzz.jsonl', onWarning: (w) => warnings.push(w) });
  try {
    feed(reader, events);
    reader.end(events);
    return { events, warnings };
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    const { code, message } = error as DeltaflowError;
    return { code, message, warnings };
  }
}

const recording = fc.tuple(
  fc.array(edit, { maxLength: 4 }),
  fc.constantFrom('\n', '\r\n'),
  fc.boolean(),
  fc.array(fc.nat(), { maxLength: 8 }),
);

describe('JsonlReader, property-based', () => {
  test.prop([recording], fuzzParameters(200))(
    'the same result for any split into pieces; events or one E_PARSE sentence naming the line',
    ([edits, newline, finalNewline, cuts]) => {
      const text = apply(lines, edits).join(newline) + (finalNewline ? newline : '');
      const whole = read((reader, out) => reader.push(text, out));
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const pieces = read((reader, out) => {
        let from = 0;
        for (const p of [...points, text.length]) {
          reader.push(text.slice(from, p), out);
          from = p;
        }
      });
      expect(pieces).toEqual(whole);
      if ('code' in whole) {
        expect(whole.code).toBe('E_PARSE');
        expect(whole.message).toMatch(/^fuzz\.jsonl(: line \d+)?[: ]/);
        expect(whole.message).not.toMatch(/\n/);
        expect(whole.message.endsWith('.')).toBe(true);
        expect(whole.message.length).toBeLessThan(400);
      } else {
        expect(whole.events.length).toBeLessThanOrEqual(text.split('\n').length);
        expect(whole.events[0]!.type).toBe('start');
        expect(whole.events.filter((e) => e.type === 'start')).toHaveLength(1);
      }
    },
    fuzzTimeout(60_000, 200),
  );

  it('refuses two runs concatenated, naming the line of the second start event', () => {
    const text = `${lines.join('\n')}\n${lines.join('\n')}\n`;
    expect(() => parseJsonl(text, 'two.jsonl')).toThrow(
      `two.jsonl: line ${lines.length + 1} begins a second run (a second start event): the file holds two runs concatenated; replay one run per file.`,
    );
  });
});
