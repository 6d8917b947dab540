import { randomBytes } from 'node:crypto';
import { modelToJSON } from '@deltaflow/network';
import { thinEvents } from '@deltaflow/trainer';
import type { TrainingData } from '@deltaflow/trainer';
import type { Subscription } from 'rxjs';
import { RunStateTracker } from '../shared/run-state.js';
import type { ClientMessage, HelloMessage } from '../shared/wire.js';
import type { DashboardServerOptions, RunDashboardServer } from './options.js';
import { servePage } from './page-server.js';
import { SocketHub } from './socket-hub.js';

function helloPoints(data: TrainingData | undefined): HelloMessage['points'] {
  if (!data || data.inputs.cols !== 2 || data.targets.cols !== 1) return null;
  const rows = Math.min(1000, data.inputs.rows);
  const x = data.inputs.data;
  const t = data.targets.data;
  return {
    inputs: Array.from({ length: rows }, (_, i) => [x[2 * i]!, x[2 * i + 1]!]),
    targets: Array.from({ length: rows }, (_, i) => [t[i]!]),
    task: data.task ?? 'classification',
  };
}

/**
 * Serves the dashboard for a run in this process: the built page over HTTP and the run's events over a
 * WebSocket (`/ws`), on 127.0.0.1 by default. Every page gets the events (batch, forward and backward events
 * thinned; epoch and end never dropped), a page opened late, even after the run's end, gets the history first
 * (bounded: every event of a short run, an evenly thinned one of a long run, so memory stays flat for any run
 * length), and pages may steer the run when `control` is given: with a control, the server's `url` carries a
 * per-run token (`#token=...`), and only a page opened from that URL (whose socket gives the token) may pause,
 * resume, step, stop or set the learning rate; any other page of an allowed origin may watch. With `waitForPage`, the run's events are only
 * subscribed to (so a `createRun` run only starts) once the first page has connected. Only pages from the
 * server's own origin may open the socket. The server keeps serving after the run's end until `close()` (or,
 * when given, `closeAfterEndMs` after the end).
 *
 * @example
 * ```ts
 * import { createRun } from '@deltaflow/trainer';
 *
 * const run = createRun(model, data, { epochs: 5000, lr: 0.5 });
 * const server = await startDashboardServer({ events$: run.events$, control: run, model, data, port: 0 });
 * console.log(`dashboard: ${server.url}`);
 * process.once('SIGINT', () => void server.close());
 * ```
 * @throws DeltaflowError `E_LISTEN` when the port cannot be used, `E_NOT_BUILT` when the page is not built
 * @category Server
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<RunDashboardServer> {
  const { control, model } = options;
  const tracker = new RunStateTracker('running');
  const mode = options.mode ?? 'live';
  const hello: HelloMessage = {
    type: 'hello',
    mode,
    control: control !== undefined,
    title: options.title ?? (mode === 'replay' ? 'recorded run' : 'live run'),
    points: helloPoints(options.data),
  };
  const hub = new SocketHub(hello, (message: ClientMessage) => {
    try {
      if (message.type === 'lr') return control?.setLearningRate(message.lr);
      control?.[message.command]();
      hub.setState(tracker.command(message.command));
    } catch (error) {
      hub.error((error as Error).message);
    }
  });
  let endTimer: ReturnType<typeof setTimeout> | null = null;
  let subscription: Subscription | null = null;
  let closing = false;
  const server = await servePage({
    port: options.port,
    host: options.host,
    pageDir: options.pageDir,
    allowedOrigins: options.allowedOrigins,
    ...(options.plugins ? { plugins: options.plugins } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    // a run that can be steered gets a token: only a page opened from the printed URL may steer it
    ...(control ? { controlToken: options.controlToken ?? randomBytes(18).toString('base64url') } : {}),
    onSocket: (socket, access) => hub.add(socket, access.control),
    onClose: async () => {
      closing = true;
      subscription?.unsubscribe();
      if (endTimer !== null) clearTimeout(endTimer);
      await hub.close();
    },
  });

  let lastSnapshot = -Infinity;
  const ended = (): void => {
    hub.flush();
    if (options.closeAfterEndMs !== undefined)
      endTimer = setTimeout(() => void server.close(), options.closeAfterEndMs);
  };
  const follow = (): Subscription =>
    options.events$
      // every epoch goes to the page (its chart thins its own series); batch/forward/backward are sampled
      .pipe(thinEvents({ sampleMs: options.eventIntervalMs ?? 50, epochMs: 0 }))
      .subscribe({
        next(event) {
          const before = tracker.state;
          const after = tracker.event(event);
          hub.event(event);
          if (after !== before) hub.setState(after);
          if (
            event.type === 'epoch' &&
            model &&
            performance.now() - lastSnapshot >= (options.snapshotIntervalMs ?? 250)
          ) {
            lastSnapshot = performance.now();
            hub.snapshot(event.epoch, modelToJSON(model));
          }
          if (event.type === 'end') ended();
        },
        error(error: unknown) {
          hub.error((error as Error).message ?? String(error));
          ended();
        },
      });
  // With waitForPage, the events (and so a run that starts on its first subscriber) wait for the first page.
  if (options.waitForPage) {
    void hub.firstPage.then(() => {
      if (!closing) subscription = follow();
    });
  } else {
    subscription = follow();
  }
  return { ...server, firstPage: hub.firstPage };
}
