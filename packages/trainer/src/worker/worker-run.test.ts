// createWorkerRun in Node: a worker_threads Worker runs the worker module built from this package's sources
// (bundled by Vite in beforeAll, since Node runs no TypeScript), and its runs are compared with in-thread runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { modelFromJSON } from '@deltaflow/network';
import { getBackend } from '@deltaflow/tensor';
import { filter, firstValueFrom, lastValueFrom, merge, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochEvent, TrainingEvent } from '../events.js';
import type { RunDescription } from '../recipe/description.js';
import { trainRun } from '../recipe/train-run.js';
import { thinEvents } from '../thin.js';
import { createWorkerRun, startTrainingWorker } from './client.js';
import type { WorkerRun } from './client.js';
import { nodeWorker } from './node-worker.js';

const here = fileURLToPath(new URL('.', import.meta.url));
let out: string;
let worker: ReturnType<typeof nodeWorker>;
let pluginUrl: string;
/** The kernels of this thread, so the worker computes with the same ones (DELTAFLOW_BACKEND=js runs). */
const backend = getBackend().name === 'js' ? 'js' : 'wasm';

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'deltaflow-worker-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['@deltaflow/source'] },
    ssr: {
      noExternal: true,
      resolve: { conditions: ['@deltaflow/source'], externalConditions: ['@deltaflow/source'] },
    },
    build: {
      ssr: true,
      outDir: out,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: {
        input: {
          'node-entry': join(here, 'node-entry.ts'),
          'plugin-activations': join(here, '../../../plugin-activations/src/index.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
  });
  worker = nodeWorker(pathToFileURL(join(out, 'node-entry.mjs')));
  pluginUrl = pathToFileURL(join(out, 'plugin-activations.mjs')).href;
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Timing fields, the only ones that may differ between two runs of the same description. */
function withoutTiming(event: TrainingEvent): unknown {
  if (event.type === 'end') {
    const { created: _c, ...meta } = event.model.meta ?? {};
    return { ...event, model: { ...event.model, meta } };
  }
  if (event.type !== 'epoch') return event;
  const { elapsedMs: _e, samplesPerSecond: _s, ...rest } = event;
  return rest;
}

const epochsOf = (events: TrainingEvent[]): EpochEvent[] =>
  events.filter((e): e is EpochEvent => e.type === 'epoch');

/** A small model file, trained in this thread. */
async function firstFile(): Promise<{ json: unknown }> {
  const events = await lastValueFrom(trainRun({ data: 'xor', epochs: 2 }).pipe(toArray()));
  const end = events.at(-1) as Extract<TrainingEvent, { type: 'end' }>;
  return { json: end.model };
}

/** The float64 bits of a number, to compare losses bit for bit. */
const bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!;

/** The first event of `run` that passes `test` (subscribing starts nothing: the caller started the run). */
const eventWhere = <T extends TrainingEvent>(
  events$: Observable<TrainingEvent>,
  test: (e: TrainingEvent) => e is T,
): Promise<T> => firstValueFrom(events$.pipe(filter(test)));

const stateOf = (run: WorkerRun, state: string): Promise<unknown> =>
  firstValueFrom(run.state$.pipe(filter((s) => s === state)));

describe('createWorkerRun in a worker_threads Worker', () => {
  const descriptions: RunDescription[] = [
    { data: 'xor', epochs: 300 },
    {
      data: { name: 'circle', points: 120, noise: 0.1 },
      layers: [6, 4],
      activation: 'tanh',
      loss: 'binary-cross-entropy',
      optimizer: { name: 'adam', options: { lr: 0.01 } },
      validationSplit: 0.25,
      normalize: true,
      dropout: 0.1,
      l2: 0.001,
      schedule: 'cosine',
      seed: 7,
      epochs: 40,
      batchSize: 8,
    },
  ];

  it.each(descriptions)(
    'gives the in-thread run’s events, every loss bit for bit (%#)',
    async (description) => {
      const inThread = await lastValueFrom(trainRun(description, { batchEvents: true }).pipe(toArray()));
      const run = createWorkerRun(description, { worker, backend, batchEvents: true });
      const inWorker = await lastValueFrom(run.events$.pipe(toArray()));

      expect(inWorker.length).toBe(inThread.length);
      const a = epochsOf(inWorker);
      const b = epochsOf(inThread);
      expect(a.length).toBe(description.epochs);
      a.forEach((e, i) => {
        expect(bits(e.loss)).toBe(bits(b[i]!.loss));
        if (e.valLoss !== undefined) expect(bits(e.valLoss)).toBe(bits(b[i]!.valLoss!));
      });
      expect(inWorker.map(withoutTiming)).toEqual(inThread.map(withoutTiming));
      expect(inWorker.at(-1)).toMatchObject({ type: 'end', reason: 'completed' });
    },
  );

  it('posts events in batches, one message per flush, not one per event', async () => {
    let messages = 0;
    const counting = () => {
      const inner = worker();
      return {
        ...inner,
        addEventListener: ((type, listener) =>
          inner.addEventListener(type, (event) => {
            if (type === 'message') messages++;
            listener(event);
          })) as typeof inner.addEventListener,
      };
    };
    const run = createWorkerRun(
      { data: 'xor', epochs: 2000 },
      { worker: counting, backend, batchEvents: true },
    );
    const events = await lastValueFrom(run.events$.pipe(toArray()));
    expect(events.length).toBe(2 + 2000 * 3 + 2000 * 4); // start, forward/backward/epoch, 4 batches each, end
    expect(messages).toBeLessThan(events.length / 100);
  });

  it('thins in the worker with epochMs/epochEvery as thinEvents does: few events, the last epoch exact', async () => {
    const description: RunDescription = { data: 'xor', epochs: 5000 };
    const inThread = await lastValueFrom(trainRun(description).pipe(toArray()));
    const thinned = await lastValueFrom(
      trainRun(description).pipe(thinEvents({ sampleMs: 0, epochMs: 0, epochEvery: 1000 }), toArray()),
    );
    const run = createWorkerRun(description, { worker, backend, epochEvery: 1000 });
    const inWorker = await lastValueFrom(run.events$.pipe(toArray()));
    // forward and backward pass (sampleMs 0); epochs 1, 1001, ..., 4001 and the last, 5000
    expect(epochsOf(inWorker).map((e) => e.epoch)).toEqual([1, 1001, 2001, 3001, 4001, 5000]);
    expect(inWorker.map(withoutTiming)).toEqual(thinned.map(withoutTiming));
    expect(bits(epochsOf(inWorker).at(-1)!.loss)).toBe(bits(epochsOf(inThread).at(-1)!.loss));
    expect(inWorker.at(-1)).toMatchObject({ type: 'end', reason: 'completed', epochs: 5000 });

    // by time, everything sampled: a handful of events, still starting with start and ending with the last epoch
    const timed = createWorkerRun(description, { worker, backend, sampleMs: 50, epochMs: 50 });
    const few = await lastValueFrom(timed.events$.pipe(toArray()));
    expect(few.length).toBeLessThan(inThread.length / 20);
    expect(few[0]!.type).toBe('start');
    expect(epochsOf(few)[0]!.epoch).toBe(1);
    expect(bits(epochsOf(few).at(-1)!.loss)).toBe(bits(epochsOf(inThread).at(-1)!.loss));
    expect(few.at(-1)).toMatchObject({ type: 'end', epochs: 5000 });
  });

  it('pauses, steps exactly one epoch, resumes, changes the learning rate and stops', async () => {
    const run = createWorkerRun({ data: 'xor', epochs: 1_000_000 }, { worker, backend, history: 'all' });
    // Counted as they come, so each wait's check costs the same however many events the run has sent: between
    // resume and pause the worker may run many thousands of epochs, and every wait replays them all.
    const epochs: EpochEvent[] = [];
    let last: TrainingEvent | undefined;
    let first: TrainingEvent | undefined;
    let state = 'idle';
    run.state$.subscribe((s) => (state = s));
    /** Resolves once `ok()` holds, checked after every event and change of state. */
    const until = (ok: () => boolean): Promise<unknown> =>
      firstValueFrom(merge(run.events$, run.state$).pipe(filter(() => ok())));

    // paused before it starts (subscribing starts it): the start event announces it
    run.pause();
    run.events$.subscribe((e) => {
      first ??= e;
      last = e;
      if (e.type === 'epoch') epochs.push(e);
    });
    await until(() => last !== undefined && state === 'paused');
    expect(first).toMatchObject({ type: 'start' });
    expect(epochs).toEqual([]);

    // one step: exactly one epoch (none ran while paused), then paused again
    run.step();
    await until(() => epochs.length === 1 && state === 'paused');
    expect(epochs.map((e) => e.epoch)).toEqual([1]);
    run.step();
    await until(() => epochs.length === 2 && state === 'paused');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs.every((e) => e.lr === 0.5)).toBe(true);

    // a new learning rate while paused: every later epoch reports it
    run.setLearningRate(0.125);
    run.resume();
    await until(() => epochs.length >= 20);
    run.pause();
    await until(() => state === 'paused' && last?.type === 'epoch');
    const held = epochs.length;
    expect(epochs.at(-1)!.epoch).toBe(held);
    expect(epochs.slice(2).every((e) => e.lr === 0.125)).toBe(true);
    // paused: the next epoch is the step's
    run.step();
    await until(() => epochs.length === held + 1 && state === 'paused');
    expect(epochs.at(-1)!.epoch).toBe(held + 1);

    run.stop();
    const end = await eventWhere(
      run.events$,
      (e): e is Extract<TrainingEvent, { type: 'end' }> => e.type === 'end',
    );
    expect(end).toMatchObject({ reason: 'stopped', epochs: held + 1 });
    await stateOf(run, 'ended');
    // the model file after the end: the final weights and the run's meta
    const file = await run.modelFile({ note: 'test' });
    expect(file).toMatchObject({
      format: 'deltaflow-model',
      meta: { loss: 'mse', epochs: held + 1, note: 'test' },
    });
    expect(file!.layers).toEqual(end.model.layers);
  });

  it('paces a run, and pacing holds show as running', async () => {
    const run = createWorkerRun({ data: 'xor', epochs: 1_000_000 }, { worker, backend, pace: 200 });
    const states: string[] = [];
    run.state$.subscribe((s) => states.push(s));
    const firstEpochs = await lastValueFrom(
      run.events$.pipe(
        filter((e) => e.type === 'epoch'),
        take(20),
        toArray(),
      ),
    );
    expect(firstEpochs.length).toBe(20);
    expect(states).toEqual(['idle', 'running']);
    run.setPace(null);
    run.stop();
    await stateOf(run, 'ended');
  });

  it('installs a plugin by module URL in the worker, and the description may use its names', async () => {
    const description: RunDescription = { data: 'xor', activation: 'mish', epochs: 20 };
    const without = createWorkerRun(description, { worker, backend });
    await expect(lastValueFrom(without.events$)).rejects.toMatchObject({
      name: 'DeltaflowError',
      message: expect.stringContaining('mish'),
    });

    const training = startTrainingWorker({ worker, backend, plugins: [pluginUrl] });
    const { names, problems } = await training.ready;
    expect(problems).toEqual([]);
    expect(names.activations).toEqual(
      expect.arrayContaining(['mish', 'softsign', 'hard-sigmoid', 'sigmoid']),
    );
    const events = await lastValueFrom(training.run(description).events$.pipe(toArray()));
    expect(events[0]).toMatchObject({ type: 'start' });
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'completed', epochs: 20 });
    training.terminate();
  });

  it('runs one run at a time per TrainingWorker: a new run completes the previous one’s events$', async () => {
    const training = startTrainingWorker({ worker, backend });
    const first = training.run({ data: 'xor', epochs: 1_000_000 });
    const firstEvents = lastValueFrom(first.events$.pipe(toArray()));
    await firstValueFrom(first.events$.pipe(filter((e) => e.type === 'epoch')));
    const second = training.run({ data: 'xor', epochs: 5 });
    const done = await firstEvents;
    expect(done.at(-1)!.type).not.toBe('end'); // completed without an end event: it was replaced
    const events = await lastValueFrom(second.events$.pipe(toArray()));
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'completed', epochs: 5 });
    training.terminate();
  });

  it('ends events$ with a DeltaflowError for a bad description, a plugin that fails, and live objects', async () => {
    const bad = createWorkerRun({ data: 'xor', loss: 'cross-entropy', layers: [2] }, { worker, backend });
    await expect(lastValueFrom(bad.events$)).rejects.toMatchObject({
      name: 'DeltaflowError',
      code: 'E_OPTION',
    });
    expect(await bad.prepared).toBeNull();

    const missing = createWorkerRun(
      { data: 'xor' },
      { worker, backend, plugins: [pathToFileURL(join(out, 'nope.mjs')).href] },
    );
    await expect(lastValueFrom(missing.events$)).rejects.toMatchObject({
      code: 'E_PLUGIN',
      message: expect.stringContaining('nope.mjs could not be installed'),
    });

    const noModule = createWorkerRun(
      { data: 'xor' },
      { worker: nodeWorker(pathToFileURL(join(out, 'none.mjs'))) },
    );
    await expect(lastValueFrom(noModule.events$)).rejects.toMatchObject({
      code: 'E_UNKNOWN',
      message: expect.stringContaining('The training worker failed'),
    });

    const live = createWorkerRun({ data: 'xor', model: modelFromJSON((await firstFile()).json) }, { worker });
    await expect(lastValueFrom(live.events$)).rejects.toMatchObject({
      code: 'E_OPTION',
      message: expect.stringContaining('give its model file as the `init` option'),
    });

    const unknownData = createWorkerRun({ data: 'nonesuch' }, { worker, backend });
    await expect(lastValueFrom(unknownData.events$)).rejects.toMatchObject({
      code: 'E_OPTION',
      message: expect.stringContaining("unknown dataset 'nonesuch'"),
    });
  });

  it('continues from a model file given as init, and reports what it prepared', async () => {
    const first = createWorkerRun({ data: 'xor', epochs: 30 }, { worker, backend });
    await lastValueFrom(first.events$);
    const file = (await first.modelFile())!;
    const info = await first.prepared;
    expect(info).toMatchObject({
      meta: { loss: 'mse', optimizer: 'sgd' },
      model: { layers: expect.any(Array) },
    });

    const next = createWorkerRun(
      { data: 'xor', epochs: 1, layers: [9] },
      { worker, backend, init: JSON.stringify(file) },
    );
    const events = await lastValueFrom(next.events$.pipe(toArray()));
    const start = events[0] as Extract<TrainingEvent, { type: 'start' }>;
    // the model file's architecture (4 hidden units), not the description's layers
    expect(start.model.layers[0]).toMatchObject({ units: 4 });
    // training went on from the file's weights: as an in-thread run from the same model, bit for bit
    const inThread = await lastValueFrom(
      trainRun({ data: 'xor', epochs: 1, model: modelFromJSON(file) }).pipe(toArray()),
    );
    expect(bits(epochsOf(events)[0]!.loss)).toBe(bits(epochsOf(inThread)[0]!.loss));

    const broken = createWorkerRun(
      { data: 'xor' },
      { worker, backend, init: '{"format":', initName: 'm.json' },
    );
    await expect(lastValueFrom(broken.events$)).rejects.toMatchObject({
      code: 'E_MODEL',
      message: expect.stringContaining('m.json is not JSON'),
    });
  });
});
