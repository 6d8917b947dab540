import type { ModelJSON } from '@deltaflow/network';
import { Subject, asyncScheduler, map, throttleTime } from 'rxjs';
import { DEFAULT_EXTENT, pointsMessage } from '../../model/points.js';
import type { Extent, FeedMessage } from '../../shared/feed.js';
import type { ClientMessage, HelloMessage, ServerMessage } from '../../shared/wire.js';
import { snapshotOfModel } from './model-snapshot.js';
import type { Source } from './source.js';

/** At most this often, a model file from the server becomes a snapshot (weights, grid). */
const SNAPSHOT_INTERVAL_MS = 250;

/**
 * The attached page's source: a WebSocket to the dashboard server of a run in Node (`deltaflow train
 * --dashboard`, or a replay). Events arrive in batches (a page opened late first gets the whole history);
 * model files in checkpoint and end events and in server snapshots become heatmap and network snapshots,
 * at most 4 a second. Once the end event arrives the status says "finished" (the server keeps serving the
 * finished run; a page opened or reloaded then gets the whole, thinned run).
 * @category Dashboard
 */
export class AttachedSource implements Source {
  readonly messages$ = new Subject<FeedMessage>();
  /** The server's hello: replay or live, and whether the run can be steered. */
  readonly hello: Promise<HelloMessage>;
  private readonly socket: WebSocket;
  private readonly models$ = new Subject<{ model: ModelJSON; epoch: number }>();
  private extent: Extent = DEFAULT_EXTENT;
  /** Whether the run's end was received (a later close of the server is then no surprise). */
  private finished = false;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.models$
      .pipe(
        throttleTime(SNAPSHOT_INTERVAL_MS, asyncScheduler, { leading: true, trailing: true }),
        map(({ model, epoch }) => snapshotOfModel(model, epoch, this.extent)),
      )
      .subscribe((snapshot) => this.messages$.next(snapshot));
    this.hello = new Promise((resolve) => {
      this.socket.onmessage = (message: MessageEvent<string>) => {
        const data = JSON.parse(message.data) as ServerMessage;
        if (data.type === 'hello') resolve(data);
        this.receive(data);
      };
    });
    this.socket.onopen = () =>
      this.messages$.next({ type: 'status', text: `attached to ${new URL(url).host}` });
    this.socket.onclose = () =>
      this.messages$.next({
        type: 'status',
        text: this.finished ? 'finished; the server has closed' : 'disconnected: the server has closed',
      });
  }

  send(message: ClientMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case 'hello': {
        if (!message.points) return;
        const flat = (rows: number[][]): number[] => rows.flat();
        const points = pointsMessage(
          { inputs: flat(message.points.inputs), targets: message.points.targets.map((t) => t[0] ?? 0) },
          null,
          message.points.task,
        );
        this.extent = points.extent;
        this.messages$.next(points);
        return;
      }
      case 'events':
        this.messages$.next(message);
        for (const event of message.events) {
          if (event.type === 'checkpoint') this.models$.next({ model: event.model, epoch: event.epoch });
          if (event.type === 'end') {
            this.models$.next({ model: event.model, epoch: event.epochs });
            this.finish();
          }
        }
        return;
      case 'model':
        this.models$.next({ model: message.model, epoch: message.epoch });
        return;
      default:
        this.messages$.next(message);
    }
  }

  /** The run is over: says so (the server keeps serving, so the page stays connected). */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.messages$.next({ type: 'status', text: 'finished: the run has ended' });
  }
}
