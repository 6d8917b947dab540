// The standalone page's run controls in chromium (issue 14, items 8, 9 and the controls of 10): a speed in
// epochs per second kept in the URL, charts over one epoch range; invalid boxes explained and the run held;
// bad link values replaced by the defaults with a notice; a Stop button; fast step clicks all counted; the Run
// panel in words; iris without noise and points.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { epochOf, openPage, screenshot, waitForEpoch, waitForState } from './helpers/browser.js';
import { usePlayground } from './helpers/playground.js';

const playground = usePlayground();

/** The four charts' x-axis ranges and the epoch counter, read in one go. */
async function chartRanges(page: Page): Promise<{ epoch: number; ranges: string[] }> {
  return page.evaluate(() => ({
    epoch: Number(document.getElementById('epoch')!.textContent),
    ranges: ['loss-chart', 'metric-chart', 'delta-chart', 'norm-chart'].map((id) => {
      const host = document.getElementById(id)!;
      return `${host.dataset.xMin}..${host.dataset.xMax}`;
    }),
  }));
}

/** Waits until every chart's x-axis ends at the epoch the counter shows (the charts settled). */
async function waitForChartsAtEpoch(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const epoch = document.getElementById('epoch')!.textContent;
      return ['loss-chart', 'metric-chart', 'delta-chart', 'norm-chart'].every(
        (id) => document.getElementById(id)!.dataset.xMax === epoch,
      );
    },
    undefined,
    { timeout: 30_000 },
  );
}

/** The Run panel's value for the row labelled `label`. */
async function runRow(page: Page, label: string): Promise<string> {
  return page.evaluate((name) => {
    const term = [...document.querySelectorAll('#summary dt')].find((dt) => dt.textContent === name);
    return term?.nextElementSibling?.textContent ?? '';
  }, label);
}

describe('standalone run controls', () => {
  it('item 8: paces the run in epochs per second, keeps the speed in the URL, and shows every chart over the same epochs', async () => {
    const { page, errors } = await openPage(playground.browser.context, `${playground.server.url}?speed=2`);
    await waitForState(page, 'paused');
    expect(await page.$eval('#speed', (s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent)).toBe(
      '2 epochs/s',
    );
    expect(new URL(page.url()).searchParams.get('speed')).toBe('2');

    // At 2 epochs per second: epoch k starts (k - 1) / 2 s after play, never sooner (a busy machine only slows it).
    const started = await page.evaluate(() => {
      document.getElementById('play')!.click();
      return performance.now();
    });
    await waitForEpoch(page, 3);
    await page.waitForTimeout(1000);
    const { epoch, elapsed } = await page.evaluate((t0) => {
      return {
        epoch: Number(document.getElementById('epoch')!.textContent),
        elapsed: performance.now() - t0,
      };
    }, started);
    expect(epoch).toBeLessThanOrEqual(Math.floor((2 * elapsed) / 1000) + 1);
    expect(await page.getAttribute('#state', 'data-state')).toBe('running');

    // As fast as possible: hundreds of epochs; the choice goes into the URL.
    await page.selectOption('#speed', { label: 'as fast as possible' });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('speed') === 'max');
    await waitForEpoch(page, epoch + 300);
    await page.click('#pause');
    await waitForState(page, 'paused');

    // Held: the loss, accuracy and both gradient charts end at the epoch shown, all from epoch 0.
    await waitForChartsAtEpoch(page);
    const held = await chartRanges(page);
    expect(held.ranges).toEqual(Array(4).fill(`0..${held.epoch}`));

    // The speed survives a reload.
    await page.reload();
    await waitForState(page, 'paused');
    expect(await page.$eval('#speed', (s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent)).toBe(
      'as fast as possible',
    );
    await screenshot(page, 'standalone-speed');
    expect(errors).toEqual([]);
  });

  it('item 9: explains an invalid box beside it and holds the run until it is fixed; the run then uses the value shown', async () => {
    const { page, errors } = await openPage(
      playground.browser.context,
      `${playground.server.url}?speed=max&lr=0.1`,
    );
    await waitForState(page, 'paused');
    await page.click('#play');
    await waitForEpoch(page, 50);

    await page.fill('#lr', '');
    await waitForState(page, 'paused');
    const note = page.locator('#lr-note');
    await note.waitFor({ state: 'visible' });
    expect(await note.textContent()).toBe(
      'The learning rate must be a number from 0.000001 to 10; the run holds until it is.',
    );
    expect(await page.getAttribute('#lr', 'aria-describedby')).toBe('lr-note');
    expect(await page.isDisabled('#play')).toBe(true);
    expect(await page.isDisabled('#step')).toBe(true);
    expect(await page.isDisabled('#reset')).toBe(true);
    await screenshot(page, 'standalone-invalid-lr');
    const held = await epochOf(page);
    await page.waitForTimeout(500);
    expect(await epochOf(page)).toBe(held);

    await page.fill('#lr', '0.5');
    await note.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !(document.getElementById('play') as HTMLButtonElement).disabled);
    await page.click('#play');
    await waitForEpoch(page, held + 20);
    // the rate in use is the one in the box, and the Run panel says so
    await page.waitForFunction(() =>
      document.getElementById('summary')!.textContent!.includes('learning rate 0.5'),
    );
    expect(await runRow(page, 'learning rate')).toBe('0.5');
    await page.click('#pause');
    expect(errors).toEqual([]);
  });

  it('item 9: replaces bad link values with the defaults, naming each in a notice', async () => {
    const { page, errors } = await openPage(
      playground.browser.context,
      `${playground.server.url}?activation=nope&lr=abc&points=7&speed=fast`,
    );
    await waitForState(page, 'paused');
    expect(await page.inputValue('#activation')).toBe('tanh');
    expect(await page.inputValue('#lr')).toBe('0.03');
    expect(await page.inputValue('#points')).toBe('400');
    const notice = await page.textContent('#url-notice');
    expect(notice).toContain(
      "The link's activation=nope is not an activation this page has; using the default, tanh.",
    );
    expect(notice).toContain("The link's lr=abc is not valid here; using the default, 0.03.");
    expect(notice).toContain("The link's points=7 is not valid here; using the default, 400.");
    expect(notice).toContain(
      "The link's speed=fast is not valid here; using the default, 50 epochs per second.",
    );
    await screenshot(page, 'standalone-link-notice');
    const url = new URL(page.url()).searchParams;
    expect([url.get('activation'), url.get('lr'), url.get('speed')]).toEqual(['tanh', '0.03', '50']);
    expect(errors).toEqual([]);
  });

  it('item 10: a Stop button ends the standalone run', async () => {
    const { page, errors } = await openPage(playground.browser.context, `${playground.server.url}?speed=max`);
    await waitForState(page, 'paused');
    expect(await page.isVisible('#stop')).toBe(true);
    await page.click('#play');
    await waitForEpoch(page, 20);
    await page.click('#stop');
    await waitForState(page, 'ended');
    expect(await runRow(page, 'end')).toMatch(/^stopped after \d+ epochs$/);
    expect(await page.isDisabled('#play')).toBe(true);
    expect(await page.isDisabled('#stop')).toBe(true);
    // reset starts a new run
    await page.click('#reset');
    await waitForState(page, 'paused');
    expect(await epochOf(page)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('item 10: three fast step clicks run three epochs', async () => {
    const { page, errors } = await openPage(playground.browser.context, playground.server.url);
    await waitForState(page, 'paused');
    // three clicks within one task: as fast as a person (or a test) can click
    await page.evaluate(() => {
      for (let i = 0; i < 3; i++) document.getElementById('step')!.click();
    });
    await waitForEpoch(page, 3);
    await page.waitForTimeout(500);
    expect(await epochOf(page)).toBe(3);
    await waitForState(page, 'paused');
    // and three more, one by one
    for (let i = 0; i < 3; i++) await page.click('#step');
    await waitForEpoch(page, 6);
    await page.waitForTimeout(500);
    expect(await epochOf(page)).toBe(6);
    expect(errors).toEqual([]);
  });

  it('item 10: the Run panel speaks words, not internals', async () => {
    const { page, errors } = await openPage(playground.browser.context, playground.server.url);
    await waitForState(page, 'paused');
    await page.click('#step');
    await waitForEpoch(page, 1);
    await page.waitForFunction(() => document.getElementById('summary')!.textContent!.includes('· loss'));
    expect(await runRow(page, 'training')).toBe(
      'SGD, learning rate 0.03; mean squared error; batches of 10; seed 42',
    );
    expect(await runRow(page, 'last batch')).toMatch(/^epoch 1 · loss \d\.\d{6}$/);
    expect(await runRow(page, 'metric')).toMatch(/^accuracy \d+\.\d% · test \d+\.\d%$/);
    const text = await page.textContent('#summary');
    expect(text).not.toMatch(/momentum 0|dampening|nesterov|batch \d+:/);
    expect(errors).toEqual([]);
  });

  it("item 10: iris's noise and points boxes are disabled, with the reason", async () => {
    const { page, errors } = await openPage(playground.browser.context, playground.server.url);
    await waitForState(page, 'paused');
    expect(await page.isDisabled('#noise')).toBe(false);
    await page.selectOption('#dataset', 'iris');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('dataset') === 'iris');
    expect(await page.isDisabled('#noise')).toBe(true);
    expect(await page.isDisabled('#points')).toBe(true);
    expect(await page.textContent('#iris-note')).toBe(
      'Iris is a fixed set of 150 measured flowers: noise and points do not apply.',
    );
    expect(await page.isVisible('#iris-note')).toBe(true);
    expect(await page.getAttribute('#noise', 'aria-describedby')).toBe('iris-note');
    await page.selectOption('#dataset', 'circle');
    expect(await page.isDisabled('#noise')).toBe(false);
    expect(await page.isVisible('#iris-note')).toBe(false);
    expect(errors).toEqual([]);
  });
});
