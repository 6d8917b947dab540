import { existsSync, realpathSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeltaflowError } from '@deltaflow/tensor';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/**
 * The folder of the built page (`vite build` writes it to `dist/page`), found next to this module whether it
 * runs built (`dist/node/server`) or from source (`src/server`).
 *
 * @throws DeltaflowError `E_NOT_BUILT` when the page has not been built
 * @category Server
 */
export function findPageDir(): string {
  const candidates = ['../../page/', '../../dist/page/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) {
    throw new DeltaflowError(
      'E_NOT_BUILT',
      'The dashboard page is not built; run `npx nx build @deltaflow/dashboard` (or `npm run build`) first.',
    );
  }
  return found;
}

/**
 * Options of {@link createStaticHandler}.
 * @category Server
 */
export interface StaticHandlerOptions {
  /** Tell the page to attach to this same-origin WebSocket path (a meta tag in index.html), e.g. `'ws'`. */
  attachPath?: string;
  /** Extra Content-Security-Policy `connect-src` sources. */
  connectSrc?: string;
  /**
   * Plugin module files to serve besides the page, each at {@link pluginPath}`(index, file)` as JavaScript, and
   * named in index.html by a `<meta name="deltaflow-plugin">` tag each, so the page (standalone or attached)
   * installs them. The modules a plugin imports by relative path (`./plugin.js`, a build's output) are served
   * from its own folder ({@link pluginModuleFile}); no other file outside `root` is served.
   */
  plugins?: readonly string[];
}

/** Escapes text for an HTML attribute in double quotes. */
const attribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The `<meta>` tags {@link createStaticHandler} adds to index.html: `deltaflow-attach` (the socket's path) and one
 * `deltaflow-plugin` per plugin file (its URL relative to the page, percent-encoded).
 *
 * @example
 * ```ts
 * pageMetaTags({ plugins: ['/home/me/my plugin.mjs'] });
 * // → ['<meta name="deltaflow-plugin" content="plugins/0/my%20plugin.mjs" />']
 * ```
 * @category Server
 */
export function pageMetaTags(options: Pick<StaticHandlerOptions, 'attachPath' | 'plugins'>): string[] {
  const tags: string[] = [];
  if (options.attachPath !== undefined)
    tags.push(`<meta name="deltaflow-attach" content="${attribute(options.attachPath)}" />`);
  (options.plugins ?? []).forEach((file, i) => {
    const url = `plugins/${i}/${encodeURIComponent(basename(file))}`;
    tags.push(`<meta name="deltaflow-plugin" content="${attribute(url)}" />`);
  });
  return tags;
}

/**
 * Where {@link createStaticHandler} serves the plugin file `file` given at `index` of its `plugins` option,
 * relative to the page: `plugins/<index>/<file name>`.
 *
 * @example
 * ```ts
 * pluginPath(0, '/home/me/softsign.mjs'); // → 'plugins/0/softsign.mjs'
 * ```
 * @category Server
 */
export function pluginPath(index: number, file: string): string {
  return `plugins/${index}/${basename(file)}`;
}

/** The file names a plugin's folder serves besides the plugin itself: ES modules, and their source maps. */
const PLUGIN_MODULE = /\.m?js(\.map)?$/;

/**
 * The file a request for `rest` under a plugin's {@link pluginPath} folder (`plugins/<index>/rest`) serves: a
 * module the plugin `file` imports by a relative path, say `./plugin.js` or `./lib/isru.js`. It is looked up in
 * the folder of the plugin file's real path (links followed, as Node resolves it), subfolders included; only
 * `.js` and `.mjs` files (and their `.map`) are served, and nothing whose real path is outside that folder (no
 * `..`, no link out of it). Resolves with the real path to read, or `null` for a 404.
 *
 * @example
 * ```ts
 * // not-runnable: reads the file system
 * await pluginModuleFile('/home/me/my-isru/dist/index.js', 'isru.js'); // → '/home/me/my-isru/dist/isru.js'
 * await pluginModuleFile('/home/me/my-isru/dist/index.js', '../package.json'); // → null
 * ```
 * @param file - the plugin file, as given in the `plugins` option
 * @param rest - the decoded request path after `plugins/<index>/`
 * @returns the real path of the module to serve, or `null` when it must not (or cannot) be served
 * @category Server
 */
export async function pluginModuleFile(file: string, rest: string): Promise<string | null> {
  const segments = rest.split(/[\\/]/);
  if (
    !PLUGIN_MODULE.test(rest) ||
    rest.includes('\0') ||
    segments.some((s) => s === '..' || s === '.' || s === '')
  )
    return null;
  try {
    const folder = join(dirname(await realpath(file)), sep);
    const real = await realpath(join(folder, ...segments));
    return real.startsWith(folder) && PLUGIN_MODULE.test(real) ? real : null;
  } catch {
    return null;
  }
}

/**
 * Serves the files of `root` (GET and HEAD only; nothing outside `root`, not even through a symbolic link whose
 * target is outside; `/` is index.html), and the `plugins`
 * files at their {@link pluginPath}, with the modules they import by relative path from their folders
 * ({@link pluginModuleFile}). With `attachPath`, index.html gets `<meta name="deltaflow-attach">` so the
 * page attaches instead of training by itself; with `plugins`, a `<meta name="deltaflow-plugin">` per file
 * ({@link pageMetaTags}), so the page installs them. Every answer carries the page's Content-Security-Policy.
 *
 * @example
 * ```ts
 * // not-runnable: needs the built page
 * import { createServer } from 'node:http';
 *
 * const server = createServer(createStaticHandler(findPageDir()));
 * ```
 * @category Server
 */
export function createStaticHandler(
  root: string,
  options: StaticHandlerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  // Where `root` really is: a file is served only when its real path (links followed) is inside it, so a link
  // in a custom pageDir cannot expose files elsewhere.
  let realBase = base;
  try {
    realBase = join(realpathSync(base), sep);
  } catch {
    // a missing root serves nothing (every read fails with 404)
  }
  const csp = [
    "default-src 'self'",
    `connect-src 'self'${options.connectSrc ? ` ${options.connectSrc}` : ''}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const pluginFiles = options.plugins ?? [];
  const plugins = new Map(pluginFiles.map((file, i) => [`/${pluginPath(i, file)}`, file]));
  const metas = pageMetaTags(options);
  return (request, response) => {
    const reply = (status: number, text: string): void => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'Method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return reply(400, 'Bad request');
    }
    if (path.endsWith('/')) path += 'index.html';
    const plugin = plugins.get(path);
    // plugins/<index>/<rest> of a plugin given: a module it imports by relative path, from its own folder
    const folder = /^\/plugins\/(0|[1-9]\d*)\/(.+)$/.exec(path);
    const owner = folder && !plugin ? pluginFiles[Number(folder[1])] : undefined;
    const file = plugin ?? (owner !== undefined ? '' : normalize(join(base, path)));
    if ((!plugin && owner === undefined && !file.startsWith(base)) || path.includes('\0'))
      return reply(404, 'Not found');
    let type = plugin ? TYPES['.mjs']! : (TYPES[extname(file)] ?? 'application/octet-stream');
    const contents = plugin
      ? readFile(file)
      : owner !== undefined
        ? pluginModuleFile(owner, folder![2]!).then((real) => {
            if (real === null) throw new Error('not a module of the plugin');
            type = TYPES[extname(real)]!;
            return readFile(real);
          })
        : realpath(file).then((real) =>
            real.startsWith(realBase) ? readFile(real) : Promise.reject(new Error('outside the page folder')),
          );
    contents.then(
      (content) => {
        let body: Buffer | string = content;
        if (file === join(base, 'index.html') && metas.length > 0) {
          const tags = metas.map((meta) => `    ${meta}\n`).join('');
          body = content.toString('utf8').replace('</head>', `${tags}  </head>`);
        }
        response.writeHead(200, {
          'Content-Type': type,
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': csp,
        });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      () => reply(404, 'Not found'),
    );
  };
}
