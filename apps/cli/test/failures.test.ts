// Failures in a real process: a write error during --events under a file size limit, and a bug (a TypeError)
// reported as an internal error rather than relabelled as the user's mistake.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, readJson, runCli, runProcess, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

describe('failures in a real process', () => {
  it('a write error during --events (ulimit -f 8): one line on stderr, the model still saved, exit code 1', async () => {
    const dir = tempDir();
    // 8 KB: the 2,000 epochs of events (about 1 MB) cannot be written; the model file (about 2 KB) can.
    const { code, signal, stdout, stderr } = await runProcess(
      'bash',
      [
        '-c',
        `ulimit -f 8; exec "${process.execPath}" "${bin}" train --quiet --events big.jsonl --save m.json`,
      ],
      dir,
    );
    expect(signal).toBeNull();
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      'deltaflow: --events: Cannot write big.jsonl: the file is larger than the file system or a file size limit (ulimit -f) allows (EFBIG); training went on and the model was saved to m.json.',
      '',
    ]);
    expect(code).toBe(1);
    expect(readdirSync(dir)).toEqual(['m.json']); // no events file, no temporary file left
    const model = readJson<ModelFile>(dir, 'm.json');
    expect(model).toMatchObject({ format: 'deltaflow-model', meta: { reason: 'completed', epochs: 2000 } });
    expect(model.layers.map((l) => [l.inputs, l.units])).toEqual([
      [2, 4],
      [4, 1],
    ]);
    // A complete, valid model: the CLI loads it and predicts with it.
    const predicted = await runCli(['predict', '--model', 'm.json', '--input', '0,1', '--json'], dir);
    expect(predicted.stderr).toBe('');
    expect(predicted.code).toBe(0);
    expect(existsSync(join(dir, 'big.jsonl'))).toBe(false);
  });

  it('a bug (a TypeError thrown by a plugin during training) is exit code 70, naming the plugin, its stack under --verbose', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'buggy.mjs': `let calls = 0;
export default {
  name: 'buggy-plugin',
  activations: [{ name: 'buggy', f: (x) => { if (++calls > 5000) null.boom(); return x; }, df: () => 1 }],
};
`,
    });
    const args = ['train', '--plugin', './buggy.mjs', '--activation', 'buggy', '--quiet', '--save', 'm.json'];
    const plain = await runCli(args, dir);
    expect(plain.code).toBe(70);
    expect(plain.stderr).toMatch(
      /^deltaflow: The activation 'buggy' of the plugin 'buggy-plugin' failed: its f threw TypeError: [^\n]*; fix the plugin, or run without it\.\n$/,
    );
    const verbose = await runCli([...args, '--verbose'], dir);
    expect(verbose.code).toBe(70);
    expect(verbose.stderr).toMatch(
      /^deltaflow: The activation 'buggy' of the plugin [^\n]*\n(.*\n)*Caused by: TypeError: [^\n]*\n +at [^\n]*buggy\.mjs/,
    );
    expect(existsSync(join(dir, 'm.json'))).toBe(false);
  });
});
