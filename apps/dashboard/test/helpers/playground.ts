// The built standalone page served as `deltaflow dashboard` serves it, and a chromium to open it in, for one
// test file: started before its tests, closed after them.
import { afterAll, beforeAll } from 'vitest';
import { startPlaygroundServer } from '../../src/server/index.js';
import type { DashboardServer } from '../../src/server/index.js';
import { launchBrowser } from './browser.js';
import type { Browser } from './browser.js';

/** The server and the browser of a test file; read them inside tests (they exist once `beforeAll` ran). */
export interface Playground {
  server: DashboardServer;
  browser: Browser;
}

/** Starts the playground server and chromium before the file's tests and closes both after them. */
export function usePlayground(): Playground {
  const playground = {} as Playground;
  beforeAll(async () => {
    Object.assign(playground, { server: await startPlaygroundServer(), browser: await launchBrowser() });
  });
  afterAll(async () => {
    await playground.browser?.close();
    await playground.server?.close();
  });
  return playground;
}
