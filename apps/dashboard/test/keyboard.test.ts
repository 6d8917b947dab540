// Keyboard control of the standalone page in chromium: Space plays and pauses, → steps one epoch; keys typed
// in a box are the box's.
import { describe, expect, it } from 'vitest';
import { epochOf, openPage, waitForEpoch, waitForState } from './helpers/browser.js';
import { usePlayground } from './helpers/playground.js';

const playground = usePlayground();

describe('keyboard', () => {
  it('Space plays and pauses, → steps exactly one epoch, and neither acts while typing in a box', async () => {
    const { page, errors } = await openPage(playground.browser.context, `${playground.server.url}?seed=5`);
    await waitForState(page, 'paused');
    await page.keyboard.press('Space');
    await waitForState(page, 'running');
    await waitForEpoch(page, 10);
    await page.keyboard.press('Space');
    await waitForState(page, 'paused');
    const held = await epochOf(page);

    await page.keyboard.press('ArrowRight');
    await waitForEpoch(page, held + 1);
    await waitForState(page, 'paused');
    await page.keyboard.press('ArrowRight');
    await waitForEpoch(page, held + 2);
    await page.waitForTimeout(400);
    expect(await epochOf(page)).toBe(held + 2);

    // In the seed box, → moves the caret and Space is typed (or refused), nothing else.
    await page.focus('#seed');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.waitForTimeout(600);
    expect(await epochOf(page)).toBe(held + 2);
    expect(await page.getAttribute('#state', 'data-state')).toBe('paused');

    // After a click on play, the focus is on the run buttons: Space still pauses, once.
    await page.click('#play');
    await waitForState(page, 'running');
    await page.keyboard.press('Space');
    await waitForState(page, 'paused');
    await page.waitForTimeout(400);
    expect(await page.getAttribute('#state', 'data-state')).toBe('paused');
    expect(errors).toEqual([]);
  });
});
