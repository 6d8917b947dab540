import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeltaflowError } from '@deltaflow/tensor';

/**
 * Starts `http` listening on `host:port` (0 for any free port) and returns the port it got.
 * @throws DeltaflowError `E_LISTEN` naming the address and the system's reason (e.g. EADDRINUSE)
 */
export async function listen(http: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new DeltaflowError(
          'E_LISTEN',
          `The dashboard cannot listen on ${host}:${port} (${error.code}); choose another port, or 0 for any free one.`,
        ),
      ),
    );
    http.listen(port, host, () => resolve());
  });
  return (http.address() as AddressInfo).port;
}

/** Stops `http` listening and ends its open connections; resolves once the port is released. */
export async function stopListening(http: Server): Promise<void> {
  const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeAllConnections();
  await stopped;
}

/** The address to show for `host:port`: 127.0.0.1 for an any-address bind, brackets around IPv6. */
export function pageUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/`;
}
