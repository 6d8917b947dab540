// Edges of `deltaflow train --resume` (issue 15): with --init (refused on the resume's command line; a run
// started with --init resumes to its uninterrupted file), from another working directory (a relative CSV path
// and --init path are found where the run started, and a file that is gone is named in one sentence), and with
// --dashboard (the attached page sees the continued epochs, and the confusion matrix of each). The real CLI, a
// real chromium.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochEvent, TrainingEvent } from '@deltaflow/trainer';
import { launchBrowser } from '@deltaflow/test-browser';
import type { Browser } from '@deltaflow/test-browser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epochOf, openPage, waitForState } from '../../dashboard/test/helpers/browser.js';
import { bin, runCli, tempDir } from './helpers.js';

process.env.SOURCE_DATE_EPOCH = '1700000000';

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

/** 80 rows of a seeded two-feature CSV: the class is 1 above the line x + y = 0. */
function csv(): string {
  let s = 7;
  const r = (): number => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (s >>> 8) / 2 ** 24;
  };
  const rows = ['x,y,label'];
  for (let i = 0; i < 80; i++) {
    const x = r() * 2 - 1;
    const y = r() * 2 - 1;
    rows.push(`${x.toFixed(4)},${y.toFixed(4)},${x + y > 0 ? 1 : 0}`);
  }
  return `${rows.join('\n')}\n`;
}

describe('--resume with --init', () => {
  it('refuses --init beside --resume in one sentence: the checkpoint keeps the run', async () => {
    const dir = tempDir();
    expect((await runCli(['train', '--data', 'xor', '--epochs', '2', '--save', 'm.json'], dir)).code).toBe(0);
    expect(
      (await runCli(['train', '--data', 'xor', '--epochs', '2', '--checkpoint', 'c.json', '--quiet'], dir))
        .code,
    ).toBe(0);
    const result = await runCli(['train', '--resume', 'c.json', '--init', 'm.json', '--epochs', '4'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "deltaflow: --init cannot be combined with --resume: the checkpoint keeps the run's options; only --epochs and the output flags may change.",
    );
  });

  it('resumes a run started with --init (relative paths) from another directory to the uninterrupted file', async () => {
    const root = tempDir();
    const work = join(root, 'work');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(work);
    mkdirSync(elsewhere);
    writeFileSync(join(work, 'line.csv'), csv());
    const base = ['--data', 'line.csv', '--layers', '5', '--activation', 'tanh', '--seed', '3', '--quiet'];
    expect((await runCli(['train', ...base, '--epochs', '3', '--save', 'start.json'], work)).code).toBe(0);
    const cont = ['--data', 'line.csv', '--init', 'start.json', '--optimizer', 'adam', '--lr', '0.01'];
    cont.push('--validation-split', '0.25', '--seed', '9', '--quiet');
    expect((await runCli(['train', ...cont, '--epochs', '10', '--save', 'full.json'], work)).code).toBe(0);
    expect((await runCli(['train', ...cont, '--epochs', '4', '--checkpoint', 'c.json'], work)).code).toBe(0);
    const resumed = await runCli(
      ['train', '--resume', '../work/c.json', '--epochs', '10', '--save', 'resumed.json', '--quiet'],
      elsewhere,
    );
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read(elsewhere, 'resumed.json')).toBe(read(work, 'full.json'));
    expect(JSON.parse(read(elsewhere, 'resumed.json'))).toMatchObject({
      meta: { data: 'line.csv', init: 'start.json' },
    });
    // the --init file gone: named, with where it was looked for
    renameSync(join(work, 'start.json'), join(work, 'moved.json'));
    const gone = await runCli(['train', '--resume', '../work/c.json', '--epochs', '10'], elsewhere);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(
      `deltaflow: --resume ../work/c.json: the run's initial model file (--init) start.json is not at ${join(work, 'start.json')} (the run was started in ${work}); put it back there to resume the run.`,
    );
  });
});

describe('--resume from another working directory', () => {
  it('finds a relative CSV where the run started, gives the uninterrupted file, and names a CSV that is gone', async () => {
    const root = tempDir();
    const work = join(root, 'work');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(work);
    mkdirSync(elsewhere);
    writeFileSync(join(work, 'line.csv'), csv());
    const run = ['train', '--data', 'line.csv', '--layers', '4', '--validation-split', '0.2', '--seed', '4'];
    run.push('--optimizer', 'rmsprop', '--lr', '0.01', '--quiet');
    expect((await runCli([...run, '--epochs', '12', '--save', 'full.json'], work)).code).toBe(0);
    expect((await runCli([...run, '--epochs', '5', '--checkpoint', 'c.json'], work)).code).toBe(0);
    const checkpoint = JSON.parse(read(work, 'c.json')) as { checkpoint: { options: object; cwd: string } };
    expect(checkpoint.checkpoint.options).toMatchObject({ data: 'line.csv' });
    expect(checkpoint.checkpoint.cwd).toBe(work);
    const resumed = await runCli(
      [
        'train',
        '--resume',
        join('..', 'work', 'c.json'),
        '--epochs',
        '12',
        '--save',
        'resumed.json',
        '--quiet',
      ],
      elsewhere,
    );
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read(elsewhere, 'resumed.json')).toBe(read(work, 'full.json'));

    renameSync(join(work, 'line.csv'), join(work, 'other.csv'));
    const gone = await runCli(['train', '--resume', '../work/c.json', '--epochs', '12'], elsewhere);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(
      `deltaflow: --resume ../work/c.json: the run's data file line.csv is not at ${join(work, 'line.csv')} (the run was started in ${work}); put it back there to resume the run.`,
    );
    // a checkpoint without the directory (written before it was kept): paths are relative to where --resume runs
    const old = JSON.parse(read(work, 'c.json')) as { checkpoint: { cwd?: string } };
    delete old.checkpoint.cwd;
    writeFileSync(join(elsewhere, 'old.json'), JSON.stringify(old));
    const before = await runCli(['train', '--resume', 'old.json', '--epochs', '12'], elsewhere);
    expect(before.code).toBe(1);
    expect(before.stderr.trim()).toBe(
      `deltaflow: --resume old.json: the run's data file line.csv is not at ${join(elsewhere, 'line.csv')}; put it back there to resume the run.`,
    );
  });
});

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
const started: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await browser?.close();
});

/** Starts the CLI and resolves with the dashboard address it prints, and a way to wait for its stderr. */
function startCli(
  args: string[],
  cwd: string,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; waitFor(pattern: RegExp): Promise<void> }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
  started.push(child);
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.resume();
  const waitFor = (pattern: RegExp): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (pattern.test(stderr)) resolve();
      };
      waiters.push(check);
      check();
    });
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      waiters.forEach((check) => check());
      const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/\S*)\s/.exec(stderr)?.[1];
      if (url) resolve({ child, url, waitFor });
    });
    child.on('close', (code) => reject(new Error(`the CLI exited (${code}) before serving: ${stderr}`)));
  });
}

describe('--resume with --dashboard', () => {
  it('the attached page sees the continued epochs, each with its confusion matrix', async () => {
    const dir = tempDir();
    const run = ['--data', 'iris', '--layers', '6', '--loss', 'cross-entropy', '--normalize', '--seed', '2'];
    run.push('--validation-split', '0.2', '--optimizer', 'adam', '--lr', '0.02', '--quiet');
    expect((await runCli(['train', ...run, '--epochs', '4', '--checkpoint', 'c.json'], dir)).code).toBe(0);
    const cli = await startCli(
      [
        'train',
        '--resume',
        'c.json',
        '--epochs',
        '30',
        '--events',
        'resumed.jsonl',
        '--dashboard',
        '--dashboard-wait',
      ],
      dir,
    );
    const { page, errors } = await openPage(browser.context, cli.url);
    await waitForState(page, 'ended');
    expect(await epochOf(page)).toBe(30);
    // epochs 5 to 30: the continuation, not a new run from epoch 1
    await page.waitForFunction(() => document.getElementById('loss-chart')?.dataset.points === '26');
    expect(await page.getAttribute('#loss-chart', 'data-first-epoch')).toBe('5');
    expect(await page.textContent('#summary')).toContain('completed after 30 epochs');
    // the CLI asked for the confusion matrix for its page: the panel shows the last epoch's
    const events = read(dir, 'resumed.jsonl')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TrainingEvent);
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
    expect(epochs[0]!.epoch).toBe(5);
    const last = epochs.at(-1)!;
    await page.waitForFunction(() =>
      /epoch 30:/.test(document.querySelector('#confusion caption')?.textContent ?? ''),
    );
    const counts = await page.$$eval('#confusion table', (tables) =>
      tables.map((t) =>
        [...(t as HTMLTableElement).tBodies[0]!.rows].map((r) =>
          [...r.cells].slice(1).map((c) => Number(c.textContent)),
        ),
      ),
    );
    expect(counts).toEqual([last.confusion, last.valConfusion]);
    expect(
      await page.$$eval('#confusion thead th', (ths) => ths.slice(1, 4).map((th) => th.textContent)),
    ).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(errors).toEqual([]);
    await cli.waitFor(/still serving/);
    cli.child.kill('SIGINT');
  }, 90_000);
});
