// The page of test/worker-run.test.ts: bundled by Vite from the package's sources (the default
// worker of createWorkerRun included, as an app's bundler would), it runs scenarios in chromium and hands their
// results to the test.
import { getBackend, jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import { filter, firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { createWorkerRun, startTrainingWorker, trainRun } from '@deltaflow/trainer';
import type { RunDescription, TrainingEvent, WorkerRun } from '@deltaflow/trainer';

const bits = (x: number): string => new BigUint64Array(new Float64Array([x]).buffer)[0]!.toString(16);

/** Runs `description` in this thread and in a Web Worker on the same kernels. */
async function compare(description: RunDescription, backend: 'js' | 'wasm') {
  setBackend(backend === 'js' ? jsBackend : loadWasmBackend({ threads: 1 })!);
  const inThread = await lastValueFrom(trainRun(description, { batchEvents: true }).pipe(toArray()));
  const run = createWorkerRun(description, { backend, batchEvents: true });
  const inWorker = await lastValueFrom(run.events$.pipe(toArray()));
  const lossBits = (events: TrainingEvent[]) =>
    events.flatMap((e) => (e.type === 'epoch' ? [bits(e.loss)] : []));
  return {
    inThread,
    inWorker,
    inThreadBits: lossBits(inThread),
    inWorkerBits: lossBits(inWorker),
    pageBackend: getBackend().name,
    workerBackend: (await run.prepared)!.backend,
  };
}

/** Pause before start, two steps, a learning rate, resume, pause, a step, stop: what was seen after each. */
async function controls() {
  const run: WorkerRun = createWorkerRun({ data: 'xor', epochs: 1_000_000 }, { history: 'all' });
  const seen: TrainingEvent[] = [];
  let state = 'idle';
  run.state$.subscribe((s) => (state = s));
  const epochs = () => seen.filter((e) => e.type === 'epoch');
  const until = (ok: () => boolean) =>
    firstValueFrom(merge(run.events$, run.state$).pipe(filter(() => ok())));
  const log: { step: string; state: string; epochs: number[]; lrs: number[]; types: string[] }[] = [];
  const note = (step: string) =>
    log.push({
      step,
      state,
      epochs: epochs().map((e) => e.epoch),
      lrs: epochs().map((e) => e.lr),
      types: seen.map((e) => e.type),
    });

  run.pause();
  run.events$.subscribe((e) => seen.push(e));
  await until(() => seen.length === 1 && state === 'paused');
  note('paused at start');
  run.step();
  await until(() => epochs().length === 1 && state === 'paused');
  note('one step');
  run.step();
  await until(() => epochs().length === 2 && state === 'paused');
  note('two steps');
  run.setLearningRate(0.125);
  run.resume();
  await until(() => epochs().length >= 20);
  run.pause();
  await until(() => state === 'paused' && seen.at(-1)?.type === 'epoch');
  note('paused after resume');
  const held = epochs().length;
  run.step();
  await until(() => epochs().length === held + 1 && state === 'paused');
  note('step after pause');
  run.stop();
  await until(() => state === 'ended' && seen.at(-1)?.type === 'end');
  note('stopped');
  return { log, end: seen.at(-1) };
}

/** A plugin module loaded by URL in the worker, and a run that uses one of its activations. */
async function plugin(url: string) {
  const worker = startTrainingWorker({ plugins: [url] });
  const { names, problems } = await worker.ready;
  const events = await lastValueFrom(
    worker.run({ data: 'xor', activation: 'mish', epochs: 10 }).events$.pipe(toArray()),
  );
  worker.terminate();
  return { names, problems: problems.map((p) => p.message), last: events.at(-1) };
}

/** A description the recipe refuses: the error that ends events$. */
async function failure() {
  const run = createWorkerRun({ data: 'xor', loss: 'cross-entropy', layers: [2] });
  try {
    await lastValueFrom(run.events$);
    return null;
  } catch (error) {
    const e = error as { name: string; code: string; message: string };
    return { name: e.name, code: e.code, message: e.message };
  }
}

Object.assign(globalThis, { workerTest: { compare, controls, plugin, failure } });
document.title = 'ready';
