import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import type { CsvOptions } from './csv.js';
import { csvEntries } from './testing/csv-entries.js';

// Every test runs through every door into the parser: parseCsv on the whole string, and the streamed reader fed
// bytes or text a few at a time (so that chunk boundaries fall inside cells, quotes, line ends and characters).
describe.each(csvEntries)('%s', (_door, parseCsv) => {
  function refusal(text: string, options: CsvOptions = { file: 'data.csv' }): DeltaflowError {
    try {
      parseCsv(text, options);
    } catch (error) {
      if (error instanceof DeltaflowError) return error;
      throw error;
    }
    throw new Error('expected parseCsv to refuse the input');
  }

  describe('parseCsv refuses malformed input with one sentence naming file, line and column', () => {
    it('an empty file', () => {
      const e = refusal('');
      expect(e.code).toBe('E_CSV');
      expect(e.message).toBe(
        'data.csv is empty; a CSV file needs a header row of column names and rows of numbers below it.',
      );
      expect(refusal('\n \r\n\n').message).toMatch(/^data\.csv is empty/);
    });

    it('a header without rows', () => {
      expect(refusal('a,b,c\n\n').message).toBe(
        'data.csv has a header row but no data rows; add rows of numbers below the header.',
      );
    });

    it('a ragged row with too few cells', () => {
      expect(refusal('a,b,c\n1,2,3\n4,5\n').message).toBe(
        "data.csv, line 3: the row has 2 cells but the header has 3 columns, so column 'c' is missing; give every row one cell per column.",
      );
    });

    it('a ragged row of one cell, counted in the singular', () => {
      expect(refusal('a,b\n1,2\n3\n').message).toBe(
        "data.csv, line 3: the row has 1 cell but the header has 2 columns, so column 'b' is missing; give every row one cell per column.",
      );
    });

    it('a ragged row with too many cells', () => {
      expect(refusal('a,b\n1,2\n\n3,4,5,6\n').message).toBe(
        "data.csv, line 4: the row has 4 cells but the header has 2 columns; give every row one cell per column and quote cells that contain ','.",
      );
    });

    it('a non-numeric cell', () => {
      expect(refusal('x,y,t\n1,2,3\n4,five,6\n').message).toBe(
        "data.csv, line 3, column 'y': the cell 'five' is not a number; feature and numeric target cells must be decimal numbers such as 3, -0.5 or 1e-3.",
      );
      expect(refusal('x,y\n1,2\n1.2.3,4\n').message).toMatch(
        /^data\.csv, line 3, column 'x': the cell '1\.2\.3' is not/,
      );
      expect(refusal('x,y\n1,2\n0x10,4\n').message).toMatch(/column 'x': the cell '0x10' is not a number/);
      expect(refusal('x,y\n1,2\n3,\n').message).toBe(
        "data.csv, line 3, column 'y': the cell is empty; fill in a number or remove the row.",
      );
    });

    it('a NaN cell', () => {
      expect(refusal('x,y\n1,2\nNaN,4\n').message).toBe(
        "data.csv, line 3, column 'x': the cell 'NaN' is not a number (NaN); missing values are not allowed, so fill in a number or remove the row.",
      );
      expect(refusal('x,y\n1,nan\n').message).toMatch(
        /line 2, column 'y': the cell 'nan' is not a number \(NaN\)/,
      );
    });

    it('an Infinity cell, written or overflowing', () => {
      expect(refusal('x,y\n1,2\n3,-Infinity\n').message).toBe(
        "data.csv, line 3, column 'y': the cell '-Infinity' is infinite; use a finite number or remove the row.",
      );
      expect(refusal('x,y\n1e999,2\n').message).toBe(
        "data.csv, line 2, column 'x': the cell '1e999' is out of range: past the largest float64 number, about 1.8e308; use a smaller number (rescale the column) or remove the row.",
      );
      expect(refusal('x,y\n1,-1e400\n', { file: 'data.csv', dtype: 'float64' }).message).toMatch(
        /^data\.csv, line 2, column 'y': the cell '-1e400' is out of range: past the largest float64 number/,
      );
      expect(refusal('x,y\ninf,2\n').message).toMatch(/column 'x': the cell 'inf' is infinite/);
    });

    it('an unknown target column', () => {
      const e = refusal('x,y,label\n1,2,3\n', { file: 'data.csv', target: 'class' });
      expect(e.message).toBe(
        "data.csv, line 1 (the header) has no column 'class' to use as target; its columns are x, y, label.",
      );
      expect(refusal('x,y\n1,2\n', { file: 'd.csv', features: ['z'] }).message).toMatch(
        /no column 'z' to use as feature/,
      );
    });

    it('a header with a duplicate or missing name, or only target columns', () => {
      expect(refusal('x,y,x\n1,2,3\n').message).toBe(
        "data.csv, line 1 (the header): the column name 'x' appears twice (columns 1 and 3); give every column its own name.",
      );
      expect(refusal('x,,y\n1,2,3\n').message).toMatch(/column 2 has no name/);
      expect(refusal('y\n1\n').message).toMatch(/every column is a target, so no feature columns are left/);
    });

    it('an unclosed quote, and text after a closing quote', () => {
      expect(refusal('x,y\n1,"2\n3,4\n').message).toBe(
        "data.csv, line 2, column 'y': a quoted cell is never closed.",
      );
      expect(refusal('x,y\n1,"2"3\n').message).toBe(
        "data.csv, line 2, column 'y': there is text after the closing quote of a quoted cell.",
      );
    });

    it('text labels in more than one target column, and an empty label', () => {
      expect(refusal('x,a,b\n1,cat,dog\n', { file: 'data.csv', target: ['a', 'b'] }).message).toBe(
        "data.csv, line 2, column 'a': class labels need a single target column, but 2 were chosen; choose the label column alone as target.",
      );
      expect(refusal('x,kind\n1,cat\n2, \n').message).toBe(
        "data.csv, line 3, column 'kind': the class label is empty; give every row a label or remove it.",
      );
    });

    it('names the input when no file is given, and refuses a bad delimiter', () => {
      expect(refusal('x,y\nz,1\n', {}).message).toMatch(/^CSV input, line 2, column 'x'/);
      expect(() => parseCsv('x\n1\n', { delimiter: ';;' })).toThrow(/delimiter must be one character/);
    });
  });

  describe('parseCsv reads well-formed input', () => {
    it('numeric features and the last column as target, by default', () => {
      const ds = parseCsv('x1,x2,y\n0.5,-1,2.25\n1e2,+3,-4.5e-1\n', {
        file: 'dir/points.csv',
        dtype: 'float64',
      });
      expect(ds.name).toBe('points');
      expect(ds.task).toBe('regression');
      expect(ds.featureNames).toEqual(['x1', 'x2']);
      expect(ds.targetNames).toEqual(['y']);
      expect(ds.inputs.toNested()).toEqual([
        [0.5, -1],
        [100, 3],
      ]);
      expect(ds.targets.toNested()).toEqual([[2.25], [-0.45]]);
      expect(ds.classNames).toBeUndefined();
    });

    it('parses every number exactly as Number() does', () => {
      const cells = [
        '0.1',
        '-0.30000000000000004',
        '1.7976931348623157e308',
        '5e-324',
        '123456789012345678',
        '.5',
      ];
      cells.push(
        '5.',
        '-0',
        '0.000001',
        '1E+5',
        '  7  ',
        '9007199254740993',
        '2.2250738585072014e-308',
        '1e-400',
      );
      const ds = parseCsv(`v,t\n${cells.map((c) => `${c},0`).join('\n')}`, { dtype: 'float64' });
      expect(Array.from(ds.inputs.data)).toEqual(cells.map(Number));
      expect(Object.is(ds.inputs.data[7], -0)).toBe(true);
      const random = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 1000003) / 997 - 500);
      const text = `v,t\n${random.map((v) => `${v},${v.toExponential(i3(v))}`).join('\n')}\n`;
      const parsed = parseCsv(text, { dtype: 'float64' });
      expect(Array.from(parsed.inputs.data)).toEqual(random);
      expect(Array.from(parsed.targets.data)).toEqual(random.map((v) => Number(v.toExponential(i3(v)))));
    });

    it('named target columns, feature selection and order, and no target for predictions', () => {
      const text = 'a,b,c,d\n1,2,3,4\n5,6,7,8\n';
      const ds = parseCsv(text, { target: ['d', 'a'] });
      expect(ds.featureNames).toEqual(['b', 'c']);
      expect(ds.targetNames).toEqual(['d', 'a']);
      expect(ds.targets.toNested()).toEqual([
        [4, 1],
        [8, 5],
      ]);
      const picked = parseCsv(text, { target: 'a', features: ['c', 'b'] });
      expect(picked.inputs.toNested()).toEqual([
        [3, 2],
        [7, 6],
      ]);
      const inputsOnly = parseCsv(text, { target: [] });
      expect(inputsOnly.inputs.shape).toEqual([2, 4]);
      expect(inputsOnly.targets.shape).toEqual([2, 0]);
    });

    it('0/1 targets make a classification set, overridable with task', () => {
      const ds = parseCsv('x,y\n1,0\n2,1\n3,1\n');
      expect(ds.task).toBe('classification');
      expect(ds.classNames).toEqual(['0', '1']);
      const oneHot = parseCsv('x,cat,dog\n1,1,0\n2,0,1\n', { target: ['cat', 'dog'] });
      expect(oneHot.classNames).toEqual(['cat', 'dog']);
      expect(parseCsv('x,y\n1,0\n2,1\n', { task: 'regression' }).classNames).toBeUndefined();
    });

    it('a text target column one-hot encoded, with its sorted class names kept', () => {
      const ds = parseCsv('len,species\n1.4,virginica\n0.2,setosa\n3.3,versicolor\n0.3,setosa\n', {
        file: 'iris.csv',
      });
      expect(ds.task).toBe('classification');
      expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(ds.targetNames).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(ds.targets.toNested()).toEqual([
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
        [1, 0, 0],
      ]);
    });

    it('numeric labels one-hot with categorical, sorted as numbers', () => {
      const ds = parseCsv('p,digit\n0,10\n1,9\n0,2\n', { categorical: true });
      expect(ds.classNames).toEqual(['2', '9', '10']);
      expect(ds.targets.toNested()).toEqual([
        [0, 0, 1],
        [0, 1, 0],
        [1, 0, 0],
      ]);
    });

    it('quoted fields with delimiters, doubled quotes and line breaks; CRLF, BOM, blank lines', () => {
      const text = '\uFEFF"x, first","y"\r\n"1.5", 2 \r\n\r\n3,"4"\r\n';
      const ds = parseCsv(text);
      expect(ds.featureNames).toEqual(['x, first']);
      expect(ds.inputs.toNested()).toEqual([[1.5], [3]]);
      expect(ds.targets.toNested()).toEqual([[2], [4]]);
      const labels = parseCsv('x,name\n1,"say ""hi"""\n2,"two\nlines"\n3,plain\n');
      expect(labels.classNames).toEqual(['plain', 'say "hi"', 'two\nlines']);
      expect(refusal('x,y\n"a\nb",1\n2,z\n').message).toMatch(
        /^data\.csv, line 2, column 'x': the cell 'a\nb'/,
      );
      expect(refusal('x,y\n"1\n",1\n2,z\n').message).toMatch(/^data\.csv, line 4, column 'y'/);
    });

    it('another delimiter, and float32 by default', () => {
      const ds = parseCsv('a;b\n0.1;2\n', { delimiter: ';' });
      expect(ds.inputs.dtype).toBe('float32');
      expect(ds.inputs.data[0]).toBe(Math.fround(0.1));
    });

    it('sizes its arrays exactly, with or without a final newline or blank lines', () => {
      const rows = Array.from({ length: 5000 }, (_, i) => `${i},${i % 2}`);
      for (const text of [
        `i,odd\n${rows.join('\n')}`,
        `i,odd\n${rows.join('\n')}\n`,
        `i,odd\n\n${rows.join('\n\n')}\n\n`,
      ]) {
        const ds = parseCsv(text);
        expect(ds.inputs.rows).toBe(5000);
        expect(ds.inputs.data.buffer.byteLength).toBe(5000 * 4);
        expect(ds.targets.data.buffer.byteLength).toBe(5000 * 4);
        expect(ds.inputs.get(4999)).toBe(4999);
      }
    });
  });
});

function i3(v: number): number {
  return Math.abs(v) < 1 ? 10 : 14;
}
