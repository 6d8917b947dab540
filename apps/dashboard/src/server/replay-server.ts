import { basename } from 'node:path';
import { replay } from '@deltaflow/trainer';
import { readJsonl } from '@deltaflow/trainer/node';
import { firstValueFrom, toArray } from 'rxjs';
import { startDashboardServer } from './dashboard-server.js';
import type { DashboardServer, DashboardServerOptions } from './options.js';

/**
 * Options of {@link startReplayServer}: where the recorded run is, how fast to play it, and the server options
 * that make sense for a recording.
 * @category Server
 */
export interface ReplayServerOptions extends Pick<
  DashboardServerOptions,
  'port' | 'host' | 'closeAfterEndMs' | 'allowedOrigins' | 'pageDir'
> {
  /** A JSONL file written by `recordJsonl` (or `deltaflow train --events FILE.jsonl`). */
  file: string;
  /** Pause between epochs while playing back, in milliseconds; default 0 (the page gets it all at once). */
  epochDelayMs?: number;
}

/**
 * Serves a recorded run (`deltaflow dashboard --replay FILE.jsonl`): reads and checks the whole file first, so a
 * bad file is refused before anything listens, then plays it to the pages as a read-only run.
 *
 * @example
 * ```ts
 * // not-runnable: reads run.jsonl, serves until stopped
 * const server = await startReplayServer({ file: 'run.jsonl', port: 4873 });
 * console.log(`replay: ${server.url}`);
 * ```
 * @throws DeltaflowError `E_READ` or `E_PARSE` for a missing or bad file, `E_LISTEN` for a port in use
 * @category Server
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<DashboardServer> {
  const { file, epochDelayMs = 0, ...server } = options;
  const events = await firstValueFrom(readJsonl(file).pipe(toArray()));
  return startDashboardServer({
    ...server,
    events$: replay(events, { epochDelayMs }),
    mode: 'replay',
    title: basename(file),
  });
}
