import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which local service could not get its port; `local/main.ts` maps it to the env var. */
export type LocalService = 'host' | 'cosmos' | 'blob' | 'queue' | 'table';

export class PortInUseError extends Error {
  readonly service: LocalService;
  readonly port: number;

  constructor(service: LocalService, port: number, options: { cause?: unknown } = {}) {
    super(`Port ${port} for the local ${service} service is already in use.`, options);
    this.name = 'PortInUseError';
    this.service = service;
    this.port = port;
  }
}

export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Listens and resolves with the bound port (useful with port 0), or rejects on the first error. */
export async function listen(
  server: Server,
  port: number,
  host: string,
  service: LocalService,
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(isAddressInUse(error) ? new PortInUseError(service, port, { cause: error }) : error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  return (server.address() as AddressInfo).port;
}

/** Closes a server, ending idle keep-alive sockets at once and the rest after `graceMs`. */
export async function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
