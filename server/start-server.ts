// Starts the HTTP server with its resources, and stops it gracefully.
//
// Graceful: on close, /readyz turns 503, the server stops accepting connections, requests in
// flight finish (up to SHUTDOWN_TIMEOUT_MS), then the database and Redis are closed.
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { AppConfig } from './config/config.js';
import type { Logger } from './observability/logger.js';
import { startMetricsListener } from './observability/metrics-endpoint.js';
import { openDependencies } from './runtime/dependencies.js';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer({ config, databaseUrl, logger }: { config: AppConfig; databaseUrl: string; logger: Logger }): Promise<RunningServer> {
  const dependencies = openDependencies({ config, databaseUrl, logger, role: 'server' });
  let shuttingDown = false;
  const app = createApp({ ...dependencies, isShuttingDown: () => shuttingDown });

  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${config.PORT} is taken. Stop whatever uses it, or set PORT to a free port.`) : error),
    );
  });
  const { port } = server.address() as AddressInfo;
  // Only with METRICS_BIND: otherwise /metrics is a route of the app, behind the operator token.
  const metrics = await startMetricsListener('server', dependencies);
  if (metrics) logger.info({ url: metrics.url }, 'metrics listening');

  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = setTimeout(() => {
          logger.warn('shutdown timeout reached: closing the connections still open');
          server.closeAllConnections();
        }, config.SHUTDOWN_TIMEOUT_MS);
        await drained;
        clearTimeout(deadline);
        await metrics?.close();
        await dependencies.close();
      })();
      return closing;
    },
  };
}
