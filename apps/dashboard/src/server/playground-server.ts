import type { DashboardServer, DashboardServerOptions } from './options.js';
import { servePage } from './page-server.js';
import { pluginPath } from './static-files.js';

/**
 * Options of {@link startPlaygroundServer} besides the port, host and page folder.
 * @category Server
 */
export interface PlaygroundServerOptions {
  /**
   * Plugin module files (plain modules importing nothing but their own files by relative path, as `deltaflow
   * --plugin` takes) for the page: each is served at `plugins/<index>/<file name>`, with the `.js` and `.mjs`
   * modules of its folder, and named in the returned `url`'s `?plugin=` parameters, so the page
   * opened at that address installs them in its training worker.
   */
  plugins?: readonly string[];
}

/**
 * Serves the standalone page (it trains in the browser, in a Web Worker): what `deltaflow dashboard` without
 * `--replay` serves. Static files only (the page, and the `plugins` files given), on 127.0.0.1 by default.
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
  options: Pick<DashboardServerOptions, 'port' | 'host' | 'pageDir'> & PlaygroundServerOptions = {},
): Promise<DashboardServer> {
  const plugins = options.plugins ?? [];
  const server = await servePage({
    port: options.port,
    host: options.host,
    pageDir: options.pageDir,
    plugins,
  });
  const query = plugins.map(
    (file, i) => `plugin=${encodeURI(pluginPath(i, file)).replace(/[&#+=?]/g, encodeURIComponent)}`,
  );
  return { ...server, url: `${server.url}${query.length > 0 ? `?${query.join('&')}` : ''}` };
}
