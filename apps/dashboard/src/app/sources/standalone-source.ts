import { Subject } from 'rxjs';
import type { FeedMessage } from '../../shared/feed.js';
import { describePlaygroundRun } from '../../shared/playground-config.js';
import type { PlaygroundConfig } from '../../shared/playground-config.js';
import type { ClientMessage } from '../../shared/wire.js';
import type { RegistryNames, WorkerReply, WorkerRequest } from '../../shared/worker-protocol.js';
import type { Source } from './source.js';

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

  /** @param pluginUrls - plugin modules the worker imports and installs before it trains */
  constructor(pluginUrls: readonly string[] = []) {
    this.worker = new Worker(new URL('../../worker/training-worker.ts', import.meta.url), { type: 'module' });
    this.names = new Promise((resolve) => {
      this.worker.onmessage = (message: MessageEvent<WorkerReply>) => {
        const reply = message.data;
        if (reply.type === 'hello') resolve(reply.names);
        else for (const feed of reply.messages) this.messages$.next(feed);
      };
    });
    this.worker.onerror = (event) =>
      this.messages$.next({ type: 'error', message: event.message || 'The training worker failed.' });
    this.post({ type: 'plugins', urls: pluginUrls });
  }

  /** Builds a fresh, paused run from `config` (the worker drops the previous run). */
  configure(config: PlaygroundConfig): void {
    this.post({ type: 'configure', description: describePlaygroundRun(config) });
  }

  /** Paces this run and the next ones: epochs per second, or null for as fast as possible. */
  setSpeed(epochsPerSecond: number | null): void {
    this.post({ type: 'speed', epochsPerSecond });
  }

  send(message: ClientMessage): void {
    this.post(message);
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }
}
