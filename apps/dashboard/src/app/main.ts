// The dashboard page: standalone (trains in a Web Worker, configuration in the URL) or attached (shows a run
// streamed by the dashboard server over a WebSocket). Both feed one store; views draw on animation frames.
import type { PlaygroundConfig } from '../shared/playground-config.js';
import { RunButtons } from './controls/run-buttons.js';
import { ConfigForm } from './controls/config-form.js';
import { startRenderLoop } from './render-loop.js';
import { AttachedSource } from './sources/attached-source.js';
import { RemoteLearningRate } from './sources/remote-lr.js';
import { StandaloneSource } from './sources/standalone-source.js';
import { DashboardStore } from './store.js';
import { configFromQuery, configToQuery } from './url-state.js';
import { createViews } from './views.js';
import type { Views } from './views.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The socket to attach to: `?attach=ws://...`, or the same-origin `/ws` of the server that served the page. */
function attachUrl(): string | null {
  const param = new URLSearchParams(location.search).get('attach');
  if (param && /^wss?:\/\//.test(param)) return param;
  const meta = document.querySelector<HTMLMetaElement>('meta[name="deltaflow-attach"]');
  if (!meta) return null;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/${meta.content.replace(/^\//, '')}`;
}

function run(store: DashboardStore, views: Views, buttons: RunButtons): void {
  startRenderLoop(store, [...views.light, { render: (s) => buttons.render(s.state) }], views.heavy);
  store.changed$.next();
}

async function standalone(store: DashboardStore): Promise<void> {
  byId('mode').textContent = 'standalone';
  // ?plugin=URL (repeatable) loads plugin modules into the worker, like `deltaflow --plugin`.
  const plugins = new URLSearchParams(location.search).getAll('plugin');
  const source = new StandaloneSource(plugins.map((url) => new URL(url, location.href).href));
  source.messages$.subscribe((message) => store.apply(message));
  const names = await source.names;
  const writeUrl = (config: PlaygroundConfig): void =>
    history.replaceState(
      null,
      '',
      `?${[configToQuery(config), ...plugins.map((u) => `plugin=${encodeURIComponent(u)}`)].join('&')}`,
    );
  let config = configFromQuery(location.search);
  const form = new ConfigForm(names, (next, change) => {
    config = next;
    writeUrl(config);
    if (change === 'lr') source.send({ type: 'lr', lr: config.lr });
    else source.configure(config);
  });
  config = form.show(config);
  writeUrl(config);
  const buttons = new RunButtons('standalone', {
    command: (command) => source.send({ type: 'control', command }),
    reset: () => source.configure(config),
  });
  run(store, createViews(), buttons);
  source.configure(config);
}

async function attached(store: DashboardStore, url: string): Promise<void> {
  const source = new AttachedSource(url);
  source.messages$.subscribe((message) => store.apply(message));
  const views = createViews();
  const hello = await source.hello;
  byId('mode').textContent = hello.mode === 'replay' ? `replay: ${hello.title}` : `attached: ${hello.title}`;
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
