import type { Observable } from 'rxjs';
import type { FeedMessage } from '../../shared/feed.js';
import type { ClientMessage } from '../../shared/wire.js';

/**
 * Where the dashboard's data comes from: the training worker (standalone) or the dashboard server (attached).
 * Both give the same feed messages and take the same commands.
 * @category Dashboard
 */
export interface Source {
  readonly messages$: Observable<FeedMessage>;
  /** Sends a command (pause, resume, step, stop, learning rate) to the run. */
  send(message: ClientMessage): void;
}
