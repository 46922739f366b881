// The one place that opens (and closes) what a process of the app works with: the database
// pool, the Redis connections, the queues and the HubSpot client, over one validated
// configuration and one logger. The server, the workers, the operator CLI and the demo all open
// their dependencies here, so a resource is created one way everywhere.
//
// The roles differ only where they must:
// - a **server** only adds jobs: its queue connection fails fast, so a Redis outage never holds
//   a request (PostgreSQL keeps the work; the sweeper queues it again);
// - a **worker** blocks on its queues: its queue connection waits through Redis outages;
// - the **cli** connects to Redis only when a command first needs it.
//
// Route modules and use cases take the narrow part they need (`Pick<Dependencies, 'db' | …>`);
// the type lives here, so nothing has to import the Express app to name it.
import type { AppConfig } from '../config/config.js';
import { createDatabase, type Database } from '../db/client.js';
import { createHubSpot, type HubSpot } from '../hubspot/hubspot.js';
import type { Logger } from '../observability/logger.js';
import { createQueues, type AppQueues } from '../queue/queues.js';
import { createRedis, type Redis } from '../queue/redis.js';

export type ProcessRole = 'server' | 'worker' | 'cli';

export interface Dependencies {
  config: AppConfig;
  db: Database;
  /** Plain Redis commands (locks, the rate limiter, one-time state); fails fast when Redis is down. */
  redis: Redis;
  /** The connection the queues use (see the roles above). */
  queueConnection: Redis;
  queues: AppQueues;
  hubspot: HubSpot;
  logger: Logger;
}

/** What a request handler gets: the server's dependencies (requests only add jobs), and whether the server is stopping. */
export interface AppDependencies extends Omit<Dependencies, 'queueConnection'> {
  isShuttingDown: () => boolean;
}

export interface OpenedDependencies extends Dependencies {
  /** Closes the queues, then the database pool and the Redis connections. */
  close(): Promise<void>;
}

export function openDependencies({ config, databaseUrl, logger, role }: { config: AppConfig; databaseUrl: string; logger: Logger; role: ProcessRole }): OpenedDependencies {
  const db = createDatabase({ url: databaseUrl, poolSize: role === 'cli' ? 2 : config.DATABASE_POOL_SIZE });
  const lazy = role === 'cli';
  const redis = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER, lazy, connectionName: `partner-capacity:${role}` });
  const queueConnection = createRedis({
    url: config.REDIS_URL,
    cluster: config.REDIS_CLUSTER,
    lazy,
    forQueues: role !== 'server',
    connectionName: `partner-capacity:${role}-queues`,
  });
  for (const connection of [redis, queueConnection]) connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const queues = createQueues({ connection: queueConnection, prefix: config.REDIS_KEY_PREFIX });
  const hubspot = createHubSpot({ config, db, redis, logger });
  return {
    config,
    db,
    redis,
    queueConnection,
    queues,
    hubspot,
    logger,
    async close() {
      await queues.close();
      await Promise.allSettled([db.$disconnect(), closeRedis(redis), closeRedis(queueConnection)]);
    },
  };
}

/** QUIT when connected; a connection that never connected (a lazy one) is simply dropped. */
async function closeRedis(connection: Redis): Promise<void> {
  if (connection.status === 'wait' || connection.status === 'end') connection.disconnect();
  else await connection.quit();
}
