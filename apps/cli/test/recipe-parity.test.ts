// One run description, three ways to run it: the library (here), `deltaflow train --config RUN.json` and the
// same run as flags give the same final weights, bit for bit; the CLI refuses what the library refuses, with the
// library's message. The dashboard's worker is checked against the same description in apps/dashboard/test.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelJSON } from '@deltaflow/network';
import { prepareRun, train } from '@deltaflow/trainer';
import type { EndEvent, RunDescription, TrainingEvent } from '@deltaflow/trainer';
import { filter, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

const parity = JSON.parse(
  readFileSync(new URL('../../../packages/trainer/src/recipe/parity-run.json', import.meta.url), 'utf8'),
) as RunDescription;

/** sha256 of a model file's weights and biases, layer by layer. */
const weightsHash = (model: Pick<ModelJSON, 'layers'> | ModelFile): string =>
  createHash('sha256')
    .update(JSON.stringify(model.layers.map((l) => ('weights' in l ? [l.weights, l.bias] : l))))
    .digest('hex');

/** The final weights' hash of a description, trained by the library in this process. */
async function libraryHash(description: RunDescription): Promise<string> {
  const run = await prepareRun(description);
  const end = await lastValueFrom(
    train(run.model, run.train, run.trainOptions).pipe(
      filter((e: TrainingEvent): e is EndEvent => e.type === 'end'),
    ),
  );
  return weightsHash(end.model);
}

/** The description as `deltaflow train` flags. */
function flagsOf(d: RunDescription): string[] {
  const optimizer = typeof d.optimizer === 'object' ? d.optimizer : { name: d.optimizer, options: {} };
  const flags: Record<string, unknown> = {
    ...d,
    optimizer: optimizer.name,
    ...optimizer.options,
    layers: d.layers?.join(','),
  };
  return Object.entries(flags).flatMap(([key, value]) => {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return value === true ? [flag] : value === undefined ? [] : [flag, String(value)];
  });
}

const dir = tempDir();

describe('the run recipe in the CLI', () => {
  it('trains the shared description to the library weights, from --config RUN.json and from flags', async () => {
    const expected = await libraryHash(parity);
    writeFiles(dir, { 'run.json': JSON.stringify(parity) });
    const fromConfig = await runCli(
      ['train', '--config', 'run.json', '--save', 'config.json', '--quiet'],
      dir,
    );
    expect(fromConfig.stderr).toBe('');
    expect(fromConfig.code).toBe(0);
    expect(weightsHash(readJson<ModelFile>(dir, 'config.json'))).toBe(expected);

    const flags = flagsOf(parity);
    expect(flags).toContain('--validation-split');
    const fromFlags = await runCli(['train', ...flags, '--save', 'flags.json', '--quiet'], dir);
    expect(fromFlags.code).toBe(0);
    expect(weightsHash(readJson<ModelFile>(dir, 'flags.json'))).toBe(expected);
  });

  it('refuses cross-entropy on one output with the library message (exit code 2)', async () => {
    const description: RunDescription = { ...parity, loss: 'cross-entropy' };
    const message = await prepareRun(description).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/^The loss cross-entropy needs one-hot targets/);
    writeFiles(dir, { 'bad.json': JSON.stringify(description) });
    const { code, stderr } = await runCli(['train', '--config', 'bad.json', '--save', 'bad-model.json'], dir);
    // the same sentence, its option named as the flag
    expect(stderr).toBe(`deltaflow: ${message.replace('`targetType`', '--target-type')}\n`);
    expect(code).toBe(2);
  });

  it('speaks of flags where the library speaks of options', async () => {
    const { code, stderr } = await runCli(['train', '--data', 'xor', '--validation-split', '0.1'], dir);
    expect(stderr).toBe(
      'deltaflow: --validation-split 0.1 holds out no rows of the 4 in xor; use a larger fraction.\n',
    );
    expect(code).toBe(2);
    const target = await runCli(['train', '--data', 'iris', '--target', 'species'], dir);
    expect(target.stderr).toBe(
      "deltaflow: --target applies to CSV data; the built-in dataset 'iris' has its own targets.\n",
    );
  });

  it("maps the option names of a diverged run's hint to flags", async () => {
    writeFiles(dir, { 'linear.csv': 'a,b,y\n1,2,10\n3,4,20\n5,6,30\n7,8,40\n' });
    const args = ['--data', 'linear.csv', '--layers', '8', '--activation', 'relu', '--batch-size', '4'];
    const { code, stderr } = await runCli(
      ['train', ...args, '--lr', '1e6', '--epochs', '1000', '--quiet'],
      dir,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /diverged after .* try a smaller learning rate \(--lr\), scaling the inputs \(--normalize\)/,
    );
  });
});
