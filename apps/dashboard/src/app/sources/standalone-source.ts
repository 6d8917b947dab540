import { Subject } from 'rxjs';
import type { FeedMessage } from '../../shared/feed.js';
import { describePlaygroundRun } from '../../shared/playground-config.js';
import type { PlaygroundConfig } from '../../shared/playground-config.js';
import type { ClientMessage } from '../../shared/wire.js';
import type { RegistryNames, WorkerReply, WorkerRequest } from '../../shared/worker-protocol.js';
import type { Source } from './source.js';
import type { ModelFileReply } from '../../shared/worker-protocol.js';
import { describeUserRun } from '../../shared/user-run.js';
import type { UserData, UserModel } from '../../shared/user-run.js';

/**
 * The standalone page's source: a module Web Worker that trains with the deltaflow packages, so the page never
 * waits for training. `configure` (re)starts a paused run; `send` steers it.
 * @category Dashboard
 */
export class StandaloneSource implements Source {
  readonly messages$ = new Subject<FeedMessage>();
  /** The activation, loss and optimizer names the worker has (built-ins and plugins). */
  readonly names: Promise<RegistryNames>;
  private readonly worker: Worker;
  /** The person's own CSV and columns, used by every configure until cleared. */
  private userData: UserData | null = null;
  /** An opened model file: the next configures continue from its weights (reset too) until cleared. */
  private userModel: UserModel | null = null;
  private readonly modelFiles: ((reply: ModelFileReply) => void)[] = [];

  /** @param pluginUrls - plugin modules the worker imports and installs before it trains */
  constructor(pluginUrls: readonly string[] = []) {
    this.worker = new Worker(new URL('../../worker/training-worker.ts', import.meta.url), { type: 'module' });
    this.names = new Promise((resolve) => {
      this.worker.onmessage = (message: MessageEvent<WorkerReply>) => {
        const reply = message.data;
        if (reply.type === 'hello') resolve(reply.names);
        else if (reply.type === 'model-file') this.modelFiles.shift()?.(reply);
        else for (const feed of reply.messages) this.messages$.next(feed);
      };
    });
    this.worker.onerror = (event) =>
      this.messages$.next({ type: 'error', message: event.message || 'The training worker failed.' });
    this.post({ type: 'plugins', urls: pluginUrls });
  }

  /** Builds a fresh, paused run from `config` (the worker drops the previous run). */
  configure(config: PlaygroundConfig): void {
    if (this.userData || this.userModel) return this.configureOwn(config);
    this.post({ type: 'configure', description: describePlaygroundRun(config) });
  }

  /** Paces this run and the next ones: epochs per second, or null for as fast as possible. */
  setSpeed(epochsPerSecond: number | null): void {
    this.post({ type: 'speed', epochsPerSecond });
  }

  send(message: ClientMessage): void {
    this.post(message);
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
  modelFile(): Promise<ModelFileReply> {
    return new Promise((resolve) => {
      this.modelFiles.push(resolve);
      this.post({ type: 'model-file' });
    });
  }

  /** A fresh, paused run over the person's CSV (when one is in use), from the opened model file (when one is). */
  private configureOwn(config: PlaygroundConfig): void {
    const description = describeUserRun(config, this.userData);
    if (this.userModel) this.post({ type: 'continue', description, model: this.userModel });
    else this.post({ type: 'configure', description });
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }
}
