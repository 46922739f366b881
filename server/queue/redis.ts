// The one place that creates Redis connections.
//
// BullMQ needs `maxRetriesPerRequest: null` on the connections its workers block on, so that a
// Redis restart pauses them instead of failing their commands; everything else fails fast.
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export interface RedisConnectionOptions {
  url: string;
  /** For BullMQ workers and queues: wait through Redis outages instead of failing commands. */
  forQueues?: boolean;
  connectionName?: string;
}

export function createRedis({ url, forQueues = false, connectionName }: RedisConnectionOptions): Redis {
  const options: RedisOptions = {
    connectionName,
    maxRetriesPerRequest: forQueues ? null : 2,
    // Reconnect forever, backing off to 2 s: Redis coming back must bring the process back.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  };
  return new Redis(url, options);
}

/** Answers whether Redis at `url` replies to PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
