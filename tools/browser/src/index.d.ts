// Types of src/index.js (plain JavaScript, so Node scripts import it without a build).
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium, used whenever it is installed. */
export declare const SYSTEM_CHROMIUM: string;

/** The flags every launch gets: headless, as root without a sandbox, and no calls to the network. */
export declare const CHROMIUM_ARGS: readonly string[];

/** Where a chromium came from: Debian's package, or the npm package @sparticuz/chromium. */
export type BrowserSource = 'system' | 'npm';

/** Options of {@link findBrowser} and {@link launchBrowser}. */
export interface FindOptions {
  /** Where to look for an installed chromium (default /usr/bin/chromium). */
  system?: string;
}

/** A running chromium with its own profile folder. */
export interface Browser {
  context: BrowserContext;
  /** The binary that runs. */
  executable: string;
  source: BrowserSource;
  /** Ends the browser and removes its profile folder. */
  close(): Promise<void>;
}

/** The chromium to launch: Debian's when present, else the npm package's, unpacked on first use. */
export declare function findBrowser(
  options?: FindOptions,
): Promise<{ executable: string; source: BrowserSource; env: Record<string, string> }>;

/** The path of the chromium {@link launchBrowser} starts. */
export declare function browserExecutable(options?: FindOptions): Promise<string>;

/** Launches headless chromium in a fresh temporary profile folder. */
export declare function launchBrowser(
  options?: FindOptions & { viewport?: { width: number; height: number } },
): Promise<Browser>;
