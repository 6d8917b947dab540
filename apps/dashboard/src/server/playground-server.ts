import { createServer } from 'node:http';
import { listen, pageUrl, stopListening } from './listen.js';
import type { DashboardServer, DashboardServerOptions } from './options.js';
import { createStaticHandler, findPageDir } from './static-files.js';

/**
 * Serves the standalone page (it trains in the browser, in a Web Worker): what `deltaflow dashboard` without
 * `--replay` serves. Static files only, on 127.0.0.1 by default.
 *
 * @example
 * ```ts
 * // not-runnable: serves until stopped
 * const server = await startPlaygroundServer({ port: 4873 });
 * console.log(`playground: ${server.url}`);
 * ```
 * @throws DeltaflowError `E_LISTEN` when the port cannot be used, `E_NOT_BUILT` when the page is not built
 * @category Server
 */
export async function startPlaygroundServer(
  options: Pick<DashboardServerOptions, 'port' | 'host' | 'pageDir'> = {},
): Promise<DashboardServer> {
  const host = options.host ?? '127.0.0.1';
  const http = createServer(createStaticHandler(options.pageDir ?? findPageDir()));
  const port = await listen(http, options.port ?? 0, host);
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= stopListening(http).then(resolveClosed));
  return { url: pageUrl(host, port), port, host, closed, close };
}
