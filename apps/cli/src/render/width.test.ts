import { describe, expect, it } from 'vitest';
import { middleEllipsis, terminalColumns, visibleLength, widestLine, wrapParts } from './width.js';

describe('terminal widths', () => {
  it('reads the terminal width, 80 when it does not say', () => {
    expect(terminalColumns({ columns: 120 })).toBe(120);
    expect(terminalColumns({})).toBe(80);
    expect(terminalColumns({ columns: 0 })).toBe(80);
  });

  it('measures lines without their colour codes', () => {
    expect(visibleLength('\x1b[31mred\x1b[39m')).toBe(3);
    expect(visibleLength('█░')).toBe(2);
    expect(widestLine('ab\n\x1b[1mabcd\x1b[22m\nabc')).toBe(4);
  });

  it('wraps between parts, never inside one', () => {
    const parts = [
      'iris: 120 samples + 30 for validation (normalized),',
      'model 4-8-3 (sigmoid, softmax) float32,',
    ];
    expect(wrapParts(parts, 200)).toBe(parts.join(' '));
    expect(wrapParts([...parts, '200000 epochs'], 60, 2)).toBe(`${parts[0]}\n  ${parts[1]} 200000 epochs`);
    for (const line of wrapParts([...parts, '200000 epochs'], 60, 2).split('\n')) {
      expect(line.length).toBeLessThanOrEqual(60);
    }
  });

  it('shortens paths in the middle', () => {
    expect(middleEllipsis('/home/user/models/iris.json', 16)).toBe('/home/us…is.json');
    expect(middleEllipsis('iris.json', 16)).toBe('iris.json');
  });
});
