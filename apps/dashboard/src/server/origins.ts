import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ANY = new Set(['0.0.0.0', '::', '[::]', '']);

const bracket = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/**
 * The names a page may use for a server bound to `host`, as they appear in a URL (IPv6 in brackets): for a
 * loopback address its three spellings; for an any-address bind (`0.0.0.0`, `::`) those, every address of this
 * machine's network interfaces (IPv6 link-local ones, which need a zone, left out) and its host name; else `host`
 * itself.
 *
 * @example
 * ```ts
 * localNames('127.0.0.1'); // → ['127.0.0.1', 'localhost', '[::1]']
 * localNames('0.0.0.0').includes('127.0.0.1'); // → true
 * ```
 * @category Server
 */
export function localNames(host: string): string[] {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  if (LOOPBACK.has(host)) return loopback;
  if (!ANY.has(host)) return [bracket(host)];
  const names = new Set(loopback);
  for (const list of Object.values(networkInterfaces())) {
    for (const { address } of list ?? []) {
      if (!address.toLowerCase().startsWith('fe80:')) names.add(bracket(address));
    }
  }
  names.add(hostname().toLowerCase());
  return [...names];
}

/**
 * The origins whose pages may open the dashboard's WebSocket: the server's own, `http://name:port` for every
 * name of {@link localNames} (all local addresses when bound to `0.0.0.0` or `::`), plus any given. Everything
 * else (other sites, other ports, requests without an Origin header) is refused, so a web page elsewhere cannot
 * read or steer the run.
 *
 * @example
 * ```ts
 * allowedOrigins('127.0.0.1', 4873).has('http://localhost:4873'); // → true
 * allowedOrigins('0.0.0.0', 4873).has('http://127.0.0.1:4873'); // → true
 * ```
 * @category Server
 */
export function allowedOrigins(host: string, port: number, extra: readonly string[] = []): Set<string> {
  return new Set([...localNames(host).map((h) => `http://${h}:${port}`), ...extra]);
}

/**
 * The Host headers the server answers (against DNS rebinding: a page of another site whose name was made to
 * point at this machine sends that name): `name:port` for every name of {@link localNames}, the bare name too on
 * port 80, and `extra` (host names configured for a proxy in front, as `name` or `name:port`), all lower case.
 *
 * @example
 * ```ts
 * allowedHosts('127.0.0.1', 4873).has('localhost:4873'); // → true
 * allowedHosts('127.0.0.1', 4873).has('evil.example:4873'); // → false
 * ```
 * @category Server
 */
export function allowedHosts(host: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = localNames(host);
  return new Set(
    [...names.map((h) => `${h}:${port}`), ...(port === 80 ? names : []), ...extra].map((h) =>
      h.toLowerCase(),
    ),
  );
}

/** Whether `request` names an allowed host in its Host header. */
export function hostAllowed(request: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const host = request.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/** Whether `given` (e.g. a socket URL's `token` parameter) is `token`, compared in constant time. */
export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Answers a refused WebSocket upgrade with 403 and closes the connection. */
export function refuseUpgrade(socket: Duplex): void {
  socket.end(
    'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nForbidden\n',
  );
  socket.destroy();
}
