// The one place that creates Redis connections: to one Redis server, or to a Redis Cluster
// (REDIS_CLUSTER=true, REDIS_URL naming any one of its nodes).
//
// BullMQ needs `maxRetriesPerRequest: null` on the connections its workers block on, so that a
// Redis restart pauses them instead of failing their commands; everything else fails fast.
//
// On a cluster, every key the app writes starts with REDIS_KEY_PREFIX, which the configuration
// then requires to be a hash tag (`{pc}`): a BullMQ queue's keys, and the keys one of our Lua
// scripts touches together, must live in one slot (BullMQ's guide, "Redis Cluster").
import { Cluster, Redis as RedisServer, type RedisOptions } from 'ioredis';

/** A connection to Redis, whichever kind: both answer the same commands. */
export type Redis = RedisServer | Cluster;

export interface RedisConnectionOptions {
  url: string;
  /** REDIS_CLUSTER: `url` is one node of a Redis Cluster, which tells the client the others. */
  cluster?: boolean;
  /** For BullMQ workers and queues: wait through Redis outages instead of failing commands. */
  forQueues?: boolean;
  /** Connect on the first command instead of at once (a CLI that may never need Redis). */
  lazy?: boolean;
  connectionName?: string;
}

export function createRedis({ url, cluster = false, forQueues = false, lazy = false, connectionName }: RedisConnectionOptions): Redis {
  const options = { connectionName, maxRetriesPerRequest: forQueues ? null : 2, lazyConnect: lazy } satisfies RedisOptions;
  // Reconnect forever, backing off to 2 s: Redis coming back must bring the process back.
  const backOff = (attempt: number) => Math.min(attempt * 100, 2000);
  if (cluster) return new Cluster([url], { redisOptions: options, lazyConnect: lazy, clusterRetryStrategy: backOff });
  return new RedisServer(url, { ...options, retryStrategy: backOff });
}

/** Answers whether Redis at `url` replies to PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const redis = new RedisServer(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
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
