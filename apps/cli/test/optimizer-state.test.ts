// Optimizer state in plain model files (issue 18, item 12): `train --save FILE --save-optimizer-state` stores the
// optimizer's state in meta.optimizerState, `--init FILE` restores it, so 100 + 100 epochs of a stateful plugin
// optimizer (adabelief) end exactly where 200 epochs in one run end; without the state, --init warns once.
import { describe, expect, it } from 'vitest';
import { lastLine, readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

// AdaBelief (Zhuang et al. 2020) as a third party writes it: a plain module, nothing imported.
const adabelief = `export default {
  name: 'adabelief-plugin',
  optimizers: [
    {
      name: 'adabelief',
      defaults: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-16 },
      init: (size) => ({ m: new Float64Array(size), s: new Float64Array(size) }),
      update: (param, grad, state, o, step) => {
        const c1 = 1 - o.beta1 ** step;
        const c2 = 1 - o.beta2 ** step;
        for (let i = 0; i < param.length; i++) {
          const g = grad[i];
          state.m[i] = o.beta1 * state.m[i] + (1 - o.beta1) * g;
          const d = g - state.m[i];
          state.s[i] = o.beta2 * state.s[i] + (1 - o.beta2) * d * d + o.eps;
          param[i] -= (o.lr * (state.m[i] / c1)) / (Math.sqrt(state.s[i] / c2) + o.eps);
        }
      },
    },
  ],
};
`;

const dir = tempDir('deltaflow-optimizer-state-');
writeFiles(dir, { 'adabelief.mjs': adabelief });
// The same rows in the same order in both runs: no shuffling (a second run's shuffles start again from the seed;
// --checkpoint and --resume continue those too). The batch size is xor's default (1) in both: --init takes the
// file's meta.batchSize, where the file's data alone would default to the whole set.
const common = ['--plugin', './adabelief.mjs', '--optimizer', 'adabelief', '--no-shuffle', '--json'];

interface Summary {
  loss: number;
  epochs: number;
}

async function train(args: string[]): Promise<{ summary: Summary; stderr: string }> {
  const result = await runCli(['train', ...args], dir);
  expect(result.stderr === '' || result.code === 0, result.stderr).toBe(true);
  expect(result.code).toBe(0);
  return { summary: JSON.parse(lastLine(result.stdout)) as Summary, stderr: result.stderr };
}

describe('optimizer state in the model file', () => {
  it('200 adabelief epochs in one run equal 100 + --save-optimizer-state + --init + 100, bit for bit', async () => {
    const whole = await train([...common, '--epochs', '200', '--save', 'whole.json']);
    const first = await train([
      ...common,
      '--epochs',
      '100',
      '--save',
      'first.json',
      '--save-optimizer-state',
    ]);
    expect(first.stderr).toBe('');
    const saved = readJson<ModelFile>(dir, 'first.json');
    const state = saved.meta!.optimizerState as { name: string; step: number; states: unknown[] };
    expect(state.name).toBe('adabelief');
    expect(state.step).toBe(400); // xor: 4 rows, batch size 1 (the lecture's): 4 steps an epoch
    expect(state.states).toHaveLength(4); // two layers: weights and bias each
    expect(saved.meta!.plugins).toEqual({ optimizer: { adabelief: 'adabelief-plugin' } });

    const second = await train([
      ...common,
      '--init',
      'first.json',
      '--epochs',
      '100',
      '--save',
      'second.json',
    ]);
    expect(second.stderr).toBe(''); // the state was there: no warning
    expect(second.summary.loss).toBe(whole.summary.loss);
    expect(readJson<ModelFile>(dir, 'second.json').layers).toEqual(
      readJson<ModelFile>(dir, 'whole.json').layers,
    );
  });

  it('without the state, --init warns in one line that the stateful optimizer starts afresh, and the run differs', async () => {
    const whole = await train([...common, '--epochs', '200']);
    await train([...common, '--epochs', '100', '--save', 'plain.json']);
    expect(readJson<ModelFile>(dir, 'plain.json').meta!.optimizerState).toBeUndefined();
    const resumed = await train([...common, '--init', 'plain.json', '--epochs', '100']);
    const lines = resumed.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      'deltaflow: warning: the optimizer adabelief keeps state (step count, moments) that plain.json does not have, so it starts afresh and the run differs from an uninterrupted one; save with --save-optimizer-state to continue it.',
    ]);
    expect(resumed.summary.loss).not.toBe(whole.summary.loss);
    // a stateless optimizer (plain sgd) has nothing to lose: no warning
    await train(['--epochs', '10', '--save', 'sgd.json', '--json']);
    const sgd = await runCli(['train', '--init', 'sgd.json', '--epochs', '10', '--json'], dir);
    expect(sgd.stderr).toBe('');
  });

  it('refuses --save-optimizer-state without --save', async () => {
    const result = await runCli(['train', '--save-optimizer-state'], dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      "deltaflow: --save-optimizer-state stores the optimizer's state in the saved model file: add --save FILE.",
    );
  });
});
