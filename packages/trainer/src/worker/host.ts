// The worker side of a WorkerRun: prepares described runs with the library's recipe, trains them in this thread,
// and posts their events, state and replies to the calling thread in batches (one message per flush).
import { pluginRegistries } from '@deltaflow/core';
import type { Plugin } from '@deltaflow/core';
import { installPlugin, modelToJSON } from '@deltaflow/network';
import { DeltaflowError, getBackend, jsBackend, loadWasmBackend, setBackend } from '@deltaflow/tensor';
import { Subject } from 'rxjs';
import type { Subscription, Observable } from 'rxjs';
import type { RunState } from '../control.js';
import type { TrainingEvent } from '../events.js';
import type { RunDescription } from '../recipe/description.js';
import { prepareRun } from '../recipe/prepare.js';
import type { PreparedRun } from '../recipe/prepare.js';
import { createRun } from '../run-controller.js';
import type { TrainingRun } from '../run-controller.js';
import { EventThinner } from '../thin.js';
import { continueFrom } from './continue-from.js';
import { Pacer } from './pacer.js';
import { addToPack, closePack, fitsPack, openPack, packShape } from './epoch-pack.js';
import type { OpenPack } from './epoch-pack.js';
import { errorData } from './protocol.js';
import type { BackendChoice, ErrorData, FlushItem, HostReply, HostRequest } from './protocol.js';

/**
 * The worker's end of the channel to the calling thread: a Web Worker's global scope (`self`), or the
 * `parentPort` of Node's worker_threads (both have these two methods).
 *
 * @example
 * ```ts
 * // not-runnable: in a worker module
 * serveTrainingWorker(self as unknown as TrainingWorkerScope);
 * ```
 * @category Worker
 */
export interface TrainingWorkerScope {
  /** Sends a message to the calling thread (structured clone), transferring the listed buffers. */
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  /** Listens for the calling thread's messages. */
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * A run as an observer inside the worker sees it (see {@link ServeTrainingWorkerOptions.observe}): the prepared
 * run (its live model, its data), every event as the trainer emits it, the state the caller sees, and a way to
 * post your own messages, which arrive on the caller's `WorkerRun.messages$` in order with the events.
 *
 * @example
 * ```ts
 * // not-runnable: an observer of your own worker module
 * const observe = (run: ObservedRun) => {
 *   const sub = run.events$.subscribe((e) => {
 *     if (e.type === 'epoch' && e.epoch % 100 === 0) run.post({ epoch: e.epoch, weights: run.prepared.model.summary() });
 *   });
 *   return () => sub.unsubscribe();
 * };
 * ```
 * @category Worker
 */
export interface ObservedRun {
  /** The description the run was prepared from (after `init` was applied). */
  readonly description: RunDescription;
  /** The prepared run: the model being trained (live), the data, the options, the meta. */
  readonly prepared: PreparedRun;
  /** Every event of the run, unsampled, in order. */
  readonly events$: Observable<TrainingEvent>;
  /** The state the caller sees (pacing holds show as running). */
  readonly state$: Observable<RunState>;
  /** Posts a message (plain data) to the caller's `messages$`, after the events so far; `transfer` lists buffers. */
  post(message: unknown, transfer?: readonly unknown[]): void;
}

/**
 * Options of {@link serveTrainingWorker}.
 *
 * @example
 * ```ts
 * // not-runnable: in a worker module
 * serveTrainingWorker(self as unknown as TrainingWorkerScope, { plugins: [myPlugin], observe: (run) => undefined });
 * ```
 * @category Worker
 */
export interface ServeTrainingWorkerOptions {
  /** Plugins to install before any run (objects bundled with the worker, beside those loaded by URL). */
  plugins?: readonly Plugin[];
  /**
   * Called for each run once it is prepared, before it starts; may return a teardown called when the run is
   * replaced or disposed. For worker-side extras such as model snapshots (see {@link ObservedRun}).
   */
  observe?: (run: ObservedRun) => void | (() => void);
}

/** Queues what goes to the calling thread and posts it in one message per flush. */
class Outbox {
  private items: (FlushItem | OpenPack)[] = [];
  private transfer: unknown[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private soon = false;

  constructor(
    private readonly scope: TrainingWorkerScope,
    private readonly id: number,
    private readonly intervalMs: number,
  ) {}

  /**
   * Queues an item; `soon` posts it at the end of the current task (a change of state is posted with the
   * events that follow it synchronously, such as the epoch event that announces a pause), else within
   * `intervalMs`.
   */
  push(item: FlushItem, transfer?: readonly unknown[], soon = false): void {
    this.items.push(item);
    if (transfer) this.transfer.push(...transfer);
    if (soon) {
      if (!this.soon) {
        this.soon = true;
        queueMicrotask(() => {
          this.soon = false;
          this.flush();
        });
      }
    } else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Queues a training event: runs of epoch events of one shape go as one packed array. */
  event(event: TrainingEvent): void {
    if (event.type === 'epoch') {
      const last = this.items[this.items.length - 1];
      if (last?.kind === 'open-epochs' && fitsPack(last, event)) {
        addToPack(last, event);
        return;
      }
      const shape = packShape(event);
      if (shape !== null) {
        const pack = openPack(event, shape);
        addToPack(pack, event);
        this.items.push(pack);
        this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
        return;
      }
    }
    this.push({ kind: 'event', event });
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.items.length === 0) return;
    const transfer = this.transfer;
    const items = this.items.map((item): FlushItem => {
      if (item.kind !== 'open-epochs') return item;
      if (item.rows === 1) return { kind: 'event', event: item.first };
      const packed = closePack(item);
      transfer.push(packed.rows.buffer);
      return packed;
    });
    this.items = [];
    this.transfer = [];
    const reply: HostReply = { type: 'flush', id: this.id, items };
    this.scope.postMessage(reply, transfer);
  }

  drop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.items = [];
    this.transfer = [];
  }
}

/** One run of the worker. */
class HostedRun {
  private run: TrainingRun | null = null;
  private prepared: PreparedRun | null = null;
  private readonly outbox: Outbox;
  private readonly pending: HostRequest[] = [];
  private startWanted = false;
  private started = false;
  private subscriptions: Subscription[] = [];
  private teardown: (() => void) | null = null;
  private readonly pacer: Pacer;
  private readonly all = new Subject<TrainingEvent>();
  private readonly shownState = new Subject<RunState>();
  private shown: RunState = 'idle';
  private innerState: RunState = 'idle';
  private lastEpoch = 0;
  private disposed = false;
  /** The thinning of what is posted (`sampleMs`, `epochMs`, `epochEvery`): thinEvents' rule; null posts all. */
  private readonly thinner: EventThinner | null;
  private readonly post = (event: TrainingEvent): void => this.outbox.event(event);

  constructor(
    private readonly scope: TrainingWorkerScope,
    private readonly request: Extract<HostRequest, { type: 'run' }>,
    private readonly observe: ServeTrainingWorkerOptions['observe'],
  ) {
    this.outbox = new Outbox(scope, request.id, request.flushMs);
    const { sampleMs, epochMs, epochEvery } = request;
    this.thinner =
      sampleMs > 0 || epochMs > 0 || epochEvery > 1
        ? new EventThinner({ sampleMs, epochMs, epochEvery })
        : null;
    this.pacer = new Pacer(request.pace, {
      hold: () => this.run?.pause(),
      release: () => this.run?.resume(),
    });
  }

  get id(): number {
    return this.request.id;
  }

  async prepare(): Promise<void> {
    const { description, init, extras } = this.request;
    let run: TrainingRun;
    let described: RunDescription;
    try {
      described = init ? continueFrom(description, init) : description;
      this.prepared = await prepareRun(described);
      if (this.disposed) return;
      const { model, train, trainOptions } = this.prepared;
      run = createRun(model, train, { ...trainOptions, ...extras });
    } catch (error) {
      if (!this.disposed) this.fail(error);
      return;
    }
    this.run = run;
    const prepared = this.prepared;
    const { loss, optimizer, optimizerOptions, batchSize, seed, task } = prepared.trainOptions;
    this.outbox.push({
      kind: 'prepared',
      prepared: {
        notices: prepared.notices,
        meta: { ...prepared.meta, loss, optimizer, optimizerOptions, batchSize, seed, task },
        model: prepared.model.summary(),
        backend: getBackend().name,
      },
    });
    this.subscriptions.push(run.state$.subscribe((state) => this.onInnerState(state)));
    if (this.observe) {
      const teardown = this.observe({
        description: described,
        prepared,
        events$: this.all.asObservable(),
        state$: this.shownState.asObservable(),
        post: (message, transfer) => this.outbox.push({ kind: 'message', message }, transfer),
      });
      if (teardown) this.teardown = teardown;
    }
    for (const request of this.pending.splice(0)) this.handle(request);
    if (this.startWanted) this.start();
    this.outbox.flush();
  }

  handle(request: HostRequest): void {
    if (!this.run) {
      if (request.type === 'control' && request.command === 'start') this.startWanted = true;
      else this.pending.push(request);
      return;
    }
    const run = this.run;
    switch (request.type) {
      case 'control':
        if (request.command === 'start') this.start();
        else if (request.command === 'pause') this.pacer.pause();
        else if (request.command === 'resume') this.pacer.resume(this.lastEpoch);
        else if (request.command === 'step') this.pacer.step(() => run.step());
        else this.pacer.stop(() => run.stop());
        this.showState();
        break;
      case 'lr':
        try {
          run.setLearningRate(request.lr);
        } catch (error) {
          this.fail(error);
        }
        break;
      case 'pace':
        this.pacer.setRate(request.epochsPerSecond, this.lastEpoch);
        this.showState();
        break;
      case 'model-file':
        this.outbox.flush();
        this.scope.postMessage({
          type: 'model-file',
          id: this.id,
          request: request.request,
          model: this.prepared
            ? modelToJSON(this.prepared.model, { ...this.metaForFile(), ...request.meta })
            : null,
        } satisfies HostReply);
        break;
      default:
        break;
    }
  }

  private metaForFile(): Record<string, unknown> {
    const { loss, optimizer, optimizerOptions, batchSize, seed, task } = this.prepared!.trainOptions;
    return {
      ...this.prepared!.meta,
      loss,
      optimizer,
      optimizerOptions,
      batchSize,
      seed,
      task,
      epochs: this.lastEpoch,
    };
  }

  private start(): void {
    if (this.started || !this.run) return;
    this.started = true;
    this.subscriptions.push(
      this.run.events$.subscribe({
        next: (event) => this.onEvent(event),
        error: (error: unknown) => this.fail(error),
        complete: () => this.outbox.push({ kind: 'complete' }, undefined, true),
      }),
    );
  }

  private onEvent(event: TrainingEvent): void {
    if (event.type === 'backward') this.pacer.beforeEpochEvent(event.epoch);
    if (event.type === 'epoch') this.lastEpoch = event.epoch;
    // thinned as thinEvents thins: the held newest epoch, forward and backward go before the end
    if (this.thinner) this.thinner.push(event, this.post);
    else this.outbox.event(event);
    // observers see the event after it is queued: what they post follows it
    this.all.next(event);
  }

  /** Sends the held (newest dropped) events: a held or ended run shows its last epoch whole. */
  private flushDropped(): void {
    this.thinner?.flush(this.post);
  }

  private onInnerState(state: RunState): void {
    this.innerState = state;
    this.showState();
  }

  /** Posts the state the caller sees when it changes: the run's own, except that pacing holds show as running. */
  private showState(): void {
    const state = this.pacer.holding && this.innerState === 'paused' ? 'running' : this.innerState;
    if (state === this.shown) return;
    this.shown = state;
    this.shownState.next(state);
    if (state === 'paused') this.flushDropped();
    // a change of state is what a waiting caller waits for: sent at once, after the events before it
    this.outbox.push({ kind: 'state', state }, undefined, true);
  }

  private fail(error: unknown): void {
    const data: ErrorData = errorData(error);
    this.outbox.push({ kind: 'error', error: data }, undefined, true);
    this.dispose(false);
  }

  dispose(drop = true): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pacer.dispose();
    this.teardown?.();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    this.run?.stop();
    if (drop) this.outbox.drop();
  }
}

async function installUrls(urls: readonly string[]): Promise<ErrorData[]> {
  const problems: ErrorData[] = [];
  for (const url of urls) {
    try {
      const module = (await import(/* @vite-ignore */ url)) as { default?: Plugin };
      installPlugin((module.default ?? module) as Plugin);
    } catch (error) {
      const data = errorData(error);
      problems.push({
        code: data.code === 'E_UNKNOWN' ? 'E_PLUGIN' : data.code,
        message: `The plugin ${url} could not be installed: ${data.message}`,
      });
    }
  }
  return problems;
}

function chooseBackend(choice: BackendChoice): void {
  if (choice === 'js') setBackend(jsBackend);
  else if (choice === 'wasm') {
    const wasm = loadWasmBackend({ threads: 1 });
    if (!wasm)
      throw new DeltaflowError(
        'E_OPTION',
        'This worker cannot run the WebAssembly SIMD kernels; use backend "js" or "auto".',
      );
    setBackend(wasm);
  }
}

/**
 * Serves training runs to the thread that started this worker: call it once in a worker module. The default
 * worker of {@link createWorkerRun} is a module that calls it; write your own module when the worker should
 * bundle plugins or run an observer (model snapshots, say), and start it with the `worker` option.
 *
 * Each run is prepared from its {@link RunDescription} with {@link prepareRun}, exactly as in the calling thread,
 * trained with {@link createRun}, and its events, state and your observer's messages are posted in one message
 * per flush (every `flushMs`, and at once when the state changes or the run ends).
 *
 * @example
 * ```ts
 * // not-runnable: the whole of a worker module (my-worker.ts)
 * import { serveTrainingWorker } from '@deltaflow/trainer';
 * import type { TrainingWorkerScope } from '@deltaflow/trainer';
 * import type { Plugin } from '@deltaflow/core';
 *
 * declare const softsign: Plugin; // in your worker module: import softsign from './softsign-plugin.js'
 * serveTrainingWorker(self as unknown as TrainingWorkerScope, { plugins: [softsign] });
 * ```
 * @param scope - the worker's channel to its caller: `self` in a Web Worker, `parentPort` in worker_threads
 * @param options - plugins bundled with the worker, an observer of each run
 * @category Worker
 */
export function serveTrainingWorker(
  scope: TrainingWorkerScope,
  options: ServeTrainingWorkerOptions = {},
): void {
  let current: HostedRun | null = null;
  let setup: Promise<void> | null = null;
  for (const plugin of options.plugins ?? []) {
    const names = plugin.activations?.map((a) => a.name) ?? [];
    if (names.length > 0 && names.every((name) => pluginRegistries.activation.has(name))) continue;
    installPlugin(plugin);
  }
  const post = (reply: HostReply): void => scope.postMessage(reply);
  scope.addEventListener('message', (event) => {
    const request = event.data as HostRequest;
    if (request.type === 'setup') {
      setup = (async () => {
        let problems: ErrorData[] = [];
        try {
          chooseBackend(request.backend);
        } catch (error) {
          problems.push(errorData(error));
        }
        problems = [...problems, ...(await installUrls(request.plugins))];
        post({
          type: 'ready',
          names: {
            activations: pluginRegistries.activation.names(),
            losses: pluginRegistries.loss.names(),
            optimizers: pluginRegistries.optimizer.names(),
          },
          backend: getBackend().name,
          problems,
        });
      })();
      return;
    }
    if (request.type === 'run') {
      current?.dispose();
      const run = new HostedRun(scope, request, options.observe);
      current = run;
      void (setup ?? Promise.resolve()).then(() => run.prepare());
      return;
    }
    if (!current || current.id !== request.id) {
      if (request.type === 'model-file')
        post({ type: 'model-file', id: request.id, request: request.request, model: null });
      return;
    }
    if (request.type === 'dispose') {
      current.dispose();
      current = null;
      return;
    }
    current.handle(request);
  });
}
