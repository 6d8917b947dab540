import type {
  EpochEvent,
  RunDescription,
  RunState,
  TrainingEvent,
  WorkerLike,
  WorkerRun,
} from '@deltaflow/trainer';
import { startTrainingWorker } from '@deltaflow/trainer';
import type { TrainingWorker } from '@deltaflow/trainer';
import { Subject } from 'rxjs';
import type { Subscription } from 'rxjs';
import { packEpochs } from '../../shared/epoch-columns.js';
import type { FeedMessage } from '../../shared/feed.js';
import { describePlaygroundRun } from '../../shared/playground-config.js';
import type { PlaygroundConfig } from '../../shared/playground-config.js';
import type { RunCommand } from '../../shared/run-state.js';
import type { ClientMessage } from '../../shared/wire.js';
import type { ModelFileReply, RegistryNames } from '../../shared/worker-protocol.js';
import { describeUserRun } from '../../shared/user-run.js';
import { explainPluginProblem } from '../page-plugins.js';
import type { Source } from './source.js';
import type { UserData, UserModel } from '../../shared/user-run.js';

/** How often a display needs batch, forward and backward events: the worker samples them (epochs all pass). */
const SAMPLE_MS = 50;

/**
 * The state the page shows for a standalone run, over the worker run's own: steps are counted (three quick
 * clicks on step run three epochs, one after the other) and a run stepping shows as paused, so the step button
 * stays usable.
 *
 * @example
 * ```ts
 * const asked: string[] = [];
 * const steps = new StepCounter({ pause: () => {}, resume: () => {}, stop: () => {}, step: () => asked.push('step') });
 * steps.runState('paused');
 * steps.command('step');
 * steps.command('step'); // counted: the run is asked for one step at a time
 * asked.length; // → 1
 * steps.runState('running');
 * steps.shown; // → 'paused'
 * ```
 * @category Dashboard
 */
export class StepCounter {
  private steps = 0;
  private state: RunState = 'idle';

  /** @param run - the controls of the run (a `WorkerRun`) */
  constructor(private readonly run: Pick<WorkerRun, 'pause' | 'resume' | 'step' | 'stop'>) {}

  /** The state to show. */
  get shown(): RunState {
    return this.steps > 0 && this.state === 'running' ? 'paused' : this.state;
  }

  /** Notes the run's state (its `state$`). */
  runState(state: RunState): void {
    this.state = state;
  }

  /** Notes an event of the run: a step's epoch ended, so the next counted step goes. */
  event(event: TrainingEvent): void {
    if (event.type !== 'epoch' || this.steps === 0) return;
    this.steps--;
    if (this.steps > 0) this.run.step();
  }

  /** Applies a command of the page. */
  command(command: RunCommand): void {
    if (command === 'step') {
      if (this.shown === 'running') return this.run.pause();
      if (++this.steps === 1) this.run.step();
      return;
    }
    this.steps = 0;
    this.run[command]();
  }
}

/** The data's short name: a built-in set's, or the CSV file's base name. */
function dataNameOf(description: RunDescription): string {
  const data = description.data;
  if (typeof data === 'string') return data;
  if ('csv' in data) return (data.file ?? 'csv').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'csv';
  return 'name' in data ? data.name : 'data';
}

/** The current run and what belongs to it. */
interface Current {
  run: WorkerRun;
  description: RunDescription;
  model: UserModel | null;
  steps: StepCounter;
  subscriptions: Subscription[];
}

/**
 * The standalone page's source: runs trained off the main thread by `@deltaflow/trainer`'s worker API
 * (`startTrainingWorker`, one module Web Worker for every run of the page), so the page never waits for training.
 * The worker samples batch, forward and backward events for display, paces the run at the chosen speed and adds
 * the page's model snapshots; this source turns what arrives into feed messages for the store. `configure`
 * (re)starts a paused run; `send` steers it.
 * @category Dashboard
 */
export class StandaloneSource implements Source {
  readonly messages$ = new Subject<FeedMessage>();
  /** The activation, loss and optimizer names the worker has (built-ins and plugins). */
  readonly names: Promise<RegistryNames>;
  private readonly worker: TrainingWorker;
  /** The person's own CSV and columns, used by every configure until cleared. */
  private userData: UserData | null = null;
  /** An opened model file: the next configures continue from its weights (reset too) until cleared. */
  private userModel: UserModel | null = null;
  private speed: number | null = null;
  private current: Current | null = null;
  /** What arrived since the last emission, in order: events are grouped (epochs packed in columns). */
  private pending: (FeedMessage | TrainingEvent)[] = [];
  private scheduled = false;
  private shownState: RunState | null = null;

  /** @param pluginUrls - plugin modules the worker imports and installs before it trains (the exports too) */
  constructor(readonly pluginUrls: readonly string[] = []) {
    this.worker = startTrainingWorker({
      plugins: pluginUrls,
      worker: () =>
        new Worker(new URL('../../worker/training-worker.ts', import.meta.url), {
          type: 'module',
        }) as unknown as WorkerLike,
    });
    this.names = this.worker.ready.then(({ names, problems }) => {
      // a notice: it stays on screen for the page's life (a run's start clears errors, statuses change)
      for (const problem of problems) {
        this.emit({ type: 'notice', text: explainPluginProblem(problem.message, pluginUrls, location.href) });
      }
      return names;
    });
  }

  /** Builds a fresh, paused run from `config` (the previous run is dropped). */
  configure(config: PlaygroundConfig): void {
    const own = this.userData || this.userModel;
    this.start(own ? describeUserRun(config, this.userData) : describePlaygroundRun(config), this.userModel);
  }

  /** Paces this run and the next ones: epochs per second, or null for as fast as possible. */
  setSpeed(epochsPerSecond: number | null): void {
    this.speed = epochsPerSecond;
    this.current?.run.setPace(epochsPerSecond);
  }

  /** Sends a command (pause, resume, step, stop, learning rate) to the run. */
  send(message: ClientMessage): void {
    const current = this.current;
    if (!current) return;
    if (message.type === 'lr') {
      try {
        current.run.setLearningRate(message.lr);
      } catch (error) {
        this.emit({ type: 'error', message: (error as Error).message });
      }
      return;
    }
    current.steps.command(message.command);
    this.showState();
  }

  /** Trains on `data` (a CSV and its chosen columns) from the next configure on, or on the built-in sets (null). */
  useData(data: UserData | null): void {
    this.userData = data;
  }

  /** Starts the next configures from an opened model file's architecture and weights, or from new ones (null). */
  useModel(model: UserModel | null): void {
    this.userModel = model;
  }

  /** The run's model as a model file (the format `deltaflow predict --model` reads), from the worker. */
  async modelFile(): Promise<ModelFileReply> {
    const current = this.current;
    const none: ModelFileReply = { type: 'model-file', text: null, name: '' };
    if (!current) return none;
    const { description, model } = current;
    const data = description.data;
    const json = await current.run.modelFile({
      data: typeof data === 'object' && 'csv' in data ? (data.file ?? 'csv') : dataNameOf(description),
      ...(description.target ? { targetColumns: [...description.target] } : {}),
      ...(model ? { init: model.file } : {}),
      created: new Date().toISOString(),
    });
    if (!json) return none;
    return {
      type: 'model-file',
      text: `${JSON.stringify(json, null, 2)}\n`,
      name: `deltaflow-${dataNameOf(description)}-epoch-${String(json.meta?.['epochs'] ?? 0)}.json`,
    };
  }

  private start(description: RunDescription, model: UserModel | null): void {
    if (this.current) {
      for (const subscription of this.current.subscriptions) subscription.unsubscribe();
      this.current.run.dispose();
    }
    this.pending = [];
    this.shownState = null;
    const run = this.worker.run(description, {
      batchEvents: true,
      sampleMs: SAMPLE_MS,
      pace: this.speed,
      ...(model ? { init: model.text, initName: model.file } : {}),
    });
    const current: Current = { run, description, model, steps: new StepCounter(run), subscriptions: [] };
    this.current = current;
    const mine = (): boolean => this.current === current;
    // created paused: subscribing starts it, and its start event comes at once
    run.pause();
    current.subscriptions.push(
      run.state$.subscribe((state) => {
        if (!mine()) return;
        current.steps.runState(state);
        this.showState();
      }),
      run.messages$.subscribe((message) => mine() && this.emit(message as FeedMessage)),
      run.events$.subscribe({
        next: (event) => {
          if (!mine()) return;
          this.emit(event);
          current.steps.event(event);
          this.showState();
        },
        error: (error: unknown) => mine() && this.emit({ type: 'error', message: (error as Error).message }),
      }),
    );
  }

  /** Queues the state to show when it changed. */
  private showState(): void {
    const state = this.current?.steps.shown;
    if (!state || state === this.shownState || state === 'idle') return;
    this.shownState = state;
    this.emit({ type: 'state', state });
  }

  /** Queues a message or an event; everything that arrives in one task is emitted together, in order. */
  private emit(item: FeedMessage | TrainingEvent): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const items = this.pending;
      this.pending = [];
      for (const message of group(items)) this.messages$.next(message);
    });
  }
}

/** Whether a queued item is a training event (their types differ from the feed messages'). */
const isEvent = (item: FeedMessage | TrainingEvent): item is TrainingEvent => EVENT_TYPES.has(item.type);
const EVENT_TYPES: ReadonlySet<string> = new Set<TrainingEvent['type']>([
  'start',
  'batch',
  'forward',
  'backward',
  'epoch',
  'checkpoint',
  'end',
]);

/**
 * Feed messages of queued items, in order: a run of epoch events becomes one message of columns
 * (`packEpochs`), a run of other events one `events` message.
 */
function group(items: readonly (FeedMessage | TrainingEvent)[]): FeedMessage[] {
  const out: FeedMessage[] = [];
  let epochs: EpochEvent[] = [];
  let events: TrainingEvent[] = [];
  const close = (): void => {
    if (epochs.length > 0) out.push(packEpochs(epochs));
    if (events.length > 0) out.push({ type: 'events', events });
    epochs = [];
    events = [];
  };
  for (const item of items) {
    if (!isEvent(item)) {
      close();
      out.push(item);
    } else if (item.type === 'epoch') {
      if (events.length > 0) close();
      epochs.push(item);
    } else {
      if (epochs.length > 0) close();
      events.push(item);
    }
  }
  close();
  return out;
}
