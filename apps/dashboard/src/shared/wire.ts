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
 * The largest learning rate a page may set: a command outside 0 < lr <= LR_MAX (or not finite) is refused, so a
 * page cannot blow the run's weights up in one step (`{"type":"lr","lr":1e308}`).
 * @category Wire
 */
export const LR_MAX = 1000;

/**
 * Reads a page's message: the message, or `{ problem }`, one sentence saying why it was refused (not JSON, not
 * an object, an unknown type or command, a learning rate that is not a finite number in (0, {@link LR_MAX}]).
 * Never looks deeper than the message's two fields, so any text costs at most one `JSON.parse`.
 *
 * @example
 * ```ts
 * readClientMessage('{"type":"lr","lr":1e308}'); // → { problem: 'lr must be a finite number in (0, 1000], got 1e+308.' }
 * ```
 * @category Wire
 */
export function readClientMessage(text: string): ClientMessage | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      problem:
        'The command is not JSON; send {"type":"control","command":"pause"} or {"type":"lr","lr":0.1}.',
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'The command must be a JSON object with a type, control or lr.' };
  const message = value as Record<string, unknown>;
  if (message.type === 'control') {
    if (typeof message.command === 'string' && COMMANDS.has(message.command))
      return { type: 'control', command: message.command as RunCommand };
    return { problem: `The control command must be one of ${[...COMMANDS].join(', ')}.` };
  }
  if (message.type === 'lr') {
    const lr = message.lr;
    if (typeof lr === 'number' && Number.isFinite(lr) && lr > 0 && lr <= LR_MAX) return { type: 'lr', lr };
    const shown = typeof lr === 'number' ? String(lr) : typeof lr === 'string' ? 'a text' : `${typeof lr}`;
    return { problem: `lr must be a finite number in (0, ${LR_MAX}], got ${shown}.` };
  }
  return { problem: 'The command must have the type control or lr.' };
}

/**
 * Reads a page's message, or returns null for anything that is not one (bad JSON, unknown command, a learning
 * rate that is not a finite number in (0, {@link LR_MAX}]); {@link readClientMessage} also says why.
 *
 * @example
 * ```ts
 * parseClientMessage('{"type":"control","command":"pause"}'); // → { type: 'control', command: 'pause' }
 * ```
 * @category Wire
 */
export function parseClientMessage(text: string): ClientMessage | null {
  const result = readClientMessage(text);
  return 'problem' in result ? null : result;
}
