// Ctrl-C during a long run: training stops after the current batch, the model is saved, the summary printed,
// and the exit code is 130.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, readJson, tempDir } from './helpers.js';
import type { ModelFile } from './helpers.js';

describe('SIGINT', () => {
  it('saves the model and exits 130', async () => {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [bin, 'train', '--epochs', '100000000', '--save', 'model.json', '--events', 'run.jsonl'],
      { cwd: dir },
    );
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!sent && /^epoch +1\/100000000 /m.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    expect(sent).toBe(true);
    expect([code, signal]).toEqual([130, null]);
    expect(stderr).toMatch(
      /^deltaflow: interrupted; training stopped after \d+ epochs? and the model was saved to model\.json\.\n$/,
    );
    expect(stdout).toMatch(/result +│ +stopped \(Ctrl-C\)/);

    const saved = readJson<ModelFile>(dir, 'model.json');
    expect(saved.format).toBe('deltaflow-model');
    expect(saved.meta).toMatchObject({ reason: 'stopped' });
    const events = readFileSync(join(dir, 'run.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(events.at(-1)!)).toMatchObject({ type: 'end', reason: 'stopped' });
  });
});
