// Starts the HTTP server with its resources, and stops it gracefully.
//
// Graceful: on close, /readyz turns 503, the server stops accepting connections, requests in
// flight finish (up to SHUTDOWN_TIMEOUT_MS), then the database and Redis are closed.
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { AppConfig } from './config/config.js';
import { createDatabase } from './db/client.js';
import { createHubSpot } from './hubspot/hubspot.js';
import type { Logger } from './observability/logger.js';
import { createQueues } from './queue/queues.js';
import { createRedis } from './queue/redis.js';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer({ config, databaseUrl, logger }: { config: AppConfig; databaseUrl: string; logger: Logger }): Promise<RunningServer> {
  const db = createDatabase({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
  const redis = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER, connectionName: 'partner-capacity:server' });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  // The server only adds jobs: its queue connection fails fast, so a Redis outage never holds a
  // request (PostgreSQL keeps the work; the sweeper queues it again).
  const queueConnection = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER, connectionName: 'partner-capacity:server-queues' });
  queueConnection.on('error', (error) => logger.warn({ err: error }, 'redis (queues) connection error'));
  const queues = createQueues({ connection: queueConnection, prefix: config.REDIS_KEY_PREFIX });
  const hubspot = createHubSpot({ config, db, redis, logger });
  let shuttingDown = false;
  const app = createApp({ config, db, redis, queues, hubspot, logger, isShuttingDown: () => shuttingDown });

  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${config.PORT} is taken. Stop whatever uses it, or set PORT to a free port.`) : error),
    );
  });
  const { port } = server.address() as AddressInfo;

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
        await queues.close();
        await Promise.allSettled([db.$disconnect(), redis.quit(), queueConnection.quit()]);
      })();
      return closing;
    },
  };
}
