import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { listen, pageUrl, stopListening } from './listen.js';
import type { DashboardServer } from './options.js';
import { allowedHosts, allowedOrigins, hostAllowed, refuseUpgrade, tokenMatches } from './origins.js';
import { createStaticHandler, findPageDir } from './static-files.js';

/** The path of the pages' WebSocket (relative to the page), on every server that has one. */
const SOCKET_PATH = 'ws';
/** The largest message a page may send (its commands are a few bytes). */
const MAX_PAYLOAD = 64 * 1024;

/**
 * Options of {@link servePage}.
 * @category Server
 */
export interface PageServerOptions {
  /** Port to listen on; 0 (the default) takes any free port. */
  port?: number;
  /** Address to bind; default `'127.0.0.1'` (only this machine). */
  host?: string;
  /** Folder of the built page; default the package's `dist/page`. */
  pageDir?: string;
  /** Plugin module files to serve besides the page (see `createStaticHandler`). */
  plugins?: readonly string[];
  /**
   * Gives the page a WebSocket at `/ws` (and tells it to attach to it): each socket opened from an allowed origin
   * is handed to this; every other upgrade is refused with 403.
   */
  onSocket?: (socket: WebSocket, access: SocketAccess) => void;
  /** More origins allowed to open the WebSocket besides the server's own (e.g. a Vite dev server's). */
  allowedOrigins?: readonly string[];
  /**
   * More Host headers answered besides the server's own names (see `allowedHosts`), e.g. the name of a proxy in
   * front, as `name` or `name:port`. Any other Host is refused (421, or 403 for the socket) against DNS rebinding.
   */
  allowedHosts?: readonly string[];
  /**
   * The run's control token: the page's URL carries it as `#token=...` (a fragment: never sent in a request,
   * so it stays out of logs and Referer headers), the page passes it on as the socket's `?token=`, and only a
   * socket that gave it may steer the run ({@link SocketAccess}). Without it, no socket may.
   */
  controlToken?: string;
  /** Called first by `close()`, before the sockets still open are closed and the port released. */
  onClose?: () => void | Promise<void>;
}

/**
 * What a socket opened on a {@link servePage} server may do.
 * @category Server
 */
export interface SocketAccess {
  /** Whether it gave the server's control token (`?token=` on the socket URL): it may steer the run. */
  readonly control: boolean;
}

/**
 * Closes `sockets` as a server going away (code 1001); resolves once all are closed, terminating any that has
 * not closed after 500 ms.
 *
 * @example
 * ```ts
 * // not-runnable: closes the sockets of a running server
 * import type { WebSocketServer } from 'ws';
 *
 * declare const sockets: WebSocketServer;
 * await closeSockets(sockets.clients);
 * ```
 * @category Server
 */
export async function closeSockets(sockets: Iterable<WebSocket>): Promise<void> {
  await Promise.all(
    [...sockets].map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          const force = setTimeout(() => socket.terminate(), 500);
          socket.once('close', () => {
            clearTimeout(force);
            resolve();
          });
          socket.close(1001, 'The dashboard server is closing.');
        }),
    ),
  );
}

/**
 * What every dashboard server shares: the built page over HTTP on `host:port` (127.0.0.1 by default; static files
 * only, with the page's CSP), and with `onSocket` the pages' WebSocket at `/ws`, open only to pages from the
 * server's own origin (and `allowedOrigins`). `close()` (idempotent) calls `onClose`, closes the sockets still
 * open (1001), and releases the port; `closed` settles then.
 *
 * @example
 * ```ts
 * // not-runnable: needs the built page
 * const server = await servePage({ port: 0, onSocket: (socket) => socket.send('hello') });
 * console.log(server.url);
 * ```
 * @throws DeltaflowError `E_LISTEN` when the port cannot be used, `E_NOT_BUILT` when the page is not built
 * @category Server
 */
export async function servePage(options: PageServerOptions): Promise<DashboardServer> {
  const host = options.host ?? '127.0.0.1';
  const { onSocket, controlToken } = options;
  const serveFile = createStaticHandler(options.pageDir ?? findPageDir(), {
    ...(onSocket ? { attachPath: SOCKET_PATH } : {}),
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
  // the port is known once listening; until then no request is answered
  let hosts: ReadonlySet<string> = new Set();
  const http = createServer((request, response) => {
    if (!hostAllowed(request, hosts)) {
      response
        .writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
        .end('Misdirected request: this server answers only its own addresses.\n');
      return;
    }
    serveFile(request, response);
  });
  const port = await listen(http, options.port ?? 0, host);
  hosts = allowedHosts(host, port, options.allowedHosts);
  let sockets: WebSocketServer | null = null;
  if (onSocket) {
    const origins = allowedOrigins(host, port, options.allowedOrigins);
    const server = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
    sockets = server;
    http.on('upgrade', (request: IncomingMessage, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (
        url.pathname !== `/${SOCKET_PATH}` ||
        !origins.has(request.headers.origin ?? '') ||
        !hostAllowed(request, hosts)
      )
        return refuseUpgrade(socket);
      const control = controlToken !== undefined && tokenMatches(url.searchParams.get('token'), controlToken);
      server.handleUpgrade(request, socket, head, (ws) => onSocket(ws, { control }));
    });
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await options.onClose?.();
      if (sockets) {
        await closeSockets(sockets.clients);
        sockets.close();
      }
      await stopListening(http);
      resolveClosed();
    })();
    return closing;
  };
  const fragment = controlToken !== undefined ? `#token=${encodeURIComponent(controlToken)}` : '';
  return { url: `${pageUrl(host, port)}${fragment}`, port, host, closed, close };
}
