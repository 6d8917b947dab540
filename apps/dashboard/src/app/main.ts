// The dashboard page: standalone (trains in a Web Worker, configuration in the URL) or attached (shows a run
// streamed by the dashboard server over a WebSocket). Both feed one store; views draw on animation frames.
import type { FeedMessage } from '../shared/feed.js';
import { RunButtons } from './controls/run-buttons.js';
import { ConfigForm } from './controls/config-form.js';
import { SpeedControl } from './controls/speed-control.js';
import { startRenderLoop } from './render-loop.js';
import { startReplay } from './replay/replay-page.js';
import { AttachedSource } from './sources/attached-source.js';
import { RemoteLearningRate } from './sources/remote-lr.js';
import { StandaloneSource } from './sources/standalone-source.js';
import { installUserFiles } from './controls/user-files.js';
import { installPagePlugins, pagePluginUrls } from './page-plugins.js';
import { DashboardStore } from './store.js';
import {
  configToQuery,
  linkProblemSentences,
  parseConfigQuery,
  parseSpeedQuery,
  speedToQuery,
} from './url-state.js';
import { createViews } from './views.js';
import type { Views } from './views.js';
import { bindShortcuts } from './keyboard.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * The socket to attach to: `?attach=ws://...`, or the same-origin `/ws` of the server that served the page. A run
 * that can be steered printed its page's URL with `#token=...`: the token goes on as the socket's `?token=`, and
 * only then does the server take this page's commands (without it the page watches).
 */
function attachUrl(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const withToken = (url: string): string => {
    if (!token) return url;
    const parsed = new URL(url);
    if (!parsed.searchParams.has('token')) parsed.searchParams.set('token', token);
    return parsed.href;
  };
  const param = new URLSearchParams(location.search).get('attach');
  if (param && /^wss?:\/\//.test(param)) return withToken(param);
  const meta = document.querySelector<HTMLMetaElement>('meta[name="deltaflow-attach"]');
  if (!meta) return null;
  return withToken(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/${meta.content.replace(/^\//, '')}`,
  );
}

function run(store: DashboardStore, views: Views, buttons: RunButtons): void {
  startRenderLoop(store, [...views.light, { render: (s) => buttons.render(s.state) }], views.heavy);
  bindShortcuts();
  store.changed$.next();
}

async function standalone(store: DashboardStore): Promise<void> {
  byId('mode').textContent = 'standalone';
  // ?plugin=URL (repeatable) loads plugin modules into the worker, like `deltaflow --plugin`, and so do the
  // modules the server serves with the page (`deltaflow dashboard --plugin FILE`: a meta tag each).
  const plugins = new URLSearchParams(location.search).getAll('plugin');
  const source = new StandaloneSource(pagePluginUrls(location.href, document));
  source.messages$.subscribe((message) => store.apply(message));
  installUserFiles(source, () => source.configure(config)); // your own CSV and model files
  const names = await source.names;
  const parsed = parseConfigQuery(location.search);
  const problems = [...parsed.problems];
  const speedQuery = parseSpeedQuery(location.search);
  let config = parsed.config;
  let speed = speedQuery.speed;
  const writeUrl = (): void =>
    history.replaceState(
      null,
      '',
      `?${[
        configToQuery(config),
        `speed=${speedToQuery(speed)}`,
        ...plugins.map((u) => `plugin=${encodeURIComponent(u)}`),
      ].join('&')}`,
    );
  const form = new ConfigForm(names, {
    change(next, change) {
      config = next;
      writeUrl();
      if (change === 'lr') source.send({ type: 'lr', lr: config.lr });
      else source.configure(config);
    },
    validity(valid) {
      // The run never goes on with a value other than the one shown: it holds until the box is fixed.
      if (!valid) source.send({ type: 'control', command: 'pause' });
      buttons.hold(valid ? null : 'Fix the configuration first: a box holds a value the run cannot take.');
    },
  });
  config = form.show(config, problems);
  if (speedQuery.problem) problems.push(speedQuery.problem);
  form.showLinkProblems(linkProblemSentences(problems));
  writeUrl();
  const buttons = new RunButtons('standalone', {
    command: (command) => source.send({ type: 'control', command }),
    reset: () => source.configure(config),
  });
  new SpeedControl(speed, (next) => {
    speed = next;
    writeUrl();
    source.setSpeed(speed);
  });
  run(store, createViews(), buttons);
  source.setSpeed(speed);
  source.configure(config);
}

async function attached(store: DashboardStore, url: string): Promise<void> {
  // The plugins served with the page (`train --dashboard --plugin FILE`), installed before the first model
  // arrives, so the heatmap and the neurons' pictures can evaluate a model with their activations.
  const problems = await installPagePlugins(pagePluginUrls(location.href, document), location.href);
  for (const text of problems) store.apply({ type: 'notice', text });
  const source = new AttachedSource(url);
  // A replay's messages go to its player (set as soon as the hello is in, before any other message).
  let feed = (message: FeedMessage): void => store.apply(message);
  source.messages$.subscribe((message) => feed(message));
  const views = createViews();
  const hello = await source.hello;
  if (hello.mode === 'replay') {
    const page = startReplay(store, hello);
    feed = (message) => page.receive(message);
    run(store, views, page.buttons);
    return;
  }
  byId('mode').textContent = `attached: ${hello.title}`;
  const steerable = hello.mode === 'live' && hello.control;
  const buttons = new RunButtons(steerable ? 'attached' : 'replay', {
    command: (command) => source.send({ type: 'control', command }),
  });
  byId('remote-lr-label').hidden = !steerable;
  const lr = new RemoteLearningRate(byId<HTMLInputElement>('remote-lr'), (value) =>
    source.send({ type: 'lr', lr: value }),
  );
  run(store, { ...views, light: [...views.light, lr] }, buttons);
}

const store = new DashboardStore();
const url = attachUrl();
void (url ? attached(store, url) : standalone(store));
