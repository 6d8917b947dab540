// `deltaflow dashboard --replay FILE`: a malformed recording is refused with one line naming its line number
// (no stack trace, exit 1) before anything is served; a byte order mark and a cut last line are tolerated with
// one warning line each, and the replay is served.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, runCli, tempDir } from './helpers.js';

/** Records a 30-epoch xor run to run.jsonl in a fresh folder; returns the folder and the file's lines. */
async function recorded(): Promise<{ dir: string; lines: string[] }> {
  const dir = tempDir();
  const result = await runCli(
    ['train', '--data', 'xor', '--epochs', '30', '--quiet', '--events', 'run.jsonl'],
    dir,
  );
  expect(result.code).toBe(0);
  return { dir, lines: readFileSync(join(dir, 'run.jsonl'), 'utf8').trimEnd().split('\n') };
}

describe('deltaflow dashboard --replay, reading the file', () => {
  it('refuses a malformed recording in one line naming the line number, exit 1', async () => {
    const { dir, lines } = await recorded();
    const at = lines.findIndex((line) => line.startsWith('{"type":"epoch","epoch":12,'));
    lines[at] = '{"type":"epoch","epoch":12}';
    writeFileSync(join(dir, 'bad.jsonl'), `${lines.join('\n')}\n`);
    const result = await runCli(['dashboard', '--replay', 'bad.jsonl'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `deltaflow: bad.jsonl: line ${at + 1}: the epoch event's loss must be a number, got nothing; the file was edited or is not a recording written by train --events.\n`,
    );
    expect(result.stderr).not.toMatch(/\bat \S+:\d+/); // no stack trace

    writeFileSync(
      join(dir, 'two.jsonl'),
      `${lines.join('\n')}\n${lines.join('\n')}\n`.replace(lines[at]!, ''),
    );
    const two = await runCli(['dashboard', '--replay', 'two.jsonl'], dir);
    expect(two.code).toBe(1);
    expect(two.stderr.trim().split('\n')).toHaveLength(1);
    expect(two.stderr).toMatch(/^deltaflow: two\.jsonl: line \d+ begins a second run/);
  }, 90_000);

  it('tolerates a BOM and a cut last line, one warning line each, then serves the replay', async () => {
    const { dir, lines } = await recorded();
    const last = lines.pop()!; // the end event
    writeFileSync(join(dir, 'cut.jsonl'), `\uFEFF${lines.join('\n')}\n${last.slice(0, 40)}`);
    const child = spawn(process.execPath, [bin, 'dashboard', '--replay', 'cut.jsonl'], { cwd: dir });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('dashboard: http')) resolve();
      });
      child.on('exit', () => reject(new Error(stderr)));
    });
    const url = /dashboard: (http\S+)/.exec(stderr)![1]!;
    expect((await fetch(url)).status).toBe(200);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr.split('\n').slice(0, 3)).toEqual([
      'deltaflow: cut.jsonl: the file begins with a byte order mark (BOM); it was skipped.',
      `deltaflow: cut.jsonl: line ${lines.length + 1} is cut short (the recording was interrupted while writing it); it was left out.`,
      'deltaflow: cut.jsonl: the recording has no end event (the run was cut short); it replays up to epoch 30.',
    ]);
  }, 90_000);
});
