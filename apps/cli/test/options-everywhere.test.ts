// Options everywhere: an activation's config (`--activation isru:a=0.5`, `{ "name", "config" }` in --config files
// and in model files) and an optimizer's options (`--opt beta1=0.8`, `optimizerOptions` in --config) are accepted
// and change the run, are refused with the closest key when misspelt, are saved in the model file, and are
// restored by --init and --resume. Real processes of the built CLI, like every apps/cli test.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRun, train } from '@deltaflow/trainer';
import type { EndEvent, RunDescription, TrainingEvent } from '@deltaflow/trainer';
import { filter, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { readJson, runCli, tempDir, writeFiles } from './helpers.js';

interface Layer {
  activation: string | { name: string; config?: Record<string, unknown> };
  weights?: number[][];
  bias?: number[];
}
interface Model {
  layers: Layer[];
  meta: { optimizer: string; optimizerOptions: Record<string, unknown> };
}

const dir = tempDir();
// ISRU, x / sqrt(1 + a x^2), a full activation built by a factory with no imports (plugin code as a third party
// writes it).
writeFiles(dir, {
  'isru.mjs': `const isru = (a) => ({
  name: 'isru',
  config: { a },
  forward(x, out) {
    for (let i = 0; i < x.data.length; i++) out.data[i] = x.data[i] / Math.sqrt(1 + a * x.data[i] * x.data[i]);
  },
  backward(x, _y, dy, dx) {
    for (let i = 0; i < x.data.length; i++) dx.data[i] = dy.data[i] * (1 + a * x.data[i] * x.data[i]) ** -1.5;
  },
});
export default {
  name: 'isru-plugin',
  activations: [{ name: 'isru', defaults: { a: 1 }, create: (config) => isru(config.a) }],
};
`,
});
const plugin = ['--plugin', './isru.mjs'];
const base = ['train', '--epochs', '20', '--quiet'];

const weights = (model: { layers: Layer[] }): string =>
  createHash('sha256')
    .update(JSON.stringify(model.layers.map((l) => [l.weights, l.bias])))
    .digest('hex');

/** Trains with `args` into `file` and reads the model file back. */
async function trained(file: string, args: string[]): Promise<Model> {
  const { code, stderr } = await runCli([...base, ...args, '--save', file], dir);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return readJson<Model>(dir, file);
}

/** The final weights of a description trained by the library in this process. */
async function library(description: RunDescription): Promise<string> {
  const run = await prepareRun(description);
  const end = await lastValueFrom(
    train(run.model, run.train, run.trainOptions).pipe(
      filter((e: TrainingEvent): e is EndEvent => e.type === 'end'),
    ),
  );
  return weights(end.model as unknown as Model);
}

/** The `start` event's config of an --events file. */
const startConfig = (file: string): { optimizer: string; optimizerOptions: Record<string, unknown> } =>
  readFileSync(join(dir, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; config?: never })
    .find((e) => e.type === 'start')!.config!;

describe('options everywhere: accepted, and the run uses them', () => {
  it('--activation isru:a=0.5 trains another network than isru (a = 1), saved as { name, config }', async () => {
    const half = await trained('isru-half.json', [...plugin, '--activation', 'isru:a=0.5']);
    const one = await trained('isru-one.json', [...plugin, '--activation', 'isru']);
    expect(half.layers[0]!.activation).toEqual({ name: 'isru', config: { a: 0.5 } });
    expect(one.layers[0]!.activation).toEqual({ name: 'isru', config: { a: 1 } });
    expect(weights(half)).not.toBe(weights(one));
    // the output layer too, and a built-in's config
    const out = await trained('out.json', [
      ...plugin,
      '--output-activation',
      'isru:a=0.25',
      '--activation',
      'elu:alpha=0.5',
    ]);
    expect(out.layers.map((l) => l.activation)).toEqual([
      { name: 'elu', config: { alpha: 0.5 } },
      { name: 'isru', config: { a: 0.25 } },
    ]);
  });

  it('a --config file with { "name", "config" } trains exactly what the flag does', async () => {
    writeFiles(dir, {
      'act.json': JSON.stringify({ plugin: './isru.mjs', activation: { name: 'isru', config: { a: 0.5 } } }),
    });
    const fromConfig = await trained('act-config.json', ['--config', 'act.json']);
    expect(weights(fromConfig)).toBe(weights(readJson<Model>(dir, 'isru-half.json')));
  });

  it('--opt beta1=0.8 changes an adam run, saves it, and matches the library run with the same options', async () => {
    const tuned = await trained('adam-08.json', ['--optimizer', 'adam', '--opt', 'beta1=0.8']);
    const plain = await trained('adam.json', ['--optimizer', 'adam']);
    expect(weights(tuned)).not.toBe(weights(plain));
    expect(tuned.meta.optimizer).toBe('adam');
    expect(tuned.meta.optimizerOptions).toMatchObject({ beta1: 0.8 });
    expect(plain.meta.optimizerOptions).toMatchObject({ beta1: 0.9 });
    expect(weights(tuned)).toBe(
      await library({ data: 'xor', epochs: 20, optimizer: { name: 'adam', options: { beta1: 0.8 } } }),
    );
    // repeatable, several pairs in one, beside the named shortcuts
    const both = await trained('adam-both.json', [
      '--optimizer',
      'adam',
      '--opt',
      'beta1=0.8',
      '--opt',
      'beta2=0.99,eps=1e-7',
      '--lr',
      '0.01',
    ]);
    expect(both.meta.optimizerOptions).toMatchObject({ beta1: 0.8, beta2: 0.99, eps: 1e-7, lr: 0.01 });
  });

  it('optimizerOptions in --config (and the library form optimizer.options) train what --opt does', async () => {
    writeFiles(dir, {
      'opt.json': JSON.stringify({ optimizer: 'adam', optimizerOptions: { beta1: 0.8 } }),
      'lib.json': JSON.stringify({ optimizer: { name: 'adam', options: { beta1: 0.8 } } }),
    });
    const expected = weights(readJson<Model>(dir, 'adam-08.json'));
    expect(weights(await trained('opt-config.json', ['--config', 'opt.json']))).toBe(expected);
    expect(weights(await trained('lib-config.json', ['--config', 'lib.json']))).toBe(expected);
  });
});

describe('options everywhere: refused, with the closest key', () => {
  writeFiles(dir, {
    'bad-act.json': JSON.stringify({
      plugin: './isru.mjs',
      activation: { name: 'isru', config: { aa: 0.5 } },
    }),
    'bad-opt.json': JSON.stringify({ optimizer: 'adam', optimizerOptions: { beat1: 0.8 } }),
  });
  it.each([
    [
      [...plugin, '--activation', 'isru:aa=0.5'],
      /^deltaflow: --activation: the activation 'isru' has no config key 'aa'; did you mean 'a'\?/m,
    ],
    [
      [...plugin, '--output-activation', 'isru:aa=0.5'],
      /--output-activation: .*no config key 'aa'; did you mean 'a'\?/,
    ],
    [['--activation', 'elu:alpah=0.5'], /--activation: .*no config key 'alpah'; did you mean 'alpha'\?/],
    [
      ['--activation', 'tanh:a=1'],
      /--activation: the activation 'tanh' has no config key 'a'\. It takes no parameters\./,
    ],
    [[...plugin, '--activation', 'isru:a=abc'], /--activation: a must be a finite number, got 'abc'\./],
    [[...plugin, '--activation', 'isru:a=Infinity'], /--activation: a must be a finite number/],
    [[...plugin, '--activation', 'isru:a'], /--activation: 'a' is not key=value/],
    [['--activation', 'tahn:a=1'], /--activation: unknown activation 'tahn'; registered: sigmoid, tanh/],
    [
      ['--optimizer', 'adam', '--opt', 'beat1=0.8'],
      /^deltaflow: --opt beat1: the optimizer 'adam' has no config key 'beat1'; did you mean 'beta1'\?/m,
    ],
    [['--opt', 'beta1=0.8'], /--opt beta1: the optimizer 'sgd' has no config key 'beta1'/],
    [
      ['--optimizer', 'adam', '--opt', 'beta1=NaN'],
      /--opt beta1: beta1 must be a finite number, got 'NaN'\./,
    ],
    [
      ['--optimizer', 'adam', '--opt', 'beta1'],
      /--opt takes key=value, such as --opt beta1=0.8; got 'beta1'\./,
    ],
    [['--optimizer', 'adam', '--opt', 'lr=0.1'], /--opt lr: lr has its own flag; write --lr instead\./],
    [['--config', 'bad-act.json'], /--activation: .*no config key 'aa'; did you mean 'a'\?/],
    [['--config', 'bad-opt.json'], /--opt beat1: .*did you mean 'beta1'\?/],
  ])('train %j', async (args, message) => {
    const { code, stderr } = await runCli([...base, ...args], dir);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });
});

describe('options everywhere: restored', () => {
  it("--init keeps the model's activation config and restores its optimizer options (flags win)", async () => {
    await trained('first.json', [
      ...plugin,
      '--activation',
      'isru:a=0.5',
      '--optimizer',
      'adam',
      '--opt',
      'beta1=0.8',
    ]);
    const again = await trained('second.json', [
      ...plugin,
      '--init',
      'first.json',
      '--events',
      'second.jsonl',
    ]);
    expect(again.layers[0]!.activation).toEqual({ name: 'isru', config: { a: 0.5 } });
    expect(startConfig('second.jsonl')).toMatchObject({
      optimizer: 'adam',
      optimizerOptions: { beta1: 0.8 },
    });
    expect(again.meta.optimizerOptions).toMatchObject({ beta1: 0.8 });
    await trained('third.json', [
      ...plugin,
      '--init',
      'first.json',
      '--opt',
      'beta2=0.95',
      '--events',
      'third.jsonl',
    ]);
    expect(startConfig('third.jsonl').optimizerOptions).toMatchObject({ beta1: 0.8, beta2: 0.95 });
    // another optimizer: the saved options are not its options
    await trained('fourth.json', [
      ...plugin,
      '--init',
      'first.json',
      '--optimizer',
      'sgd',
      '--events',
      'fourth.jsonl',
    ]);
    expect(startConfig('fourth.jsonl')).toMatchObject({ optimizer: 'sgd', optimizerOptions: { lr: 0.5 } });
  });

  it('--resume keeps --opt and the activation config of the checkpoint', async () => {
    const first = await runCli(
      [
        ...base,
        ...plugin,
        '--activation',
        'isru:a=0.5',
        '--optimizer',
        'adam',
        '--opt',
        'beta1=0.8',
        '--checkpoint',
        'run.ckpt.json',
      ],
      dir,
    );
    expect(first.code).toBe(0);
    const resumed = await runCli(
      [
        'train',
        '--quiet',
        ...plugin,
        '--resume',
        'run.ckpt.json',
        '--epochs',
        '30',
        '--events',
        'resumed.jsonl',
        '--save',
        'resumed.json',
      ],
      dir,
    );
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(startConfig('resumed.jsonl')).toMatchObject({
      optimizer: 'adam',
      optimizerOptions: { beta1: 0.8 },
    });
    expect(readJson<Model>(dir, 'resumed.json').layers[0]!.activation).toEqual({
      name: 'isru',
      config: { a: 0.5 },
    });
  });
});
