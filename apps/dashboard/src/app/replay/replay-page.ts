import { DEFAULT_EXTENT } from '../../model/points.js';
import type { FeedMessage } from '../../shared/feed.js';
import type { HelloMessage } from '../../shared/wire.js';
import { PlaybackControls, defaultSpeed } from '../controls/playback.js';
import { RunButtons } from '../controls/run-buttons.js';
import { snapshotOfModel } from '../sources/model-snapshot.js';
import type { DashboardStore } from '../store.js';
import { Player } from './player.js';
import { RecordingBuffer } from './recording-buffer.js';

/** Milliseconds between two playback steps. */
const TICK_MS = 40;

/** What {@link startReplay} gives `main`: where the source's messages go, and the buttons to render. */
export interface ReplayPage {
  receive(message: FeedMessage): void;
  buttons: RunButtons;
}

/**
 * The page in replay mode (`deltaflow dashboard --replay`): gathers the recording the server sends (the whole
 * run, thinned), then plays it back into `store` with a {@link Player}: play, pause and step (the header's
 * buttons), a speed box and a scrub bar. The header says "replay", and the notice what the server tolerated in
 * the file (a byte order mark, a cut last line). Playback starts once the recording is in.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser, with a replay server's hello
 * import type { HelloMessage } from '../../shared/wire.js';
 *
 * declare const hello: HelloMessage;
 * const page = startReplay(store, hello);
 * page.receive({ type: 'events', events });
 * ```
 * @category Dashboard
 */
export function startReplay(store: DashboardStore, hello: HelloMessage): ReplayPage {
  const info = hello.replay ?? { events: 0, notes: [], epochsPerSecond: null };
  document.getElementById('mode')!.textContent = `replay: ${hello.title}`;
  const recording = new RecordingBuffer(info.events);
  const player = new Player({
    apply: (message) => store.apply(message),
    model: (at) => {
      if (at) store.apply(snapshotOfModel(at.model, at.epoch, store.points?.extent ?? DEFAULT_EXTENT));
    },
  });
  let controls: PlaybackControls | null = null;
  const buttons = new RunButtons('attached', {
    command: (command) => {
      if (command === 'resume') player.play();
      else if (command === 'pause') player.pause();
      else if (command === 'step') player.step();
    },
  });
  document.getElementById('stop')!.hidden = true;
  const status = (text: string): void => store.apply({ type: 'status', text });
  status(`replay of ${hello.title}: loading the recording`);

  let timer: ReturnType<typeof setInterval> | null = null;
  let last = 0;
  const begin = (): void => {
    player.load(recording.events);
    const lastEpoch = player.lastEpoch;
    player.speed = info.epochsPerSecond ?? defaultSpeed(lastEpoch);
    controls = new PlaybackControls(lastEpoch, player.speed, {
      speed: (speed) => (player.speed = speed),
      seek: (epoch) => {
        player.seek(epoch);
        controls?.render(player.epoch, lastEpoch);
      },
    });
    status(
      info.notes.length > 0
        ? info.notes.join(' ')
        : `replay of ${hello.title}: ${lastEpoch.toLocaleString('en')} epochs recorded`,
    );
    last = performance.now();
    timer = setInterval(() => {
      const now = performance.now();
      player.tick(now - last);
      last = now;
      controls?.render(player.epoch, lastEpoch);
    }, TICK_MS);
    player.play();
  };

  return {
    buttons,
    receive(message) {
      switch (message.type) {
        case 'events':
        case 'epochs':
          if (recording.complete) return;
          recording.add(message);
          if (recording.complete) begin();
          return;
        case 'error':
          store.apply(message);
          return;
        case 'points':
          store.apply(message);
          return;
        default:
          // The source's own snapshots, states and connection notes: the player says where the replay is.
          if (message.type === 'status' && message.text.startsWith('disconnected') && timer === null)
            status(`replay of ${hello.title}: the server closed before the recording was in`);
      }
    },
  };
}
