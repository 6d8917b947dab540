import type { ModelJSON } from '@deltaflow/network';
import type { RunState, TrainingEvent } from '@deltaflow/trainer';
import type { EpochColumns } from './epoch-columns.js';
import type { RunCommand } from './run-state.js';

/**
 * The first message on a dashboard socket: what kind of run this is, whether it can be steered, and (for 2-D
 * data, when the server was given it) up to 1000 sample points for the heatmap.
 * @category Wire
 */
export interface HelloMessage {
  type: 'hello';
  mode: 'live' | 'replay';
  control: boolean;
  title: string;
  points: { inputs: number[][]; targets: number[][]; task: 'classification' | 'regression' } | null;
  /** A replay's recording (mode `'replay'`): see {@link ReplayInfo}. */
  replay?: ReplayInfo;
}

/**
 * What a replay server tells the page about its recording: the page has the whole (thinned) run once it has
 * `events` events (then it plays it back itself: play, pause, speed, scrub), what was tolerated in the file
 * (one line each), and the pace asked for, if any.
 * @category Wire
 */
export interface ReplayInfo {
  /** Events the server sends (after thinning): the whole recording is on the page once they are in. */
  events: number;
  /** Warnings about the file (a byte order mark, a cut last line, no end event), one line each. */
  notes: string[];
  /** The playback speed to start with, in epochs per second; null: the page picks one. */
  epochsPerSecond: number | null;
}

/**
 * Server to page, as JSON text frames. `events` and `epochs` (runs of epoch events, packed in columns) carry the
 * run's (thinned) events in order: a page opened late first gets the whole history. `model` is a snapshot of
 * the weights.
 * @category Wire
 */
export type ServerMessage =
  | HelloMessage
  | { type: 'events'; events: TrainingEvent[] }
  | EpochColumns
  | { type: 'model'; epoch: number; model: ModelJSON }
  | { type: 'state'; state: RunState }
  | { type: 'error'; message: string };

/**
 * Page to server: steer the run (only when the server was given a control).
 * @category Wire
 */
export type ClientMessage = { type: 'control'; command: RunCommand } | { type: 'lr'; lr: number };

const COMMANDS: ReadonlySet<string> = new Set(['pause', 'resume', 'step', 'stop']);

/**
 * Reads a page's message, or returns null for anything that is not one (bad JSON, unknown command, a learning
 * rate that is not a positive number).
 *
 * @example
 * ```ts
 * parseClientMessage('{"type":"control","command":"pause"}'); // → { type: 'control', command: 'pause' }
 * ```
 * @category Wire
 */
export function parseClientMessage(text: string): ClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  if (message.type === 'control' && typeof message.command === 'string' && COMMANDS.has(message.command)) {
    return { type: 'control', command: message.command as RunCommand };
  }
  if (
    message.type === 'lr' &&
    typeof message.lr === 'number' &&
    message.lr > 0 &&
    Number.isFinite(message.lr)
  ) {
    return { type: 'lr', lr: message.lr };
  }
  return null;
}
