import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { helpExample } from './help-example.js';

function at(columns: number): ReturnType<typeof yargs> {
  const parser = yargs([]);
  parser.terminalWidth = () => columns;
  return parser;
}

describe('help examples', () => {
  it('puts a short example and its description on one line', () => {
    expect(helpExample(at(120), '$0 train', 'the default network')).toEqual([
      '$0 train   # the default network',
      '',
    ]);
  });

  it('puts the description above a long command, broken between its flags to fit', () => {
    const [text, description] = helpExample(
      at(60),
      '$0 train --data spiral --layers 8,8 --activation tanh --dashboard',
      'watch it in the browser',
    );
    expect(description).toBe('');
    expect(text).toBe(
      '# watch it in the browser\n$0 train --data spiral --layers 8,8 \\\n--activation tanh --dashboard',
    );
    for (const line of text.replace(/\$0/g, 'deltaflow').split('\n'))
      expect(line.length + 2).toBeLessThan(60);
  });
});
