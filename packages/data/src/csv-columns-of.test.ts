import { describe, expect, it } from 'vitest';
import { csvColumns } from './csv-columns-of.js';
import { parseCsv } from './csv.js';

describe('csvColumns', () => {
  it('reads the header row only, with the rules of parseCsv', () => {
    expect(csvColumns('\uFEFF\n\n a , "b, c" ,"d ""e"""\r\n1,2,x\nnot,read,at all\n')).toEqual([
      'a',
      'b, c',
      'd "e"',
    ]);
    expect(csvColumns('x;y\n1;2\n', { delimiter: ';' })).toEqual(['x', 'y']);
    const text = 'sepal,petal,species\n1,2,setosa\n';
    expect(csvColumns(text)).toEqual([...parseCsv(text).featureNames, 'species']);
  });

  it('refuses empty text and a broken header with one sentence naming the file', () => {
    expect(() => csvColumns('\n  \n', { file: 'mine.csv' })).toThrow(/^mine\.csv is empty; .*\.$/);
    expect(() => csvColumns('a,"b\n', { file: 'mine.csv' })).toThrow(
      "mine.csv, line 1, column '2': a quoted cell is never closed.",
    );
  });
});
