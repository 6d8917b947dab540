import { createColors } from 'picocolors';
import { describe, expect, it } from 'vitest';
import { colorEnabled, outcomeColor, paintError } from './colors.js';

describe('colour', () => {
  it('colours terminals only, honouring NO_COLOR and FORCE_COLOR', () => {
    expect(colorEnabled({ env: {}, isTTY: true })).toBe(true);
    expect(colorEnabled({ env: {}, isTTY: false })).toBe(false);
    expect(colorEnabled({ env: {}, isTTY: undefined })).toBe(false);
    expect(colorEnabled({ env: { TERM: 'dumb' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(colorEnabled({ env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(colorEnabled({ env: { FORCE_COLOR: '0' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { CI: 'true' }, isTTY: false })).toBe(false);
  });

  it('paints the error line red and the outcomes by how they went', () => {
    const on = createColors(true);
    expect(paintError('deltaflow: bad.\nstack', on)).toBe('\x1b[31mdeltaflow: bad.\x1b[39m\nstack');
    expect(paintError('deltaflow: bad.\n', createColors(false))).toBe('deltaflow: bad.\n');
    expect(outcomeColor('completed', on)('x')).toBe(on.green('x'));
    expect(outcomeColor('diverged', on)('x')).toBe(on.red('x'));
    expect(outcomeColor('stopped', on)('x')).toBe(on.yellow('x'));
    expect(outcomeColor('early-stopped', on)('x')).toBe(on.yellow('x'));
  });
});
