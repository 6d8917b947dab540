// The terminal view, run under a pseudo-terminal (util-linux `script`): the progress line is redrawn in place,
// then the loss chart and the summary tables follow.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bin, tempDir } from './helpers.js';

const SCRIPT = '/usr/bin/script';

describe('terminal output', () => {
  it('needs util-linux script', () => {
    expect(existsSync(SCRIPT), `${SCRIPT} (util-linux) is missing: the pseudo-terminal test cannot run`).toBe(
      true,
    );
  });

  it('updates the progress bar in place, then draws the loss chart and the summary', async () => {
    const dir = tempDir();
    const command = `'${process.execPath}' '${bin}' train --epochs 3000`;
    const { stdout } = await promisify(execFile)(SCRIPT, ['-qfec', command, '/dev/null'], {
      cwd: dir,
      env: { ...process.env, TERM: 'xterm' },
    });
    // eslint-disable-next-line no-control-regex -- the escape sequence that moves the cursor back is the point
    const redraws = stdout.split(/\x1b\[1G|\r(?!\n)/).filter((part) => /^epoch +\d+\/3000 /.test(part));
    expect(redraws.length).toBeGreaterThanOrEqual(2); // at least the first and the last state, on the same line
    // 80 columns (the pseudo-terminal does not say): the line is laid out to fit them (test/width.test.ts)
    expect(redraws.at(-1)).toMatch(/^epoch 3000\/3000 .* loss [\d.e-]+ +acc 100% +[\d.,k]+ samples\/s +ETA/);
    expect(stdout).toContain('\x1b[?25l'); // the cursor is hidden while drawing...
    expect(stdout).toContain('\x1b[?25h'); // ...and shown again
    expect(stdout).toMatch(/training loss per epoch.*epochs 1 to 3000/);
    // eslint-disable-next-line no-control-regex -- the outcome is coloured on a terminal
    expect(stdout.replace(/\x1b\[\d+m/g, '')).toMatch(/result +│ +completed/);
  });
});
