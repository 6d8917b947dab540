// The standalone page's training worker: builds the run a description asks for (the library's recipe), runs it off the main thread,
// and posts its events (thinned: batch, forward and backward events sampled; epoch and end never dropped),
// its state, and model snapshots with the output grid at most ~10 times a second (and on every paused epoch).
// The run goes at the page's speed (epochs per second, or as fast as possible), paced here by a RunDriver, which
// also counts steps and says whether the run is running, paused or ended.
import { activations } from '@deltaflow/activations';
import { losses } from '@deltaflow/losses';
import { optimizers } from '@deltaflow/optimizers';
import type { TrainingEvent } from '@deltaflow/trainer';
import { tap } from 'rxjs';
import type { Subscription } from 'rxjs';
import { GridSampler } from '../model/grid.js';
import { weightsOfModel } from '../model/weights.js';
import { thinEvents } from '../shared/thin.js';
import type { WorkerReply, WorkerRequest } from '../shared/worker-protocol.js';
import type { RunDescription } from '@deltaflow/trainer';
import { installDashboardPlugins, installPluginUrls } from './plugins.js';
import { Publisher } from './publisher.js';
import { RunDriver } from './run-driver.js';
import { setupRun } from './run-setup.js';
import type { PlaygroundRun } from './run-setup.js';
import type { ModelFileReply } from '../shared/worker-protocol.js';
import type { UserModel } from '../shared/user-run.js';
import { continueFrom, modelFileText } from './model-file.js';

const SNAPSHOT_INTERVAL_MS = 100;
const GRID_SIZE = 50;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: WorkerReply, transfer: Transferable[] = []): void =>
  scope.postMessage(message, transfer);
const publisher = new Publisher((messages, transfer) => post({ type: 'feed', messages }, transfer));
const sampler = new GridSampler(GRID_SIZE);

interface Current extends PlaygroundRun {
  driver: RunDriver;
  subscription: Subscription;
  lastSnapshot: number;
  /** The newest backward event, and whether the (thinned) stream passed it on. */
  lastBackward: TrainingEvent | null;
  backwardSent: boolean;
}
let current: Current | null = null;
/** Epochs per second of the runs to come and the current one (null: as fast as possible). */
let rate: number | null = null;

function snapshot(c: Current, epoch: number): void {
  c.lastSnapshot = performance.now();
  const grid = c.points ? sampler.sample(c.model, c.points.extent) : null;
  publisher.snapshot({ type: 'snapshot', epoch, layers: weightsOfModel(c.model, c.activations), grid });
}

function onEvent(c: Current, event: TrainingEvent): void {
  const before = c.driver.state;
  if (event.type === 'backward') c.backwardSent = true;
  publisher.event(event);
  const after = c.driver.event(event);
  // Held: the gradient charts end at the same epoch as the others, even when thinning dropped the last backward.
  if (after !== 'running' && !c.backwardSent && c.lastBackward) {
    c.backwardSent = true;
    publisher.event(c.lastBackward);
  }
  if (after !== before) publisher.state(after);
  if (
    event.type === 'epoch' &&
    (after === 'paused' || performance.now() - c.lastSnapshot >= SNAPSHOT_INTERVAL_MS)
  ) {
    snapshot(c, event.epoch);
  }
  if (event.type === 'end') {
    snapshot(c, event.epochs);
    publisher.flush();
  }
  if (event.type === 'epoch') files.get(c)!.epochs = event.epoch;
}

/** What a run's model file needs besides the model: the last epoch done, the data's name, the meta. */
interface FileInfo {
  epochs: number;
  dataName: string;
  meta: Record<string, unknown>;
}
const files = new WeakMap<Current, FileInfo>();

/** The data's short name: a built-in set's, or the CSV file's base name. */
function dataNameOf(description: RunDescription): string {
  const data = description.data;
  if (typeof data === 'string') return data;
  if ('csv' in data) return (data.file ?? 'csv').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'csv';
  return data.name;
}

/** The run's model file meta: the recipe's, the data, the CSV target, and the model file it continued. */
function fileInfo(description: RunDescription, setup: PlaygroundRun, model?: UserModel): FileInfo {
  const data = description.data;
  const meta = {
    data: typeof data === 'object' && 'csv' in data ? (data.file ?? 'csv') : dataNameOf(description),
    ...setup.meta,
    ...(description.target ? { targetColumns: [...description.target] } : {}),
    ...(model ? { init: model.file } : {}),
  };
  return { epochs: 0, dataName: dataNameOf(description), meta };
}

/** The run's model as a model file, named after the data and the epoch. */
function modelFile(): ModelFileReply {
  const info = current && files.get(current);
  if (!current || !info) return { type: 'model-file', text: null, name: '' };
  return {
    type: 'model-file',
    text: modelFileText(current.model, {
      ...info.meta,
      epochs: info.epochs,
      created: new Date().toISOString(),
    }),
    name: `deltaflow-${info.dataName}-epoch-${info.epochs}.json`,
  };
}

/** Counts configure requests, so that only the newest one's run starts when several are being prepared. */
let generation = 0;

async function configure(description: RunDescription, model?: UserModel): Promise<void> {
  const mine = ++generation;
  if (current) {
    current.subscription.unsubscribe();
    current.driver.dispose();
    current.run.stop();
    current = null;
  }
  publisher.clear();
  let setup: PlaygroundRun;
  try {
    setup = await setupRun(model ? continueFrom(description, model) : description);
  } catch (error) {
    if (mine !== generation) return;
    publisher.send({ type: 'error', message: (error as Error).message });
    return;
  }
  if (mine !== generation) return;
  const c: Current = {
    ...setup,
    driver: new RunDriver(setup.run, rate),
    subscription: null!,
    lastSnapshot: 0,
    lastBackward: null,
    backwardSent: true,
  };
  current = c;
  files.set(c, fileInfo(description, setup, model));
  c.run.pause();
  // Subscribing starts the (paused) run: its start event comes at once, then the points and the first snapshot.
  c.subscription = c.run.events$
    .pipe(
      tap((event) => {
        if (event.type === 'backward') {
          c.lastBackward = event;
          c.backwardSent = false;
        }
      }),
      thinEvents(50),
    )
    .subscribe({
      next: (event) => onEvent(c, event),
      error: (error: unknown) => publisher.send({ type: 'error', message: (error as Error).message }),
    });
  if (c.points) publisher.send(c.points);
  snapshot(c, 0);
  publisher.flush();
}

/** Installs the page's plugin modules, then tells the page every name it can train with. */
async function hello(urls: readonly string[]): Promise<void> {
  // a status, not an error: it stays on screen when a run starts (a run's start clears errors)
  const failures = await installPluginUrls(urls);
  if (failures.length > 0) publisher.send({ type: 'status', text: failures.join(' ') });
  publisher.flush();
  post({
    type: 'hello',
    names: { activations: activations.names(), losses: losses.names(), optimizers: optimizers.names() },
  });
}

scope.onmessage = (message: MessageEvent<WorkerRequest>) => {
  const request = message.data;
  if (request.type === 'continue') return void configure(request.description, request.model);
  if (request.type === 'model-file') return void post(modelFile());
  if (request.type === 'plugins') return void hello(request.urls);
  if (request.type === 'configure') return void configure(request.description);
  if (request.type === 'speed') {
    rate = request.epochsPerSecond;
    current?.driver.setRate(rate);
    return;
  }
  if (!current) return;
  if (request.type === 'lr') {
    current.run.setLearningRate(request.lr);
    return;
  }
  const before = current.driver.state;
  const state = current.driver.command(request.command);
  if (state !== before) publisher.state(state);
  publisher.flush();
};

installDashboardPlugins();
