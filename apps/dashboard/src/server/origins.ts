import type { Duplex } from 'node:stream';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The origins whose pages may open the dashboard's WebSocket: the server's own (`http://host:port`; for a
 * loopback address also its other loopback spellings), plus any given. Everything else (other sites, other
 * ports, requests without an Origin header) is refused, so a web page elsewhere cannot read or steer the run.
 *
 * @example
 * ```ts
 * allowedOrigins('127.0.0.1', 4873).has('http://localhost:4873'); // → true
 * ```
 * @category Server
 */
export function allowedOrigins(host: string, port: number, extra: readonly string[] = []): Set<string> {
  const hosts = LOOPBACK.has(host)
    ? ['127.0.0.1', 'localhost', '[::1]']
    : [host.includes(':') ? `[${host}]` : host];
  return new Set([...hosts.map((h) => `http://${h}:${port}`), ...extra]);
}

/** Answers a refused WebSocket upgrade with 403 and closes the connection. */
export function refuseUpgrade(socket: Duplex): void {
  socket.end(
    'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nForbidden\n',
  );
  socket.destroy();
}
