import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlp } from '@deltaflow/network';
import { createRun, train } from '@deltaflow/trainer';
import type { TrainingEvent } from '@deltaflow/trainer';
import { recordJsonl } from '@deltaflow/trainer/node';
import { Subject, lastValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { epochEvent, xorData } from '../../test/helpers/fixtures.js';
import { unpackEpochs } from '../shared/epoch-columns.js';
import type { EpochColumns } from '../shared/epoch-columns.js';
import type { ServerMessage } from '../shared/wire.js';
import { startDashboardServer } from './dashboard-server.js';
import type { DashboardServer, RunControls } from './index.js';
import { startPlaygroundServer } from './playground-server.js';
import { startReplayServer } from './replay-server.js';
import { pageMetaTags, pluginModuleFile } from './static-files.js';

// A page folder of our own, so these tests need no `vite build`.
const pageDir = mkdtempSync(join(tmpdir(), 'deltaflow-page-'));
writeFileSync(
  join(pageDir, 'index.html'),
  '<!doctype html><html><head><title>t</title></head><body></body></html>',
);

const servers: DashboardServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Partial<Parameters<typeof startDashboardServer>[0]> = {}) {
  const events$ = new Subject<TrainingEvent>();
  const server = await startDashboardServer({ events$, pageDir, ...options });
  servers.push(server);
  return { server, events$ };
}

/** A page's socket: resolves once open, collecting every message; rejects with the refusal. */
function connect(
  server: DashboardServer,
  origin: string | null = `http://127.0.0.1:${server.port}`,
  query = '',
  headers: Record<string, string> = {},
) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, {
    ...(origin ? { origin } : {}),
    headers,
  });
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`refused with ${response.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, messages, opened, closed };
}

/** Every training event a page has received, epoch columns unpacked. */
function eventsOf(messages: ServerMessage[]): TrainingEvent[] {
  return messages.flatMap((m) =>
    m.type === 'events' ? m.events : m.type === 'epochs' ? unpackEpochs(m as EpochColumns) : [],
  );
}

const until = async (check: () => boolean, timeout = 5000): Promise<void> => {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** The control token in a server's printed URL (`#token=...`). */
const tokenOf = (server: DashboardServer): string =>
  new URLSearchParams(new URL(server.url).hash.slice(1)).get('token') ?? '';

const handles = (): number => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

function tinyRun() {
  const model = mlp({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1 }], seed: 1 });
  return { model, data: xorData() };
}

describe('startDashboardServer', () => {
  it('binds 127.0.0.1 by default and serves the page with the attach tag', async () => {
    const { server } = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const page = await fetch(server.url);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<meta name="deltaflow-attach" content="ws" />');
    expect((await fetch(`${server.url}../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.url}%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('refuses WebSockets from other origins, or without one', async () => {
    const { server } = await start();
    await expect(connect(server, 'http://evil.example').opened).rejects.toThrow('refused with 403');
    await expect(connect(server, `http://127.0.0.1:${server.port + 1}`).opened).rejects.toThrow(
      'refused with 403',
    );
    await expect(connect(server, null).opened).rejects.toThrow('refused with 403');
    const own = connect(server, `http://localhost:${server.port}`);
    await own.opened;
    await until(() => own.messages.length >= 2);
    expect(own.messages[0]).toMatchObject({ type: 'hello', mode: 'live', control: false });
  });

  it('streams events live, and gives a page opened late the whole history', async () => {
    const { model, data } = tinyRun();
    const run = createRun(model, data, { epochs: 40, lr: 0.5, batchSize: 4 });
    const { server } = await start({ events$: run.events$, model, data });
    const early = connect(server);
    await early.opened;
    await until(() => eventsOf(early.messages).some((e) => e.type === 'end'));
    const late = connect(server);
    await late.opened;
    await until(() => eventsOf(late.messages).some((e) => e.type === 'end'));
    for (const page of [early, late]) {
      const events = eventsOf(page.messages);
      expect(events[0]!.type).toBe('start');
      expect(events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.epoch : 0))).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      expect(events[events.length - 1]).toMatchObject({ type: 'end', reason: 'completed', epochs: 40 });
      expect(page.messages.some((m) => m.type === 'model')).toBe(true);
    }
    expect(late.messages.find((m) => m.type === 'hello')).toMatchObject({
      points: {
        inputs: [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ],
      },
    });
  });

  it('passes commands on only when given a control', async () => {
    const calls: string[] = [];
    const control: RunControls = {
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
      step: () => calls.push('step'),
      stop: () => calls.push('stop'),
      setLearningRate: (lr) => calls.push(`lr ${lr}`),
    };
    const steered = await start({ control });
    const page = connect(steered.server, undefined, `?token=${tokenOf(steered.server)}`);
    await page.opened;
    for (const text of [
      '{"type":"control","command":"pause"}',
      '{"type":"lr","lr":0.1}',
      '{"type":"lr","lr":-1}',
      'nonsense',
      '{"type":"control","command":"step"}',
    ]) {
      page.ws.send(text);
    }
    await until(() => calls.length === 3);
    expect(calls).toEqual(['pause', 'lr 0.1', 'step']);

    const watched = await start();
    const viewer = connect(watched.server);
    await viewer.opened;
    viewer.ws.send('{"type":"control","command":"stop"}');
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toHaveLength(3);
  });

  it('shuts down cleanly on close(): sockets closed, port free, no handles left', async () => {
    const before = handles();
    const { server, events$ } = await start();
    const page = connect(server);
    await page.opened;
    events$.next({ type: 'batch', epoch: 1, batch: 1, loss: 1 });
    await server.close();
    await server.close();
    expect(await page.closed).toBe(1001);
    await server.closed;
    expect(await portIsFree(server.port)).toBe(true);
    await until(() => handles() <= before);
    expect(events$.observed).toBe(false);
  });

  it('closes by itself a grace period after the run ends', async () => {
    const before = handles();
    const { model, data } = tinyRun();
    const run = createRun(model, data, { epochs: 5, lr: 0.5 });
    const { server } = await start({ events$: run.events$, control: run, closeAfterEndMs: 100 });
    const page = connect(server);
    await page.opened;
    await server.closed;
    expect(await page.closed).toBe(1001);
    expect(eventsOf(page.messages).some((e) => e.type === 'end')).toBe(true);
    expect(await portIsFree(server.port)).toBe(true);
    await until(() => handles() <= before);
  });

  it('with waitForPage, subscribes to the run only once the first page is there', async () => {
    const { server, events$ } = await start({ waitForPage: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(events$.observed).toBe(false);
    const page = connect(server);
    await page.opened;
    await server.firstPage;
    await until(() => events$.observed);
    await until(() => page.messages.length >= 2);
    expect(page.messages[1]).toEqual({ type: 'state', state: 'idle' });
  });

  it('keeps serving after the end, and gives a page opened then the whole (bounded) run', async () => {
    const { server, events$ } = await start();
    events$.next({ type: 'start', config: {} as never, model: { layers: [] } as never });
    for (let n = 1; n <= 50_000; n++) {
      events$.next(epochEvent(n));
    }
    events$.next({ type: 'end', reason: 'completed', epochs: 50_000, model: {} as never });
    await new Promise((r) => setTimeout(r, 100));
    const late = connect(server);
    await late.opened;
    await until(() => eventsOf(late.messages).some((e) => e.type === 'end'));
    const epochs = eventsOf(late.messages).filter((e) => e.type === 'epoch');
    expect(epochs.length).toBeLessThanOrEqual(2001);
    expect(epochs[0]).toMatchObject({ epoch: 1 });
    expect(epochs[epochs.length - 1]).toMatchObject({ epoch: 50_000 });
  });

  it('does not queue without bound for a page that does not read: it skips ahead to the history', async () => {
    const { server, events$ } = await start();
    const page = connect(server);
    await page.opened;
    events$.next({ type: 'start', config: {} as never, model: { layers: [] } as never });
    await until(() => eventsOf(page.messages).length > 0);
    page.ws.pause(); // the page stops reading: its socket fills up, then the server's queue for it
    const rounds = 40;
    const perRound = 20_000;
    for (let round = 0; round < rounds; round++) {
      for (let i = 1; i <= perRound; i++) {
        const n = round * perRound + i;
        events$.next(epochEvent(n));
      }
      await new Promise((r) => setTimeout(r, 60));
    }
    events$.next({ type: 'end', reason: 'completed', epochs: rounds * perRound, model: {} as never });
    page.ws.resume();
    await until(() => eventsOf(page.messages).some((e) => e.type === 'end'), 30_000);
    const events = eventsOf(page.messages);
    const epochs = events.filter((e) => e.type === 'epoch');
    // it was sent the history afresh (a second start event) instead of every one of the 800,000 epochs
    expect(events.filter((e) => e.type === 'start')).toHaveLength(2);
    expect(epochs.length).toBeLessThan(rounds * perRound);
    expect(epochs[epochs.length - 1]).toMatchObject({ epoch: rounds * perRound });
  }, 60_000);

  it('refuses a port in use with a clear error', async () => {
    const { server } = await start();
    await expect(
      startDashboardServer({ events$: new Subject(), port: server.port, pageDir }),
    ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });
});

describe('startPlaygroundServer', () => {
  it('serves the standalone page without the attach tag, and closes cleanly', async () => {
    const server = await startPlaygroundServer({ pageDir });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const text = await (await fetch(server.url)).text();
    expect(text).not.toContain('deltaflow-attach');
    await server.close();
    await server.closed;
    expect(await portIsFree(server.port)).toBe(true);
  });

  it('serves the plugin files given, and only those, as JavaScript, and names them in its URL', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'deltaflow-plugins-'));
    const dir = join(parent, 'plugins');
    mkdirSync(dir);
    const first = join(dir, 'soft sign.mjs');
    const second = join(dir, 'isru.js');
    writeFileSync(first, 'export default { name: "a" };\n');
    writeFileSync(second, 'export default { name: "b" };\n');
    // beside the plugins' folder, not in it
    writeFileSync(join(parent, 'secret.mjs'), 'not served\n');
    const server = await startPlaygroundServer({ pageDir, plugins: [first, second] });
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}/`;
    expect(server.url).toBe(`${base}?plugin=plugins/0/soft%20sign.mjs&plugin=plugins/1/isru.js`);
    expect(new URL(server.url).searchParams.getAll('plugin')).toEqual([
      'plugins/0/soft sign.mjs',
      'plugins/1/isru.js',
    ]);
    const served = await fetch(`${base}plugins/1/isru.js`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(served.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await served.text()).toBe('export default { name: "b" };\n');
    expect(await (await fetch(`${base}plugins/0/soft%20sign.mjs`)).text()).toMatch(/name: "a"/);
    for (const path of [
      'plugins/2/isru.js',
      'plugins/0/secret.mjs',
      'plugins/0/../secret.mjs',
      'plugins/0/%2e%2e/secret.mjs',
      'plugins/1/..%2fsecret.mjs',
      'plugins/01/isru.js',
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${base}plugins/1/isru.js`, { method: 'POST' })).status).toBe(405);
  });
});

describe('plugins for the page', () => {
  it('names each plugin file in index.html (a meta tag each) and serves it, for a run, a replay and the playground', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deltaflow-plugins-'));
    const plugin = join(dir, 'my "isru" <1>.mjs');
    writeFileSync(plugin, 'export default { name: "p" };\n');
    const file = join(dir, 'run.jsonl');
    const { model, data } = tinyRun();
    await lastValueFrom(train(model, data, { epochs: 3, lr: 0.5 }).pipe(recordJsonl(file)));
    const run = await start({ plugins: [plugin] });
    const replay = await startReplayServer({ file, pageDir, plugins: [plugin] });
    servers.push(replay);
    const playground = await startPlaygroundServer({ pageDir, plugins: [plugin] });
    servers.push(playground);
    const tag = '<meta name="deltaflow-plugin" content="plugins/0/my%20%22isru%22%20%3C1%3E.mjs" />';
    expect(pageMetaTags({ plugins: [plugin] })).toEqual([tag]);
    for (const server of [run.server, replay, playground]) {
      const base = `http://127.0.0.1:${server.port}/`;
      const page = await (await fetch(base)).text();
      expect(page).toContain(tag);
      const served = await fetch(`${base}plugins/0/my%20%22isru%22%20%3C1%3E.mjs`);
      expect(served.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await served.text()).toBe('export default { name: "p" };\n');
      expect((await fetch(`${base}plugins/1/run.jsonl`)).status).toBe(404);
    }
    // without plugins, no tag
    const plain = await start();
    expect(await (await fetch(`http://127.0.0.1:${plain.server.port}/`)).text()).not.toContain(
      'deltaflow-plugin',
    );
  });
});

describe("a plugin's own modules (a build's output: index.js imports ./plugin.js)", () => {
  /** dist/index.js importing ./plugin.js and ./lib/isru.js, with a map, a non-module and files outside dist. */
  function builtPlugin() {
    const root = mkdtempSync(join(tmpdir(), 'deltaflow-built-plugin-'));
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'lib'), { recursive: true });
    writeFileSync(join(dist, 'index.js'), "import plugin from './plugin.js';\nexport default plugin;\n");
    writeFileSync(
      join(dist, 'plugin.js'),
      "import { isru } from './lib/isru.js';\nexport default { name: 'p', activations: [isru] };\n",
    );
    writeFileSync(join(dist, 'lib', 'isru.js'), 'export const isru = {};\n');
    writeFileSync(join(dist, 'plugin.js.map'), '{"version":3}');
    writeFileSync(join(dist, 'index.d.ts'), 'export {};\n');
    writeFileSync(join(dist, 'notes.txt'), 'not a module\n');
    writeFileSync(join(root, 'package.json'), '{"name":"p"}');
    writeFileSync(join(root, 'outside.js'), 'export const secret = 1;\n');
    const elsewhere = mkdtempSync(join(tmpdir(), 'deltaflow-elsewhere-'));
    writeFileSync(join(elsewhere, 'leak.js'), 'export const leak = 1;\n');
    symlinkSync(join(elsewhere, 'leak.js'), join(dist, 'leak.js'));
    symlinkSync(elsewhere, join(dist, 'linked'));
    symlinkSync(join(dist, 'lib', 'isru.js'), join(dist, 'alias.js')); // a link within the folder is fine
    return { root, dist, index: join(dist, 'index.js') };
  }

  it('serves the modules beside the plugin file and in its subfolders, with the page headers', async () => {
    const { index } = builtPlugin();
    const { server } = await start({ plugins: [index] });
    const base = `http://127.0.0.1:${server.port}/plugins/0/`;
    expect(await (await fetch(`${base}index.js`)).text()).toMatch(/from '\.\/plugin\.js'/);
    for (const [path, text] of [
      ['plugin.js', /from '\.\/lib\/isru\.js'/],
      ['lib/isru.js', /export const isru/],
      ['alias.js', /export const isru/],
    ] as const) {
      const served = await fetch(`${base}${path}`);
      expect(served.status, path).toBe(200);
      expect(served.headers.get('content-type'), path).toBe('text/javascript; charset=utf-8');
      expect(served.headers.get('content-security-policy'), path).toMatch(/default-src 'self'/);
      expect(served.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(await served.text(), path).toMatch(text);
    }
    const map = await fetch(`${base}plugin.js.map`);
    expect(map.status).toBe(200);
    expect(map.headers.get('content-type')).toBe('application/json');
    // the same Host rule as every other file (fetch() may not set Host: use http.get)
    const { get } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) =>
      get(`${base}plugin.js`, { headers: { host: 'evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(status).toBe(421);
  });

  it('refuses what is not a module, and anything outside the folder: .., encoded .., links out', async () => {
    const { index } = builtPlugin();
    const { server } = await start({ plugins: [index] });
    const base = `http://127.0.0.1:${server.port}/plugins/0/`;
    for (const path of [
      'notes.txt',
      'index.d.ts',
      'lib',
      'lib/',
      'missing.js',
      '%2e%2e/outside.js',
      '..%2foutside.js',
      '..%2Fpackage.json',
      'lib/..%2f..%2foutside.js',
      'leak.js',
      'linked/leak.js',
      'plugin.js%00.js',
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${server.port}/plugins/1/plugin.js`)).status).toBe(404);
  });

  it('pluginModuleFile resolves inside the real folder of the plugin file only', async () => {
    const { dist, index } = builtPlugin();
    const { realpathSync } = await import('node:fs');
    const real = realpathSync(dist);
    expect(await pluginModuleFile(index, 'plugin.js')).toBe(join(real, 'plugin.js'));
    expect(await pluginModuleFile(index, 'lib/isru.js')).toBe(join(real, 'lib', 'isru.js'));
    for (const rest of [
      '../outside.js',
      'lib/../plugin.js',
      './plugin.js',
      'leak.js',
      'linked/leak.js',
      'notes.txt',
      '/etc/passwd.js',
      '',
    ]) {
      expect(await pluginModuleFile(index, rest), rest).toBeNull();
    }
    // a plugin given by a link: its modules come from the folder of the file the link points to (as Node resolves)
    const links = mkdtempSync(join(tmpdir(), 'deltaflow-plugin-link-'));
    symlinkSync(index, join(links, 'my-plugin.js'));
    expect(await pluginModuleFile(join(links, 'my-plugin.js'), 'plugin.js')).toBe(join(real, 'plugin.js'));
  });
});

describe('startReplayServer', () => {
  it('checks origins like the live server, sends the recording thinned in stream order, and closes cleanly', async () => {
    const before = handles();
    const { model, data } = tinyRun();
    const file = join(pageDir, 'run.jsonl');
    const epochs = 3000;
    await lastValueFrom(train(model, data, { epochs, lr: 0.5, checkpointEvery: 10 }).pipe(recordJsonl(file)));
    const server = await startReplayServer({ file, pageDir });
    servers.push(server);
    await expect(connect(server, 'http://evil.example').opened).rejects.toThrow('refused with 403');
    await expect(connect(server, null).opened).rejects.toThrow('refused with 403');

    const page = connect(server);
    await page.opened;
    await until(() => page.messages[0]?.type === 'hello');
    const hello = page.messages[0] as Extract<ServerMessage, { type: 'hello' }>;
    expect(hello.mode).toBe('replay');
    await until(() => eventsOf(page.messages).length === hello.replay!.events);
    const events = eventsOf(page.messages);
    expect(events[0]!.type).toBe('start');
    expect(events.at(-1)!.type).toBe('end');
    const numbers = events.slice(1, -1).map((e) => (e as { epoch: number }).epoch);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    const of = (type: string) => events.filter((e) => e.type === type).length;
    expect(of('epoch')).toBeLessThanOrEqual(2000);
    expect(of('epoch')).toBeGreaterThanOrEqual(1000);
    // 300 checkpoints recorded, thinned for the scrub bar, the newest kept.
    expect(of('checkpoint')).toBeGreaterThan(1);
    expect(of('checkpoint')).toBeLessThanOrEqual(100);
    expect(events.filter((e) => e.type === 'checkpoint').at(-1)).toMatchObject({ epoch: epochs });

    await server.close();
    expect(await page.closed).toBe(1001);
    await server.closed;
    expect(await portIsFree(server.port)).toBe(true);
    await until(() => handles() <= before);
  });
});

describe('the server against a local attacker (issue 17)', () => {
  const recorder = () => {
    const calls: string[] = [];
    const control: RunControls = {
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
      step: () => calls.push('step'),
      stop: () => calls.push('stop'),
      setLearningRate: (lr) => calls.push(`lr ${lr}`),
    };
    return { calls, control };
  };
  const errorsOf = (messages: ServerMessage[]): string[] =>
    messages.flatMap((m) => (m.type === 'error' ? [m.message] : []));

  it('bound to 0.0.0.0 or ::, prints a URL whose page may open the socket (all local addresses allowed)', async () => {
    for (const host of ['0.0.0.0', '::']) {
      const started = await start({ host }).catch((error: { code?: string }) => {
        if (host === '::' && error.code === 'E_LISTEN') return null; // a machine without IPv6
        throw error;
      });
      if (!started) continue;
      const { server } = started;
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
      expect((await fetch(server.url)).status).toBe(200);
      const page = connect(server, new URL(server.url).origin);
      await page.opened;
      await until(() => page.messages[0]?.type === 'hello');
      await expect(connect(server, 'http://evil.example').opened).rejects.toThrow('refused with 403');
    }
  });

  it('answers only its own Host names (DNS rebinding gets 421), and the socket too (403)', async () => {
    const { server } = await start({ allowedHosts: ['dash.internal:8080'] });
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        // fetch() may not set Host: use http.get
        void import('node:http').then(({ get: httpGet }) =>
          httpGet({ host: '127.0.0.1', port: server.port, path: '/', headers: { host } }, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          }).on('error', reject),
        );
      });
    expect(await get(`127.0.0.1:${server.port}`)).toBe(200);
    expect(await get(`localhost:${server.port}`)).toBe(200);
    expect(await get(`LOCALHOST:${server.port}`)).toBe(200);
    expect(await get(`dash.internal:8080`)).toBe(200);
    expect(await get(`evil.example:${server.port}`)).toBe(421);
    expect(await get(`127.0.0.1.evil.example:${server.port}`)).toBe(421);
    await expect(
      connect(server, `http://127.0.0.1:${server.port}`, '', { host: `evil.example:${server.port}` }).opened,
    ).rejects.toThrow('refused with 403');
  });

  it('steers a run only from a page that gave the token of the printed URL; others only watch', async () => {
    const { calls, control } = recorder();
    const { server } = await start({ control });
    const token = tokenOf(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{24}$/);
    // another server has another token
    const other = await start({ control: recorder().control });
    expect(tokenOf(other.server)).not.toBe(token);

    const watcher = connect(server);
    // one character changed (to one it is not: a random token may end in 'x')
    const wrongToken = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    const wrong = connect(server, undefined, `?token=${wrongToken}`);
    const owner = connect(server, undefined, `?token=${token}`);
    await Promise.all([watcher.opened, wrong.opened, owner.opened]);
    await until(() => [watcher, wrong, owner].every((p) => p.messages.length >= 1));
    expect(watcher.messages[0]).toMatchObject({ type: 'hello', control: false });
    expect(wrong.messages[0]).toMatchObject({ type: 'hello', control: false });
    expect(owner.messages[0]).toMatchObject({ type: 'hello', control: true });
    watcher.ws.send('{"type":"control","command":"stop"}');
    wrong.ws.send('{"type":"lr","lr":0.5}');
    await until(() => errorsOf(watcher.messages).length === 1 && errorsOf(wrong.messages).length === 1);
    expect(errorsOf(watcher.messages)[0]).toMatch(/may only watch the run: open the address the run printed/);
    owner.ws.send('{"type":"control","command":"pause"}');
    await until(() => calls.length === 1);
    expect(calls).toEqual(['pause']);
  });

  it('refuses a learning rate out of (0, 1000] or not finite, saying why', async () => {
    const { calls, control } = recorder();
    const { server } = await start({ control });
    const owner = connect(server, undefined, `?token=${tokenOf(server)}`);
    await owner.opened;
    for (const lr of ['1e308', '1001', '0', '-1', '"0.1"', 'null']) owner.ws.send(`{"type":"lr","lr":${lr}}`);
    owner.ws.send('{"type":"lr","lr":1000}');
    await until(() => calls.length === 1 && errorsOf(owner.messages).length === 6);
    expect(calls).toEqual(['lr 1000']);
    expect(errorsOf(owner.messages)[0]).toBe('lr must be a finite number in (0, 1000], got 1e+308.');
  });

  it('does not follow a symbolic link in a custom pageDir out of its root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'deltaflow-linked-'));
    const outside = mkdtempSync(join(tmpdir(), 'deltaflow-secret-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'ok.css'), 'body{}');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
    symlinkSync(outside, join(root, 'linked-dir'));
    symlinkSync(join(root, 'assets', 'ok.css'), join(root, 'inside.css')); // a link within the root is fine
    const { server } = await start({ pageDir: root });
    expect((await fetch(`${server.url}leak.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}linked-dir/secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}assets/ok.css`)).status).toBe(200);
    expect(await (await fetch(`${server.url}inside.css`)).text()).toBe('body{}');
  });
});
