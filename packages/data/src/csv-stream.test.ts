import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { CsvReader } from './csv-reader.js';
import { parseCsvStream } from './csv-stream.js';
import { parseCsv } from './csv.js';
import type { CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';
import { byteChunks, csvEntries, cutBytes } from './testing/csv-entries.js';

const utf8 = new TextEncoder();

/** What a parse gave: the dataset's parts as plain values, or the error's code and message. */
function outcome(parse: () => Dataset): unknown {
  try {
    const ds = parse();
    return {
      name: ds.name,
      task: ds.task,
      featureNames: ds.featureNames,
      targetNames: ds.targetNames,
      classNames: ds.classNames,
      inputs: [ds.inputs.shape, Array.from(ds.inputs.data)],
      targets: [ds.targets.shape, Array.from(ds.targets.data)],
    };
  } catch (error) {
    if (error instanceof DeltaflowError) return { code: error.code, message: error.message };
    throw error;
  }
}

function refusal(parse: () => unknown): DeltaflowError {
  try {
    parse();
  } catch (error) {
    if (error instanceof DeltaflowError) return error;
    throw error;
  }
  throw new Error('expected the parse to fail');
}

describe('the streamed reader gives the same result wherever a chunk ends', () => {
  // A quoted cell with a delimiter, a doubled quote and a line break, CRLF and lone-CR line ends, characters of
  // 2, 3 and 4 bytes (in a label and in a quoted header name), spaces around numbers, a blank line.
  const text =
    '\uFEFFx,"y ""€""",label\r\n1.5, -2e-3 ,"caf\u00e9, ""the\r\nbest"""\r\n\r\n3,4,\u{1F600} smile\r5,6e1,plain\n';
  const bytes = utf8.encode(text);
  const options: CsvOptions = { file: 'cuts.csv', dtype: 'float64' };
  const whole = outcome(() => parseCsv(text, options));

  it('reads the text as expected in one piece', () => {
    expect(whole).toMatchObject({
      featureNames: ['x', 'y "€"'],
      classNames: ['caf\u00e9, "the\r\nbest"', 'plain', '\u{1F600} smile'],
      inputs: [
        [3, 2],
        [1.5, -0.002, 3, 4, 5, 60],
      ],
    });
  });

  it('one cut at every byte, and two cuts at every pair of bytes', () => {
    for (let i = 0; i <= bytes.length; i++) {
      expect(
        outcome(() => cutBytes(bytes, [i], options)),
        `cut at ${i}`,
      ).toEqual(whole);
    }
    for (let i = 0; i <= bytes.length; i += 3) {
      for (let j = i; j <= bytes.length; j++) {
        expect(
          outcome(() => cutBytes(bytes, [i, j], options)),
          `cuts at ${i}, ${j}`,
        ).toEqual(whole);
      }
    }
  });

  it('chunks of every size from 1 byte up', () => {
    for (let size = 1; size <= bytes.length; size++) {
      expect(
        outcome(() => byteChunks(bytes, size, options)),
        `${size} bytes`,
      ).toEqual(whole);
    }
  });

  it('errors on a chunk boundary: the same sentence wherever the cut falls', () => {
    const broken = [
      'x,"y ""q"""\r\n1,"2\r\n3,4\r\n', // a quoted cell never closed
      'x,y\r\n1,"2"3\r\n', // text after a closing quote
      'x,y\r\n1,2\r\n\u00e9\u20ac,4\r\n', // multi-byte text in a number column
      'x,y\r1,2\r3\r', // a short row after lone-CR line ends
      'x,y\r\n1,2\r\n3,4,5\r\n', // a long row after CRLF
      // every other error, behind a quoted multi-byte header name and CRLF line ends
      '"\u00e9\u20ac",y\r\n1,2\r\n3\r\n', // a short row
      '"\u00e9\u20ac",y\r\n1,2\r\nNaN,4\r\n', // NaN
      '"\u00e9\u20ac",y\r\n1,2\r\n3,-Infinity\r\n', // infinite
      '"\u00e9\u20ac",y\r\n1,"1e999"\r\n', // past float64
      '"\u00e9\u20ac",y\r\n1,\r\n', // an empty cell
      '"\u00e9\u20ac",y,"\u00e9\u20ac"\r\n1,2,3\r\n', // a duplicate name
      '"\u00e9\u20ac",,y\r\n1,2,3\r\n', // a missing name
      '"\u00e9\u20ac",kind\r\n1,"\u{1F600}"\r\n2, \r\n', // an empty label after a 4-byte one
      '"\u00e9\u20ac",y\r\n', // a header without rows
      '\r\n \r\n', // empty
      '"\u00e9\u20ac",y\r\n1,2\r\n3,"4\r\n', // a quote never closed, on the last line
    ];
    for (const bad of broken) {
      const badBytes = utf8.encode(bad);
      const expected = outcome(() => parseCsv(bad, options));
      expect(expected).toHaveProperty('code', 'E_CSV');
      for (let i = 0; i <= badBytes.length; i++) {
        expect(
          outcome(() => cutBytes(badBytes, [i], options)),
          `${JSON.stringify(bad)} cut at ${i}`,
        ).toEqual(expected);
      }
    }
  });
});

describe('parseCsvStream', () => {
  const text = 'petal,kind\n1.5,rose\n0.5,tulip\n';

  it('reads a Blob, a ReadableStream, and iterables of bytes or text', async () => {
    const expected = outcome(() => parseCsv(text, { file: 'f.csv' }));
    const bytes = utf8.encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4) controller.enqueue(bytes.slice(i, i + 4));
        controller.close();
      },
    });
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.slice(i, i + 3);
    }
    const sources = [new Blob([text]), stream, chunks(), ['petal,ki', 'nd\n1.5,rose', '\n0.5,tulip\n']];
    for (const source of sources) {
      const ds = await parseCsvStream(source, { file: 'f.csv' });
      expect(outcome(() => ds)).toEqual(expected);
    }
  });

  it('refuses malformed input with the sentence parseCsv gives', async () => {
    await expect(parseCsvStream(new Blob(['a,b\nx,1\n']), { file: 'f.csv' })).rejects.toThrow(
      "f.csv, line 2, column 'a': the cell 'x' is not a number",
    );
  });
});

describe('encodings of bytes', () => {
  it('refuses bytes that are not UTF-8, naming the line and the byte offset, wherever the chunks end', () => {
    // 'caf\xE9' written in Latin-1: 0xE9 starts a 3-byte UTF-8 sequence that 'm' does not continue
    const bytes = Uint8Array.from([...utf8.encode('x,kind\n1,tea\n2,caf'), 0xe9, ...utf8.encode('m\n')]);
    const message =
      "data.csv, line 3: the byte 0xE9 at byte offset 18 is not valid UTF-8 here; save the file as UTF-8, or read it as Latin-1 (encoding 'latin1', --encoding latin1 in the CLI).";
    for (let size = 1; size <= bytes.length; size++) {
      const e = refusal(() => byteChunks(bytes, size, { file: 'data.csv' }));
      expect(e.code).toBe('E_CSV');
      expect(e.message, `${size} bytes`).toBe(message);
    }
    // with CRLF line ends, each CRLF counted once wherever the chunks cut it
    const crlf = Uint8Array.from([...utf8.encode('x,kind\r\n1,tea\r\n2,caf'), 0xe9, ...utf8.encode('m\r\n')]);
    for (let size = 1; size <= crlf.length; size++) {
      expect(refusal(() => byteChunks(crlf, size, { file: 'data.csv' })).message, `${size} bytes`).toBe(
        message.replace('offset 18', 'offset 20'),
      );
    }
    // a character cut short by the end of the file, a lone continuation byte, an overlong form, a surrogate
    for (const [bad, offset] of [
      [[0xe2, 0x82], 9],
      [[0x80], 9],
      [[0xc0, 0xaf], 9],
      [[0xed, 0xa0, 0x80], 9],
    ] as const) {
      const input = Uint8Array.from([...utf8.encode('x,y\n1,2\n3'), ...bad]);
      expect(refusal(() => byteChunks(input, 2, { file: 'd.csv' })).message).toMatch(
        new RegExp(`^d\\.csv, line 3: the byte 0x.. at byte offset ${offset} is not valid UTF-8 here;`),
      );
    }
  });

  it('an earlier row error comes before later invalid bytes', () => {
    const bytes = Uint8Array.from([...utf8.encode('x,y\n1,2\nz,1\n2,3'), 0xff, 0x0a]);
    expect(refusal(() => byteChunks(bytes, 64, { file: 'd.csv' })).message).toMatch(
      /^d\.csv, line 3, column 'x': the cell 'z' is not a number/,
    );
  });

  it('refuses a UTF-16 file by its byte-order mark or its zero bytes', () => {
    const codes = Array.from('x,y\n1,2\n', (c) => c.charCodeAt(0));
    const utf16le = Uint8Array.from([0xff, 0xfe, ...codes.flatMap((c) => [c, 0])]);
    const utf16be = Uint8Array.from([0xfe, 0xff, ...codes.flatMap((c) => [0, c])]);
    for (const bytes of [utf16le, utf16be]) {
      for (const size of [1, 2, 64]) {
        expect(refusal(() => byteChunks(bytes, size, { file: 'u.csv' })).message).toBe(
          'u.csv is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 (in a spreadsheet: CSV UTF-8) and read it again.',
        );
      }
    }
    expect(refusal(() => byteChunks(utf16be.subarray(2), 64, { file: 'u.csv' })).message).toMatch(
      /^u\.csv looks like UTF-16 or binary data/,
    );
  });

  it('reads Latin-1 with encoding latin1: café and cafè stay two classes', () => {
    const bytes = Uint8Array.from([
      ...utf8.encode('x,drink\n1,caf'),
      0xe9,
      ...utf8.encode('\n2,caf'),
      0xe8,
      ...utf8.encode('\n3,caf'),
      0xe9,
      0x0a,
    ]);
    for (const size of [1, 3, 64]) {
      const ds = byteChunks(bytes, size, { encoding: 'latin1' });
      expect(ds.classNames).toEqual(['caf\u00e8', 'caf\u00e9']);
      expect(ds.targets.toNested()).toEqual([
        [0, 1],
        [1, 0],
        [0, 1],
      ]);
    }
    expect(() => byteChunks(bytes, 64)).toThrow(/not valid UTF-8/);
    expect(() => parseCsv('x,y\n1,2\n', { encoding: 'ebcdic' as 'latin1' })).toThrow(
      'parseCsv: the encoding must be utf-8 or latin1, but it is "ebcdic".',
    );
  });

  it('keeps a UTF-8 byte-order mark out of the first column name, and U+FEFF elsewhere as a character', () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8.encode('x,kind\n1,a\uFEFFa\n2,b\n')]);
    for (const size of [1, 2, 3, 4, 64]) {
      const ds = byteChunks(bytes, size);
      expect(ds.featureNames).toEqual(['x']);
      expect(ds.classNames).toEqual(['a\uFEFFa', 'b']);
    }
  });
});

describe.each(csvEntries)('gaps closed (%s)', (_door, parse) => {
  it('a number past the float32 range is refused when stored as float32, and read as float64', () => {
    const text = 'x,y\n1,0\n1e39,1\n';
    expect(refusal(() => parse(text, { file: 'big.csv' })).message).toBe(
      "big.csv, line 3, column 'x': the cell '1e39' is out of range for float32 data, whose largest number is about 3.4e38; read the data as float64 (dtype 'float64', --dtype float64 in the CLI) or rescale the column.",
    );
    expect(Array.from(parse(text, { dtype: 'float64' }).inputs.data)).toEqual([1, 1e39]);
    // the largest float32, and the largest number that rounds to it, are stored; one more ulp of float64 is not
    const max = parse('x,y\n3.4028234663852886e38,0\n-3.4028235677973362e38,1\n');
    expect(Array.from(max.inputs.data)).toEqual([3.4028234663852886e38, -3.4028234663852886e38]);
    expect(() => parse('x,y\n0,3.4028235677973366e38\n')).toThrow(/column 'y': .* out of range for float32/);
  });

  it('lone CR line ends (old Mac files) are line ends, inside quotes kept as text', () => {
    const ds = parse('x,kind\r1,"two\rlines"\r\r3,plain\r');
    expect(ds.inputs.toNested()).toEqual([[1], [3]]);
    expect(ds.classNames).toEqual(['plain', 'two\rlines']);
    const options = { file: 'mac.csv', target: 'y', features: ['x'] };
    expect(refusal(() => parse('x,y,note\r1,2,"a\rb"\r\r4,z,c\r', options)).message).toBe(
      "mac.csv, line 5, column 'y': the cell 'z' is not a number; feature and numeric target cells must be decimal numbers such as 3, -0.5 or 1e-3.",
    );
  });

  it('arrays are sized by the rows read: 5000 columns, one row and many blank lines', () => {
    const header = Array.from({ length: 5000 }, (_, j) => `c${j}`).join(',');
    const row = Array.from({ length: 5000 }, (_, j) => j % 7).join(',');
    const ds = parse(`${header}\n${row}\n${'\n'.repeat(20_000)}`);
    expect(ds.inputs.shape).toEqual([1, 4999]);
    expect(ds.inputs.data.buffer.byteLength).toBe(4999 * 4);
    expect(ds.targets.data.buffer.byteLength).toBe(4);
  });

  it('a label column with more than 1000 different labels is refused (one-hot would be rows x labels)', () => {
    const rows = Array.from({ length: 1001 }, (_, i) => `${i},id${i}`).join('\n');
    expect(refusal(() => parse(`x,id\n${rows}\n`, { file: 'ids.csv' })).message).toBe(
      "ids.csv, line 1002, column 'id': the column holds more than 1000 different class labels, so it looks like an identifier or free text; choose a column of classes as target.",
    );
    expect(parse(`x,id\n${rows.split('\n').slice(0, 1000).join('\n')}\n`).classNames).toHaveLength(1000);
  });
});

describe('room reserved from the input size', () => {
  function sized(text: string, chunk: number): Dataset {
    const bytes = utf8.encode(text);
    const reader = new CsvReader({ dtype: 'float64' });
    reader.expectBytes(bytes.length);
    for (let i = 0; i < bytes.length; i += chunk) reader.bytes(bytes.subarray(i, i + chunk));
    return reader.end();
  }

  it('gives the same dataset whether the estimate holds, falls short or overshoots', () => {
    const even = `i,x\n${Array.from({ length: 100_000 }, (_, i) => `${i % 10},${100_000 + i}`).join('\n')}\n`;
    // long rows first, then short ones (the estimate falls short), and the other way round (it overshoots)
    const shrinking = `i,x\n${Array.from({ length: 40_000 }, (_, i) => (i < 20_000 ? `${i}.123456789,1` : '1,2')).join('\n')}\n`;
    const growing = `i,x\n${Array.from({ length: 40_000 }, (_, i) => (i < 20_000 ? '1,2' : `${i}.123456789,1`)).join('\n')}\n`;
    for (const text of [even, shrinking, growing]) {
      for (const chunk of [999, 1 << 20]) {
        const ds = sized(text, chunk);
        expect(outcome(() => ds)).toEqual(outcome(() => parseCsv(text, { dtype: 'float64' })));
      }
    }
    // where the estimate holds, the rows are kept where they were first written (no copy at the end)
    const ds = sized(even, 4096);
    expect(ds.inputs.data.length).toBe(100_000);
    expect(ds.inputs.data.buffer.byteLength).toBeGreaterThan(100_000 * 8);
    expect(ds.inputs.data.buffer.byteLength).toBeLessThan((100_000 * 8) / 0.8);
  }, 60_000);
});
