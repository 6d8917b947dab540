import type { Sequential } from '@deltaflow/network';
import type { TrainingData, TrainingEvent } from '@deltaflow/trainer';
import type { Observable } from 'rxjs';

/**
 * What the dashboard may do to a run: the methods of `createRun(...)`'s {@link TrainingRun}, so the run itself
 * can be passed.
 * @category Server
 */
export interface RunControls {
  pause(): void;
  resume(): void;
  step(): void;
  stop(): void;
  setLearningRate(lr: number): void;
}

/**
 * Options of {@link startDashboardServer}.
 * @category Server
 */
export interface DashboardServerOptions {
  /** The run's events: `run.events$` of `createRun`, a shared `train(...)`, or a replay. Subscribed at once. */
  events$: Observable<TrainingEvent>;
  /** Lets the pages pause, resume, step, stop and change the learning rate; without it the page only watches. */
  control?: RunControls;
  /** Port to listen on; 0 (the default) takes any free port. */
  port?: number;
  /** Address to bind; default `'127.0.0.1'` (only this machine). */
  host?: string;
  /** The model being trained: its weights are sent to the pages at most every `snapshotIntervalMs` (network view, heatmap). */
  model?: Sequential;
  /** The training data: with 2 inputs and 1 target, up to 1000 points are drawn over the heatmap. */
  data?: TrainingData;
  /**
   * The smallest gap, in milliseconds, between two batch (or forward, or backward) events passed on to the pages
   * and the history; default 50. Epoch, start, checkpoint and end events always pass. 0 passes every event (a
   * replay played fast, whose gradient charts should show every epoch; the history stays bounded either way).
   */
  eventIntervalMs?: number;
  /** Milliseconds between weight snapshots of `model`; default 250. */
  snapshotIntervalMs?: number;
  /**
   * Close the server this long after the run's end event; default: keep serving (a page opened or reloaded after
   * the end still shows the whole run) until `close()`.
   */
  closeAfterEndMs?: number;
  /**
   * Subscribe to `events$` only when the first page connects, so a `createRun` run (which starts on its first
   * subscriber) trains only once someone watches; default false (subscribed at once).
   */
  waitForPage?: boolean;
  /** `'live'` (default) or `'replay'`: what the page says it shows. */
  mode?: 'live' | 'replay';
  /** A title for the page, e.g. the data set or the file name. */
  title?: string;
  /** More origins allowed to open the WebSocket besides the server's own (e.g. a Vite dev server's). */
  allowedOrigins?: readonly string[];
  /**
   * More Host headers answered besides the server's own names (a proxy's name, as `name` or `name:port`); any
   * other Host is refused (421) against DNS rebinding.
   */
  allowedHosts?: readonly string[];
  /**
   * The token a page must give to steer the run (with `control`); default a fresh random one per server. The
   * server's `url` carries it (`#token=...`).
   */
  controlToken?: string;
  /** Folder of the built page; default the package's `dist/page`. */
  pageDir?: string;
  /**
   * Plugin module files (self-contained modules importing nothing but their own files by relative path, as
   * `deltaflow --plugin` takes) for the page: each is served at `plugins/<index>/<file name>`, with the `.js` and
   * `.mjs` modules of its folder, and named in the page by a `<meta name="deltaflow-plugin">` tag, so
   * the page installs it and can draw the heatmap and the neurons' pictures of a model with its activations.
   */
  plugins?: readonly string[];
}

/**
 * A running dashboard server.
 * @category Server
 */
export interface DashboardServer {
  /**
   * The page's address, e.g. `http://127.0.0.1:4873/` (a playground's with a `?plugin=` parameter per plugin
   * file; a run's that can be steered with its control token, `http://127.0.0.1:4873/#token=...`).
   */
  readonly url: string;
  /** The port it listens on (the one picked when 0 was asked). */
  readonly port: number;
  /** The address it is bound to. */
  readonly host: string;
  /** Settles once the server has closed (by `close()` or after the grace period following the run's end). */
  readonly closed: Promise<void>;
  /** Closes every page's socket and the server, releasing the port; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * The server of a run ({@link startDashboardServer}): a {@link DashboardServer} that also tells when the first
 * page connected.
 * @category Server
 */
export interface RunDashboardServer extends DashboardServer {
  /** Settles when the first page connects (its socket is open). */
  readonly firstPage: Promise<void>;
}
