// `deltaflow train --dashboard` as a person uses it (issue 14): a short run's page stays reachable after the run
// ends, until Ctrl-C (items 1 and 4); `--dashboard-wait` starts training when the first page connects (item 1);
// the terminal says when the page paused, resumed and stopped the run (item 5). The real CLI, a real chromium.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createConnection } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '@deltaflow/test-browser';
import type { Browser } from '@deltaflow/test-browser';
import { epochOf, openPage, waitForEpoch, waitForState } from '../../dashboard/test/helpers/browser.js';
import { bin, tempDir } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
/** CLIs started by a test: a failed test must not leave one serving. */
const started: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await browser?.close();
});

interface Cli {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr (or stdout) matches `pattern`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeout?: number): Promise<void>;
}

/** Starts the CLI (stdout a pipe: plain progress lines) and resolves with the dashboard address it prints. */
function startCli(args: string[], cwd: string): Promise<Cli> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
  started.push(child);
  let stderr = '';
  let stdout = '';
  const waiters: (() => void)[] = [];
  const poke = (): void => waiters.forEach((check) => check());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), poke()));
  const waitFor: Cli['waitFor'] = (pattern, stream = 'stderr', timeout = 60_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${pattern} on ${stream}: ${stream === 'stderr' ? stderr : stdout}`)),
        timeout,
      );
      const check = (): void => {
        if (pattern.test(stream === 'stderr' ? stderr : stdout)) {
          clearTimeout(timer);
          resolve();
        }
      };
      waiters.push(check);
      check();
    });
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      poke();
      const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/\S*)\s/.exec(stderr)?.[1];
      if (url) resolve({ child, url, stdout: () => stdout, stderr: () => stderr, waitFor });
    });
    child.on('close', (code) => reject(new Error(`the CLI exited (${code}) before serving: ${stderr}`)));
  });
}

const exitOf = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on('close', resolve),
  );

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('connect', () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(true));
  });

/** Records, in the page, the type (and state) of every message its socket receives, in order. */
function recordMessages(): void {
  const Native = window.WebSocket;
  const seen: string[] = [];
  (window as unknown as { seen: string[] }).seen = seen;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (message: MessageEvent<string>) => {
        const data = JSON.parse(message.data) as { type: string; state?: string };
        seen.push(data.type === 'state' ? `state ${data.state}` : data.type);
      });
    }
  };
}

const spiral200 = ['train', '--data', 'spiral', '--layers', '8,8', '--activation', 'tanh', '--epochs', '200'];

describe('deltaflow train --dashboard, a short run (issue 14, items 1 and 4)', () => {
  it('--dashboard-wait: training starts when the first page connects, which sees it from its start', async () => {
    const dir = tempDir();
    const cli = await startCli([...spiral200, '--dashboard', '--dashboard-wait'], dir);
    await cli.waitFor(/waiting for a page to connect/);
    // nothing trains while nobody watches: no progress line yet
    expect(cli.stdout()).not.toMatch(/epoch +1\/200/);
    const { page, errors } = await openPage(browser.context, cli.url, recordMessages);
    await waitForState(page, 'ended');
    expect(await epochOf(page)).toBe(200);
    await page.waitForFunction(() => document.getElementById('loss-chart')?.dataset.points === '200');
    expect(await page.getAttribute('#loss-chart', 'data-first-epoch')).toBe('1');
    // the page was there before the run: the server said "idle" first, then "running"
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.slice(0, 2)).toEqual(['hello', 'state idle']);
    expect(seen).toContain('state running');
    expect(errors).toEqual([]);
    await cli.waitFor(/still serving/);
    cli.child.kill('SIGINT');
    expect(await exitOf(cli.child)).toBe(0);
  }, 90_000);

  it('keeps serving after the run ends until Ctrl-C: a page opened later shows the whole run, finished', async () => {
    const dir = tempDir();
    const cli = await startCli([...spiral200, '--dashboard', '--save', 'model.json'], dir);
    await cli.waitFor(
      /the run has ended; still serving it at http:\/\/127\.0\.0\.1:\d+\/\S* .*Ctrl-C to stop/,
    );
    expect(cli.stdout()).toMatch(/result\s+│\s+completed/);
    // well past the old 1.5 s grace period
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const { page, errors } = await openPage(browser.context, cli.url);
    await waitForState(page, 'ended');
    expect(await epochOf(page)).toBe(200);
    await page.waitForFunction(() => document.getElementById('loss-chart')?.dataset.points === '200');
    expect(await page.getAttribute('#loss-chart', 'data-first-epoch')).toBe('1');
    await page.waitForFunction(() => document.getElementById('notice')?.textContent?.startsWith('finished'));
    await page.reload();
    await waitForState(page, 'ended');
    expect(await epochOf(page)).toBe(200);
    expect(await page.textContent('#summary')).toContain('completed after 200 epochs');
    expect(errors).toEqual([]);
    cli.child.kill('SIGINT');
    expect(await exitOf(cli.child)).toBe(0);
    expect(await portIsFree(Number(new URL(cli.url).port))).toBe(true);
    await page.waitForFunction(() => document.getElementById('notice')?.textContent?.startsWith('finished'));
  }, 90_000);
});

describe('deltaflow train --dashboard, steered from the page (issue 14, item 5)', () => {
  it('the terminal says when the page paused and resumed the run, and that the stop came from the page', async () => {
    const dir = tempDir();
    const cli = await startCli(
      [
        'train',
        '--data',
        'circle',
        '--layers',
        '6',
        '--activation',
        'tanh',
        '--epochs',
        '1000000',
        '--dashboard',
      ],
      dir,
    );
    const { page, errors } = await openPage(browser.context, cli.url);
    await waitForState(page, 'running');
    await waitForEpoch(page, 10);
    await page.click('#pause');
    await waitForState(page, 'paused');
    await cli.waitFor(/paused from the page at epoch \d+/, 'stdout');
    const held = await epochOf(page);
    expect(cli.stdout()).toContain(`paused from the page at epoch ${held}`);
    await page.click('#play');
    await waitForState(page, 'running');
    await cli.waitFor(/resumed from the page at epoch \d+/, 'stdout');
    await waitForEpoch(page, held + 5);
    await page.click('#stop');
    await waitForState(page, 'ended');
    await cli.waitFor(/stopped from the page after [\d,]+ epochs/);
    expect(cli.stdout()).toMatch(/result\s+│\s+stopped from the page/);
    await cli.waitFor(/still serving/);
    expect(errors).toEqual([]);
    cli.child.kill('SIGINT');
    expect(await exitOf(cli.child)).toBe(0);
  }, 90_000);
});
