// Accessibility in chromium: axe-core (injected into the page) finds no serious or critical violation in the
// standalone, attached and replay pages, and every control has an accessible name.
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { createRun, train } from '@deltaflow/trainer';
import { recordJsonl } from '@deltaflow/trainer/node';
import type { Page } from 'playwright-core';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, startReplayServer } from '../src/server/index.js';
import { openPage, waitForEpoch, waitForState } from './helpers/browser.js';
import { usePlayground } from './helpers/playground.js';

const playground = usePlayground();
let axeSource: string;
let dir: string;

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  dir = await mkdtemp(join(tmpdir(), 'deltaflow-a11y-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it is (evaluated over the debugging protocol, which the page's strict CSP does
 * not apply to) and returns its serious and critical violations; logs the minor ones.
 */
async function audit(page: Page, name: string): Promise<Violation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (
      result.violations as {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[]
    ).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length > 0) console.log(`${name}: minor: ${JSON.stringify(minor)}`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Controls (buttons, inputs, selects) that are shown and have no accessible name. */
async function unnamed(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const control of await page.locator('button:visible, input:visible, select:visible').all()) {
    const name = await control.evaluate((e) => {
      const labels = (e as HTMLInputElement).labels;
      return (
        e.getAttribute('aria-label') ??
        (labels && labels.length > 0 ? labels[0]!.textContent : null) ??
        (e.tagName === 'BUTTON' ? e.textContent : null) ??
        ''
      ).trim();
    });
    if (name === '') found.push(await control.evaluate((e) => e.outerHTML.slice(0, 80)));
  }
  return found;
}

describe('accessibility (axe-core)', () => {
  it('standalone: no serious or critical violation, running and paused, every control named', async () => {
    const { page, errors } = await openPage(playground.browser.context, `${playground.server.url}?seed=3`);
    await waitForState(page, 'paused');
    expect(await audit(page, 'standalone paused')).toEqual([]);
    await page.click('#play');
    await waitForEpoch(page, 20);
    expect(await audit(page, 'standalone running')).toEqual([]);
    await page.click('#pause');
    await page.check('#show-test');
    await page.check('#discretize');
    expect(await audit(page, 'standalone toggles')).toEqual([]);
    expect(await unnamed(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('attached: no serious or critical violation', async () => {
    const data = createDataset('circle', { points: 200, noise: 0.05, seed: 5 });
    const model = mlp({
      inputs: 2,
      layers: [{ units: 4, activation: 'tanh' }, { units: 1 }],
      seed: 5,
    });
    const run = createRun(model, data, {
      epochs: 100_000,
      lr: 0.05,
      batchSize: 10,
      validationSplit: 0.3,
      seed: 5,
    });
    const server = await startDashboardServer({
      events$: run.events$,
      control: run,
      model,
      data,
      title: 'circle',
    });
    try {
      const { page, errors } = await openPage(playground.browser.context, server.url);
      await waitForState(page, 'running');
      await waitForEpoch(page, 20);
      expect(await audit(page, 'attached running')).toEqual([]);
      await page.click('#pause');
      await waitForState(page, 'paused');
      expect(await audit(page, 'attached paused')).toEqual([]);
      expect(await unnamed(page)).toEqual([]);
      await page.click('#stop');
      await waitForState(page, 'ended');
      expect(errors).toEqual([]);
    } finally {
      run.stop();
      await server.close();
    }
  });

  it('replay: no serious or critical violation', async () => {
    const file = join(dir, 'xor.jsonl');
    const data = createDataset('xor', { points: 200, noise: 0.05, seed: 2 });
    const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }], seed: 2 });
    await lastValueFrom(
      train(model, data, { epochs: 60, lr: 0.1, batchSize: 10, validationSplit: 0.25 }).pipe(
        recordJsonl(file),
      ),
    );
    const server = await startReplayServer({ file, epochDelayMs: 5 });
    try {
      const { page, errors } = await openPage(playground.browser.context, server.url);
      // The header says "replay" once the page has the server's hello; the run is then on its way.
      await page.waitForFunction(() => /replay/.test(document.getElementById('mode')?.textContent ?? ''));
      await page.waitForTimeout(300);
      expect(await audit(page, 'replay')).toEqual([]);
      await page.waitForTimeout(1000);
      expect(await audit(page, 'replay, later')).toEqual([]);
      expect(await unnamed(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
