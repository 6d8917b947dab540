import { describe, expect, it } from 'vitest';
import { checkCsv } from './csv-check.js';

describe('checkCsv', () => {
  it('says what a CSV holds with the chosen columns', () => {
    const csv = 'a,b,c,label\n1,2,3,0\n4,5,6,1\n7,8,9,1\n';
    expect(checkCsv({ id: 3, csv, file: 'f.csv', target: 'label', features: ['c', 'a'] })).toEqual({
      id: 3,
      ok: true,
      rows: 3,
      task: 'classification',
      classes: 2,
    });
    expect(checkCsv({ id: 4, csv, file: 'f.csv', target: 'c', features: ['a'] })).toMatchObject({
      ok: true,
      task: 'regression',
      classes: null,
    });
  });

  it("gives the parser's one sentence for a bad row or column", () => {
    const csv = 'a,b,label\n1,2,0\n3,x,1\n';
    expect(checkCsv({ id: 1, csv, file: 'f.csv', target: 'label', features: ['a', 'b'] })).toEqual({
      id: 1,
      ok: false,
      message:
        "f.csv, line 3, column 'b': the cell 'x' is not a number; feature and numeric target cells must be decimal numbers such as 3, -0.5 or 1e-3.",
    });
    expect(checkCsv({ id: 2, csv, file: 'f.csv', target: 'nope', features: ['a'] })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^f\.csv, line 1 \(the header\) has no column 'nope' to use as target/),
    });
  });
});
