// What every worker gets: the same resources a server process has, created once per process.
import type { WorkerOptions } from 'bullmq';
import type { AppConfig } from '../server/config/config.js';
import { createDatabase, type Database } from '../server/db/client.js';
import { createHubSpot, type HubSpot } from '../server/hubspot/hubspot.js';
import type { Logger } from '../server/observability/logger.js';
import { createQueues, type AppQueues } from '../server/queue/queues.js';
import { createRedis, type Redis } from '../server/queue/redis.js';

export interface WorkerContext {
  config: AppConfig;
  db: Database;
  /** Plain commands (locks, limiter); fails fast when Redis is down. */
  redis: Redis;
  /** For BullMQ workers and queues: waits through Redis outages. */
  queueConnection: Redis;
  queues: AppQueues;
  hubspot: HubSpot;
  logger: Logger;
}

/** A started worker (or a periodic task): closing it lets the job in hand finish. */
export interface RunningWorker {
  name: string;
  close(): Promise<void>;
}

export type WorkerFactory = (context: WorkerContext) => RunningWorker | Promise<RunningWorker>;

/**
 * BullMQ options every worker shares. A job whose worker stops renewing its lock (the process
 * died) is taken over by another after JOB_LOCK_MS; jobs are safe to run twice.
 */
export function workerOptions(context: Pick<WorkerContext, 'config' | 'queueConnection'>): WorkerOptions {
  return {
    connection: context.queueConnection,
    prefix: context.config.REDIS_KEY_PREFIX,
    concurrency: context.config.WORKER_CONCURRENCY,
    lockDuration: context.config.JOB_LOCK_MS,
    stalledInterval: context.config.JOB_LOCK_MS,
    maxStalledCount: 5,
  };
}

export function createWorkerContext({ config, databaseUrl, logger }: { config: AppConfig; databaseUrl: string; logger: Logger }): WorkerContext & { close(): Promise<void> } {
  const db = createDatabase({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
  const redis = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER, connectionName: 'partner-capacity:worker' });
  const queueConnection = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER, forQueues: true, connectionName: 'partner-capacity:worker-queues' });
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
      await Promise.allSettled([db.$disconnect(), redis.quit(), queueConnection.quit()]);
    },
  };
}
