import type { BrowserContext, Page } from 'playwright-core';
/** Where screenshots go (git-ignored). */
export declare const OUTPUT_DIR: string;
/** A running chromium with its own profile folder. */
export interface Browser {
    context: BrowserContext;
    close(): Promise<void>;
}
/** Launches chromium in a fresh temporary profile. */
export declare function launchBrowser(): Promise<Browser>;
/** A page and the errors it logged (console errors and uncaught exceptions). */
export interface WatchedPage {
    page: Page;
    errors: string[];
}
/** Opens `url` in a new tab, collecting errors from the start; `init` runs in the page before its scripts. */
export declare function openPage(context: BrowserContext, url: string, init?: () => void): Promise<WatchedPage>;
/** Saves a full-page screenshot as test-output/NAME.png. */
export declare function screenshot(page: Page, name: string): Promise<void>;
/** The epoch counter the page shows. */
export declare function epochOf(page: Page): Promise<number>;
/** Waits until the epoch counter is at least `n`. */
export declare function waitForEpoch(page: Page, n: number, timeout?: number): Promise<void>;
/** Waits until the page shows the run in `state` (paused, running, ended). */
export declare function waitForState(page: Page, state: string): Promise<void>;
//# sourceMappingURL=browser.d.ts.map