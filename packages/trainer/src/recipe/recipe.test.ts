import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { iris, xor } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import { Tensor } from '@deltaflow/tensor';
import { filter, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EndEvent, StartEvent, TrainingEvent } from '../events.js';
import { train } from '../train.js';
import { RUN_DEFAULTS, dataDefaults, defaultOutputActivation } from './defaults.js';
import type { RunDescription } from './description.js';
import { prepareRun } from './prepare.js';
import { checkOutputPairing } from './rules.js';
import { holdOut } from './split.js';
import { trainRun } from './train-run.js';

/** The description the CLI, dashboard and library parity tests share (apps/*\/test read the same file). */
const parity = JSON.parse(
  readFileSync(new URL('./parity-run.json', import.meta.url), 'utf8'),
) as RunDescription;

/** sha256 of a model file's weights and biases, layer by layer. */
const weightsHash = (model: ModelJSON): string =>
  createHash('sha256')
    .update(JSON.stringify(model.layers.map((l) => (l.type === 'dense' ? [l.weights, l.bias] : l))))
    .digest('hex');

const end = (events$: ReturnType<typeof train>): Promise<EndEvent> =>
  lastValueFrom(events$.pipe(filter((e: TrainingEvent): e is EndEvent => e.type === 'end')));

const CROSS_ENTROPY_ON_ONE_OUTPUT =
  'The loss cross-entropy needs one-hot targets (two or more target columns), but the data has 1; for one 0/1 target use the loss binary-cross-entropy, or read its labels as classes with `targetType` class.';

describe('prepareRun: one recipe for every run', () => {
  it("keeps npm start's run: xor, 2-4-1 sigmoid, mse, sgd lr 0.5, seed 42, 2000 epochs of batch size 1", async () => {
    const run = await prepareRun({ data: 'xor' });
    expect(run.model.summary().layers.map((l) => [l.inputs, l.units, l.activation])).toEqual([
      [2, 4, 'sigmoid'],
      [4, 1, 'sigmoid'],
    ]);
    expect(run.trainOptions).toMatchObject({
      epochs: 2000,
      batchSize: 1,
      seed: 42,
      shuffle: true,
      loss: 'mse',
      optimizer: 'sgd',
      optimizerOptions: { lr: 0.5 },
    });
    const lecture = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
    expect(run.model.layers.map((l) => Array.from(l.weights.data))).toEqual(
      lecture.layers.map((l) => Array.from(l.weights.data)),
    );
  });

  it('picks the output activation by task and loss: sigmoid, softmax under cross-entropy, linear for regression', async () => {
    expect(defaultOutputActivation('classification', 'mse')).toBe('sigmoid');
    expect(defaultOutputActivation('classification', 'cross-entropy')).toBe('softmax');
    expect(defaultOutputActivation('regression', 'mse')).toBe('linear');
    expect((await prepareRun({ data: 'plane', layers: [] })).outputActivation).toBe('linear');
    const irisRun = await prepareRun({ data: 'iris', layers: [8], loss: 'cross-entropy' });
    expect(irisRun.model.summary().layers.map((l) => l.activation)).toEqual(['sigmoid', 'softmax']);
    expect((await prepareRun({ data: 'plane', outputActivation: 'tanh' })).outputActivation).toBe('tanh');
  });

  it('has one set of defaults: the dataset picks epochs and batch size, train() agrees on seed and epochs', async () => {
    expect(dataDefaults('xor')).toEqual({ epochs: 2000, batchSize: 1 });
    expect(dataDefaults('mnist')).toEqual({ epochs: 10, batchSize: 32 });
    expect(dataDefaults(undefined)).toEqual({ epochs: RUN_DEFAULTS.epochs, batchSize: 32 });
    const circle = await prepareRun({ data: 'circle' });
    expect(circle.trainOptions).toMatchObject({ epochs: 200, batchSize: 32, seed: 42 });
    const start = await lastValueFrom(
      train(mlp({ inputs: 2, layers: [{ units: 1 }] }), xor(), { epochs: 0 }).pipe(
        filter((e): e is StartEvent => e.type === 'start'),
      ),
    );
    expect(start.config.seed).toBe(RUN_DEFAULTS.seed);
    const model = mlp({ inputs: 2, layers: [{ units: 1 }] });
    const events$ = train(model, xor(), {});
    const first = await lastValueFrom(events$.pipe(filter((e): e is StartEvent => e.type === 'start')));
    expect(first.config).toMatchObject({ seed: 42, epochs: 200, batchSize: 4 });
  });

  it('refuses cross-entropy on one output, and softmax on one output, before training', async () => {
    await expect(prepareRun({ data: 'circle', loss: 'cross-entropy' })).rejects.toThrow(
      CROSS_ENTROPY_ON_ONE_OUTPUT,
    );
    await expect(prepareRun({ data: 'xor', outputActivation: 'softmax' })).rejects.toThrow(
      /The output activation softmax needs two or more outputs/,
    );
    expect(() =>
      checkOutputPairing({ loss: 'cross-entropy', outputActivation: 'softmax', outputs: 3 }),
    ).not.toThrow();
    await expect(lastValueFrom(trainRun({ data: 'xor', loss: 'cross-entropy' }))).rejects.toMatchObject({
      code: 'E_OPTION',
      message: CROSS_ENTROPY_ON_ONE_OUTPUT,
    });
  });

  it('names options, not flags, in its messages', async () => {
    await expect(prepareRun({ data: 'iris', target: ['species'] })).rejects.toThrow(
      "`target` applies to CSV data; the built-in dataset 'iris' has its own targets.",
    );
    await expect(prepareRun({ data: 'xor', validationSplit: 0.1 })).rejects.toThrow(
      '`validationSplit` 0.1 holds out no rows of the 4 in xor; use a larger fraction.',
    );
    await expect(
      prepareRun({ data: 'xor', model: mlp({ inputs: 2, layers: [{ units: 1 }] }), layers: [3] }),
    ).rejects.toThrow('`layers` cannot be combined with `model`');
    await expect(prepareRun({ data: 'xorr' })).rejects.toThrow(/`data`: unknown dataset 'xorr'/);
    const csv = 'a,b,y\n1,2,10\n3,4,20\n5,6,30\n7,8,40\n';
    const diverged = await end(
      trainRun({ data: { csv }, layers: [8], activation: 'relu', batchSize: 4, epochs: 1000 }, { lr: 1e6 }),
    );
    expect(diverged.reason).toBe('diverged');
    expect(diverged.hint).toContain('try a smaller learning rate (`lr`), scaling the inputs (`normalize`)');
  });

  it('reads CSV text with its target columns, generates built-in sets with the run seed', async () => {
    const run = await prepareRun({
      data: { csv: 'a,b,y,z\n0,1,1,5\n1,1,0,6\n2,0,1,7\n', file: 'points.csv' },
      target: ['z'],
      layers: [2],
    });
    expect(run.dataset.featureNames).toEqual(['a', 'b', 'y']);
    expect(run.dataset.task).toBe('regression');
    expect(run.outputActivation).toBe('linear');
    const a = await prepareRun({ data: 'spiral', seed: 3 });
    const b = await prepareRun({ data: { name: 'spiral', seed: 3 }, seed: 4 });
    const c = await prepareRun({ data: 'spiral', seed: 4 });
    expect(Array.from(b.dataset.inputs.data)).toEqual(Array.from(a.dataset.inputs.data));
    expect(Array.from(c.dataset.inputs.data)).not.toEqual(Array.from(a.dataset.inputs.data));
  });

  it('splits once: the recipe and train({ validationSplit }) hold out the same rows; the scaler fits the training part', async () => {
    const ds = iris();
    const run = await prepareRun({ data: ds, validationSplit: 0.2, seed: 5, normalize: true, layers: [3] });
    const direct = holdOut(ds, 0.2, 5);
    expect(run.validation!.inputs.rows).toBe(30);
    expect(Array.from(run.scaler!.transform(direct.validation.inputs).data)).toEqual(
      Array.from(run.validation!.inputs.data),
    );
    const start = await lastValueFrom(
      train(run.model, ds, { validationSplit: 0.2, seed: 5, epochs: 0 }).pipe(
        filter((e): e is StartEvent => e.type === 'start'),
      ),
    );
    expect(start.config.validationSamples).toBe(30);
    const tiny = {
      inputs: Tensor.fromNested([
        [0, 0],
        [1, 1],
      ]),
      targets: Tensor.fromNested([[0], [1]]),
    };
    expect(() => holdOut(tiny, 0.2, 1)).toThrow('`validationSplit` 0.2 holds out no rows of the 2 in data');
  });

  it('trains the shared parity description bit for bit the same, by prepareRun + train() and by trainRun()', async () => {
    const a = await prepareRun(parity);
    const first = await end(train(a.model, a.train, a.trainOptions));
    const second = await end(trainRun(parity));
    expect(first.reason).toBe('completed');
    expect(first.epochs).toBe(30);
    expect(weightsHash(second.model)).toBe(weightsHash(first.model));
    expect(weightsHash(first.model)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("takes an activation's config and the optimizer's options, refusing a misspelt key with the closest one", async () => {
    const plain = await prepareRun({ data: 'xor', activation: 'elu' });
    const run = await prepareRun({
      data: 'xor',
      activation: { name: 'elu', config: { alpha: 0.5 } },
      optimizer: { name: 'adam', options: { beta1: 0.8 } },
    });
    expect(run.model.layers[0]!.activation.config).toEqual({ alpha: 0.5 });
    expect(plain.model.layers[0]!.activation.config).toEqual({ alpha: 1 });
    expect(run.trainOptions.optimizerOptions).toEqual({ beta1: 0.8 });
    await expect(
      prepareRun({ data: 'xor', activation: { name: 'elu', config: { alpah: 0.5 } } }),
    ).rejects.toThrow(
      /^`activation` elu: The activation 'elu' has no config key 'alpah'; did you mean 'alpha'\?/,
    );
    await expect(
      prepareRun({ data: 'xor', outputActivation: { name: 'elu', config: { alpha: Number.NaN } } }),
    ).rejects.toThrow(/^`outputActivation` elu: .*finite number/);
    await expect(
      prepareRun({ data: 'xor', optimizer: { name: 'adam', options: { beat1: 0.8 } } }),
    ).rejects.toThrow(/^`optimizer` adam: .*'beat1'; did you mean 'beta1'\?/);
  });
});
