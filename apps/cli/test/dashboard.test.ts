// `deltaflow train --dashboard`: the real CLI serves its run to a real browser (the shared chromium of
// @deltaflow/test-browser), a page
// opened late gets the history, and Ctrl-C closes the server (port free) and exits 130.
// `deltaflow dashboard --replay` serves a recorded run; `deltaflow dashboard --plugin FILE` serves the plugin file
// to the playground page, which installs it and trains with its activation.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '@deltaflow/test-browser';
import type { Browser } from '@deltaflow/test-browser';
import {
  epochOf,
  openPage,
  screenshot,
  waitForEpoch,
  waitForState,
} from '../../dashboard/test/helpers/browser.js';
import { bin, runCli, tempDir, writeFiles } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Starts the CLI and resolves with the dashboard address it prints on stderr. */
function startCli(
  args: string[],
  cwd: string,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/\S*)\s/.exec(stderr)?.[1];
      if (url) resolve({ child, url, stderr: () => stderr });
    });
    child.stdout.resume();
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

describe('deltaflow train --dashboard', () => {
  it('shows the CLI run live in chromium, gives a late page the history, and shuts down on Ctrl-C', async () => {
    const dir = tempDir();
    const { child, url } = await startCli(
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
        '--quiet',
        '--dashboard',
      ],
      dir,
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const live = await openPage(browser.context, url);
    await waitForState(live.page, 'running');
    await waitForEpoch(live.page, 10);
    const seen = await epochOf(live.page);
    await waitForEpoch(live.page, seen + 10);
    expect(await live.page.textContent('#mode')).toBe('attached: circle');
    await screenshot(live.page, 'cli-attached-live');

    const late = await openPage(browser.context, url);
    await waitForEpoch(late.page, seen + 10);
    // The chart is drawn on the next animation frame after the counter moves: wait for it, then check it.
    await late.page.waitForSelector('#loss-chart[data-first-epoch]');
    expect(await late.page.getAttribute('#loss-chart', 'data-first-epoch')).toBe('1');

    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(await portIsFree(Number(new URL(url).port))).toBe(true);
    expect([...live.errors, ...late.errors]).toEqual([]);
  }, 90_000);
});

describe('deltaflow dashboard --replay', () => {
  it('replays a run recorded with --events', async () => {
    const dir = tempDir();
    const recorded = await runCli(
      ['train', '--data', 'xor', '--epochs', '60', '--quiet', '--events', 'run.jsonl'],
      dir,
    );
    expect(recorded.code).toBe(0);
    const { child, url } = await startCli(['dashboard', '--replay', 'run.jsonl'], dir);
    const page = await openPage(browser.context, url);
    await waitForState(page.page, 'ended');
    expect(await epochOf(page.page)).toBe(60);
    expect(page.errors).toEqual([]);
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
  }, 60_000);

  it('refuses a missing recording with one line and exit 1', async () => {
    const result = await runCli(['dashboard', '--replay', 'missing.jsonl'], tempDir());
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/missing\.jsonl/);
  });
});

describe('deltaflow dashboard --plugin', () => {
  it('serves the plugin file to the playground, whose page offers its activation and trains with it', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'isru.mjs': `export default {
  name: 'isru-plugin',
  activations: [{ name: 'isru-cli', f: (x) => x / Math.sqrt(1 + x * x), df: (x) => (1 + x * x) ** -1.5 }],
};
`,
    });
    const { child, url } = await startCli(['dashboard', '--plugin', './isru.mjs'], dir);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?plugin=plugins\/0\/isru\.mjs$/);
    const { page, errors } = await openPage(browser.context, `${url}&dataset=circle&layers=4`);
    await waitForState(page, 'paused');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#activation option')].some((o) => o.textContent === 'isru-cli'),
    );
    await page.selectOption('#activation', 'isru-cli');
    await page.click('#play');
    await waitForEpoch(page, 5);
    expect(await page.inputValue('#activation')).toBe('isru-cli');
    expect(new URL(page.url()).searchParams.getAll('plugin')).toEqual(['plugins/0/isru.mjs']);
    expect(new URL(page.url()).searchParams.get('activation')).toBe('isru-cli');
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(/could not be installed/);
    expect(errors).toEqual([]);
    // Only the file given is served: its neighbours and other indexes are not.
    expect((await fetch(new URL('plugins/0/isru.mjs', url))).headers.get('content-type')).toMatch(
      /^text\/javascript/,
    );
    expect((await fetch(new URL('plugins/1/isru.mjs', url))).status).toBe(404);
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
  }, 90_000);
});
