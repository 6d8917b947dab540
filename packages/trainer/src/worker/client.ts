// The calling thread's side of a run trained in a worker: the same events$, state$ and controls as createRun.
import type { ModelJSON, ModelSummary } from '@deltaflow/network';
import { DeltaflowError } from '@deltaflow/tensor';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type { RunState } from '../control.js';
import type { StartEvent, TrainingEvent } from '../events.js';
import type { MetricName } from '../metrics.js';
import type { RunNotice } from '../recipe/notices.js';
import type { RunDescription } from '../recipe/description.js';
import type { TrainingRun } from '../run-controller.js';
import { unpackEpochs } from './epoch-pack.js';
import type {
  BackendChoice,
  ErrorData,
  FlushItem,
  HostReply,
  HostRequest,
  PlainTrainExtras,
} from './protocol.js';

/**
 * A started worker as {@link startTrainingWorker} needs it: a Web `Worker` has this shape; in Node,
 * `nodeWorker()` of `@deltaflow/trainer/node` adapts a worker_threads `Worker` to it.
 *
 * @example
 * ```ts
 * // not-runnable: a Web Worker running your own module that calls serveTrainingWorker
 * const factory: WorkerFactory = () =>
 *   new Worker(new URL('./my-worker.js', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
 * ```
 * @category Worker
 */
export interface WorkerLike {
  /** Sends a message to the worker (structured clone). */
  postMessage(message: unknown): void;
  /** Listens for the worker's messages (`message`) and its failure (`error`, e.g. its module did not load). */
  addEventListener(
    type: 'message' | 'error',
    listener: (event: { data?: unknown; message?: string }) => void,
  ): void;
  /** Ends the worker. */
  terminate(): unknown;
}

/**
 * Starts the worker a run trains in (see {@link WorkerLike}); the module it runs must call
 * {@link serveTrainingWorker}.
 *
 * @example
 * ```ts
 * // not-runnable: a bundler-built worker of your own
 * const worker: WorkerFactory = () => new Worker(new URL('./my-worker.js', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
 * ```
 * @category Worker
 */
export type WorkerFactory = () => WorkerLike;

/**
 * Options of {@link startTrainingWorker}: which worker, which plugins, which kernels.
 *
 * @example
 * ```ts
 * const options: TrainingWorkerOptions = { plugins: ['https://example.test/softsign.mjs'], backend: 'js' };
 * ```
 * @category Worker
 */
export interface TrainingWorkerOptions {
  /**
   * Plugin modules to import in the worker and install (each module's default export, as `deltaflow --plugin`):
   * absolute URLs (`https:`, `file:`, ...), since the worker resolves them from its own location.
   */
  plugins?: readonly string[];
  /**
   * Starts the worker. Default: in a browser, a module Web Worker running the package's own worker module
   * (bundlers such as Vite see and bundle it); in Node, pass `nodeWorker()` of `@deltaflow/trainer/node`.
   */
  worker?: WorkerFactory;
  /**
   * The kernels the worker computes with: `'auto'` (default: WebAssembly SIMD where the runtime has it, as in
   * the calling thread), `'js'` or `'wasm'`. Runs are bit-identical to in-thread runs on the same kernels.
   */
  backend?: 'auto' | 'js' | 'wasm';
}

/**
 * Options of one run in a worker ({@link TrainingWorker.run}, {@link createWorkerRun}).
 *
 * @example
 * ```ts
 * const options: WorkerRunOptions = { history: 'all', pace: 30, sampleMs: 50, epochMs: 50, batchEvents: true };
 * ```
 * @category Worker
 */
export interface WorkerRunOptions {
  /**
   * Continue from a model file (its text, or its parsed JSON): its architecture, weights and input scaler
   * replace the description's `layers`, activations, `dtype`, `dropout` and `normalize`.
   */
  init?: string | ModelJSON;
  /** The name of the `init` model file in error messages; default `'init'`. */
  initName?: string;
  /** As {@link RunOptions.history}: what a late subscriber of `events$` is sent first. */
  history?: 'start' | 'all';
  /** As the trainer option: a `batch` event after every batch. */
  batchEvents?: boolean;
  /** As the trainer option: the first rows of outputs and targets in each forward event. */
  outputSample?: number;
  /** As the trainer option: the metrics of each epoch. */
  metrics?: readonly MetricName[];
  /** As the trainer option: a checkpoint event every N epochs. */
  checkpointEvery?: number;
  /** How often the worker posts what it has gathered, in ms (and at once on a change of state); default 50. */
  flushMs?: number;
  /**
   * Sample the `batch`, `forward` and `backward` events for a display: at most one of each type per `sampleMs`
   * (0, the default: every event). Start, checkpoint and end events always pass (epoch events too, unless
   * `epochMs` or `epochEvery` sample them), and when the run holds or ends the newest dropped forward and
   * backward events follow, so its last epoch is whole.
   */
  sampleMs?: number;
  /**
   * Sample the `epoch` events too, by time: at least `epochMs` ms between two posted epoch events (0, the
   * default: every epoch). The first epoch and the last (before the end, or when the run holds) always pass, and
   * start, checkpoint and end events are never dropped: the rule of {@link thinEvents}, applied in the worker, so
   * a long run posts a few messages a second whatever its speed.
   */
  epochMs?: number;
  /** Sample the `epoch` events by count: at least `epochEvery` epochs between two posted ones (default 1: all). */
  epochEvery?: number;
  /** Epochs per second to start at (see {@link WorkerRun.setPace}); default null, as fast as possible. */
  pace?: number | null;
}

/**
 * What the worker found when it prepared a run: the recipe's notices, the meta a model file of the run keeps,
 * and the model's summary.
 *
 * @example
 * ```ts
 * // not-runnable: needs a worker
 * declare const workerRun: WorkerRun;
 * const info = await workerRun.prepared;
 * for (const notice of info?.notices ?? []) console.log(notice.message);
 * ```
 * @category Worker
 */
export interface WorkerRunInfo {
  /** The recipe's notices (see {@link prepareRun}). */
  notices: RunNotice[];
  /** What a model file of this run keeps in `meta` (column and class names, scaler, loss, optimizer, ...). */
  meta: Record<string, unknown>;
  /** The model's layers and parameter count. */
  model: ModelSummary;
  /** The kernels the worker computes with (`'wasm-simd'`, `'js'`): bit-identical results need the same ones. */
  backend: string;
}

/**
 * A training run in a worker: the same `events$`, `state$` and controls as {@link createRun}'s
 * {@link TrainingRun} (the events equal an in-thread run's, bit for bit, on the same kernels), plus a pace, the
 * model file, the preparation's findings and an observer's messages.
 *
 * @example
 * ```ts
 * // not-runnable: needs a worker
 * const run: WorkerRun = createWorkerRun({ data: 'xor', epochs: 2000 }, { worker: nodeWorker() });
 * run.events$.subscribe((e) => e.type === 'end' && console.log(e.reason));
 * run.setPace(100); // 100 epochs per second
 * ```
 * @category Worker
 */
export interface WorkerRun extends TrainingRun {
  /** What the worker found when it prepared the run; null when the preparation failed (see `events$`). */
  readonly prepared: Promise<WorkerRunInfo | null>;
  /** Messages an observer in the worker posted (see {@link ObservedRun}), in order with the events. */
  readonly messages$: Observable<unknown>;
  /**
   * Paces the run: at most `epochsPerSecond` epochs per second from now (null: as fast as possible). Pacing
   * holds do not show in `state$` (the run stays running), and pause, step and stop act at once.
   */
  setPace(epochsPerSecond: number | null): void;
  /**
   * The run's model now, as a model file (`deltaflow predict --model` reads it): the weights, and in `meta` the
   * run's meta (see {@link WorkerRunInfo.meta}), the epochs done and `meta`. Null when the run has no model
   * (its preparation failed).
   */
  modelFile(meta?: Record<string, unknown>): Promise<ModelJSON | null>;
  /** Stops the run and forgets it: `events$` completes (the worker of {@link createWorkerRun} ends too). */
  dispose(): void;
}

/**
 * What a {@link TrainingWorker} has once its plugins are installed.
 *
 * @example
 * ```ts
 * // not-runnable: needs a worker
 * declare const training: TrainingWorker;
 * const { names, problems } = await training.ready;
 * console.log(names.activations, problems.map((p: Error) => p.message));
 * ```
 * @category Worker
 */
export interface TrainingWorkerInfo {
  /** The registered names the worker can train with, built-ins and plugins. */
  names: { activations: string[]; losses: string[]; optimizers: string[] };
  /** The name of the kernels the worker computes with (`'wasm-simd'`, `'js'`). */
  backend: string;
  /** One error per plugin that could not be installed (`E_PLUGIN`, ...); the others are installed. */
  problems: DeltaflowError[];
}

/**
 * A worker that trains runs one at a time, for a page that starts many runs (every change of a setting): its
 * plugins are installed once, and each {@link TrainingWorker.run} replaces the previous run.
 *
 * @example
 * ```ts
 * // not-runnable: needs a worker
 * const worker = startTrainingWorker({ worker: nodeWorker() });
 * const run = worker.run({ data: 'circle', epochs: 100 });
 * run.events$.subscribe(console.log);
 * ```
 * @category Worker
 */
export interface TrainingWorker {
  /** Resolves once the worker has its plugins installed. */
  readonly ready: Promise<TrainingWorkerInfo>;
  /**
   * Prepares and trains `description` in the worker (idle until started, as {@link createRun}); the previous run
   * of this worker stops, and its `events$` completes.
   */
  run(description: RunDescription, options?: WorkerRunOptions): WorkerRun;
  /** Ends the worker (and its run). */
  terminate(): void;
}

// The Web Worker constructor of browsers (not in this package's type libraries).
declare const Worker: new (url: URL, options: { type: 'module' }) => WorkerLike;

function defaultWorker(): WorkerLike {
  if (typeof (globalThis as { Worker?: unknown }).Worker !== 'function') {
    throw new DeltaflowError(
      'E_OPTION',
      'There is no Web Worker here; in Node, pass `worker: nodeWorker()` from @deltaflow/trainer/node.',
    );
  }
  return new Worker(new URL('./browser-entry.js', import.meta.url), { type: 'module' });
}

const toError = (data: ErrorData): DeltaflowError => new DeltaflowError(data.code, data.message);

/** What cannot cross to a worker: live objects. Returns the sentence saying so, or null. */
function notPlain(description: RunDescription): string | null {
  const data = description.data as unknown;
  if (typeof data === 'object' && data !== null && 'inputs' in data) {
    return '`data` is a Dataset, which cannot be sent to a worker; give a built-in name or CSV text (`{ csv }`).';
  }
  if (description.model !== undefined) {
    return '`model` is a live Sequential, which cannot be sent to a worker; give its model file as the `init` option.';
  }
  if (description.scaler !== undefined) {
    return '`scaler` is a live Scaler, which cannot be sent to a worker; give a model file with its scaler as `init`.';
  }
  return null;
}

/** A reply handler for one run. */
interface RunEnd {
  id: number;
  onFlush(items: FlushItem[]): void;
  onModelFile(request: number, model: ModelJSON | null): void;
  onWorkerError(error: DeltaflowError): void;
  /** A new run of the same worker replaced this one. */
  onReplaced(): void;
}

/**
 * Starts a worker that trains runs off the calling thread (see {@link TrainingWorker}); for a single run,
 * {@link createWorkerRun} is shorter.
 *
 * @example
 * ```ts
 * // not-runnable: needs a worker
 * const worker = startTrainingWorker({ plugins: [new URL('./softsign.js', import.meta.url).href] });
 * console.log((await worker.ready).names.activations);
 * const run = worker.run({ data: 'spiral', layers: [8, 8], activation: 'softsign' });
 * run.start();
 * ```
 * @param options - the worker, its plugins, its kernels
 * @category Worker
 */
export function startTrainingWorker(options: TrainingWorkerOptions = {}): TrainingWorker {
  return launch(options).training;
}

/** A handle and the internals createWorkerRun needs. */
interface Opened {
  handle: WorkerRun;
  fail(error: ErrorData | DeltaflowError): void;
  ended: Promise<void>;
}

function launch(options: TrainingWorkerOptions): {
  training: TrainingWorker;
  open(description: RunDescription, runOptions: WorkerRunOptions): Opened;
} {
  const worker = (options.worker ?? defaultWorker)();
  let current: RunEnd | null = null;
  let nextId = 1;
  let terminated = false;
  let resolveReady!: (info: TrainingWorkerInfo) => void;
  const ready = new Promise<TrainingWorkerInfo>((resolve) => (resolveReady = resolve));
  const post = (request: HostRequest): void => {
    if (!terminated) worker.postMessage(request);
  };

  worker.addEventListener('message', (event) => {
    const reply = event.data as HostReply;
    if (reply.type === 'ready') {
      resolveReady({ names: reply.names, backend: reply.backend, problems: reply.problems.map(toError) });
    } else if (current && reply.id === current.id) {
      if (reply.type === 'flush') current.onFlush(reply.items);
      else current.onModelFile(reply.request, reply.model);
    }
  });
  worker.addEventListener('error', (event) => {
    const error = new DeltaflowError(
      'E_UNKNOWN',
      `The training worker failed: ${event.message ?? 'no message'}.`,
    );
    resolveReady({
      names: { activations: [], losses: [], optimizers: [] },
      backend: 'none',
      problems: [error],
    });
    current?.onWorkerError(error);
  });
  post({
    type: 'setup',
    plugins: [...(options.plugins ?? [])],
    backend: (options.backend ?? 'auto') as BackendChoice,
  });

  const open = (description: RunDescription, runOptions: WorkerRunOptions): Opened => {
    current?.onReplaced();
    const id = nextId++;
    const run = createHandle(
      id,
      runOptions,
      post,
      () => terminated,
      (end) => (current = end),
    );
    const problem = notPlain(description);
    const extras: PlainTrainExtras = {
      ...(runOptions.batchEvents !== undefined ? { batchEvents: runOptions.batchEvents } : {}),
      ...(runOptions.outputSample !== undefined ? { outputSample: runOptions.outputSample } : {}),
      ...(runOptions.metrics !== undefined ? { metrics: runOptions.metrics } : {}),
      ...(runOptions.checkpointEvery !== undefined ? { checkpointEvery: runOptions.checkpointEvery } : {}),
    };
    if (problem) {
      run.fail({ code: 'E_OPTION', message: problem });
      return run;
    }
    post({
      type: 'run',
      id,
      description,
      init:
        runOptions.init !== undefined
          ? { model: runOptions.init, name: runOptions.initName ?? 'init' }
          : null,
      extras,
      flushMs: runOptions.flushMs ?? 50,
      sampleMs: runOptions.sampleMs ?? 0,
      epochMs: runOptions.epochMs ?? 0,
      epochEvery: runOptions.epochEvery ?? 1,
      pace: runOptions.pace ?? null,
    });
    return run;
  };
  const training: TrainingWorker = {
    ready,
    run: (description, runOptions = {}) => open(description, runOptions).handle,
    terminate() {
      if (terminated) return;
      terminated = true;
      void worker.terminate();
      current?.onWorkerError(new DeltaflowError('E_STATE', 'The training worker was terminated.'));
      current = null;
    },
  };
  return { training, open };
}

/** The calling thread's state of one run, and its public handle. */
function createHandle(
  id: number,
  options: WorkerRunOptions,
  post: (request: HostRequest) => void,
  isTerminated: () => boolean,
  attach: (end: RunEnd) => void,
): Opened {
  const state = new BehaviorSubject<RunState>('idle');
  const live = new Subject<TrainingEvent>();
  const messages = new Subject<unknown>();
  const history: TrainingEvent[] = [];
  let startEvent: StartEvent | null = null;
  let failure: { error: unknown } | null = null;
  let done = false;
  let started = false;
  let info: WorkerRunInfo | null = null;
  let endModel: ModelJSON | null = null;
  let lastEpoch = 0;
  let resolvePrepared!: (info: WorkerRunInfo | null) => void;
  const prepared = new Promise<WorkerRunInfo | null>((resolve) => (resolvePrepared = resolve));
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const files = new Map<
    number,
    { resolve: (model: ModelJSON | null) => void; meta: Record<string, unknown> }
  >();
  let nextFile = 1;

  const finish = (): void => {
    if (done) return;
    done = true;
    if (state.value !== 'ended') state.next('ended');
    resolvePrepared(info);
    for (const { resolve, meta } of files.values()) resolve(fileFromEnd(meta));
    files.clear();
    resolveEnded();
  };
  const fail = (error: ErrorData | DeltaflowError): void => {
    if (done) return;
    failure = { error: error instanceof DeltaflowError ? error : toError(error) };
    finish();
    live.error(failure.error);
  };
  const fileFromEnd = (meta: Record<string, unknown>): ModelJSON | null =>
    endModel ? { ...endModel, meta: { ...info?.meta, ...endModel.meta, epochs: lastEpoch, ...meta } } : null;

  const onEvent = (event: TrainingEvent): void => {
    if (event.type === 'start') startEvent = event;
    if (event.type === 'epoch') lastEpoch = event.epoch;
    if (event.type === 'end') endModel = event.model;
    if (options.history === 'all') history.push(event);
    live.next(event);
  };

  attach({
    id,
    onFlush(items) {
      for (const item of items) {
        if (done) return;
        switch (item.kind) {
          case 'prepared':
            info = item.prepared;
            resolvePrepared(info);
            break;
          case 'event':
            onEvent(item.event);
            break;
          case 'epochs':
            unpackEpochs(item, onEvent);
            break;
          case 'state':
            if (item.state !== state.value) state.next(item.state);
            break;
          case 'message':
            messages.next(item.message);
            break;
          case 'error':
            fail(item.error);
            break;
          case 'complete':
            finish();
            live.complete();
            messages.complete();
            break;
        }
      }
    },
    onModelFile(request, model) {
      files.get(request)?.resolve(model);
      files.delete(request);
    },
    onWorkerError: (error) => fail(error),
    onReplaced: () => handle.dispose(),
  });

  const send = (command: 'start' | 'pause' | 'resume' | 'step' | 'stop'): void => {
    if (!done) post({ type: 'control', id, command });
  };
  const start = (): void => {
    if (started) return;
    started = true;
    send('start');
  };

  const events$ = new Observable<TrainingEvent>((subscriber) => {
    if (failure) {
      subscriber.error(failure.error);
      return;
    }
    const past = options.history === 'all' ? history : startEvent ? [startEvent] : [];
    for (const event of past) subscriber.next(event);
    if (done) {
      subscriber.complete();
      return;
    }
    const subscription = live.subscribe(subscriber);
    start();
    return subscription;
  });

  const handle: WorkerRun = {
    events$,
    state$: state.asObservable(),
    prepared,
    messages$: messages.asObservable(),
    start,
    pause: () => send('pause'),
    resume: () => send('resume'),
    step: () => send('step'),
    stop: () => send('stop'),
    setLearningRate(lr: number) {
      if (!(lr > 0 && Number.isFinite(lr))) {
        throw new DeltaflowError('E_OPTION', `The learning rate must be a positive number, got ${lr}.`);
      }
      if (!done) post({ type: 'lr', id, lr });
    },
    setPace(epochsPerSecond: number | null) {
      if (epochsPerSecond !== null && !(epochsPerSecond > 0 && Number.isFinite(epochsPerSecond))) {
        throw new DeltaflowError(
          'E_OPTION',
          `The pace must be a positive number of epochs per second or null, got ${epochsPerSecond}.`,
        );
      }
      if (!done) post({ type: 'pace', id, epochsPerSecond });
    },
    modelFile(meta = {}) {
      if (done || isTerminated()) return Promise.resolve(fileFromEnd(meta));
      return new Promise((resolve) => {
        const request = nextFile++;
        files.set(request, { resolve, meta });
        post({ type: 'model-file', id, request, meta });
      });
    },
    dispose() {
      if (done) return;
      post({ type: 'dispose', id });
      finish();
      live.complete();
      messages.complete();
    },
  };
  return { handle, fail, ended };
}

/**
 * Trains one described run in a worker (a Web Worker in a browser, a worker_threads Worker in Node with
 * `worker: nodeWorker()`), so the calling thread never waits for training; the worker ends with the run. The
 * run has the same `events$`, `state$` and controls as {@link createRun}'s, and for the same description its
 * events equal an in-thread run's (`trainRun(description)`), bit for bit, when both compute with the same kernels.
 * Events cross in batches, one message per flush, and come out of `events$` one by one, unchanged. A bad
 * description or a plugin that fails to load ends `events$` with a `DeltaflowError` naming the problem.
 *
 * @example
 * ```ts
 * // not-runnable: needs a worker (in Node: import { nodeWorker } from '@deltaflow/trainer/node')
 * const run = createWorkerRun({ data: 'circle', layers: [8], epochs: 200 }, { worker: nodeWorker() });
 * run.events$.subscribe((event) => {
 *   if (event.type === 'epoch') console.log(event.epoch, event.loss);
 * });
 * run.pause();
 * run.setLearningRate(0.1);
 * run.resume();
 * ```
 * @param description - the run, as plain data (a built-in dataset or CSV text; a model to continue goes in `init`)
 * @param options - the worker, plugins by module URL, and the options of the run
 * @returns the run, idle until started or subscribed to
 * @category Worker
 */
export function createWorkerRun(
  description: RunDescription,
  options: TrainingWorkerOptions & WorkerRunOptions = {},
): WorkerRun {
  const { training, open } = launch(options);
  const run = open(description, options);
  void training.ready.then(({ problems }) => {
    if (problems.length > 0) {
      run.fail(problems[0]!);
    }
  });
  void run.ended.then(() => training.terminate());
  return run.handle;
}
