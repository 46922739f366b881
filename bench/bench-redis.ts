// The benchmarks' Redis keys go when their run ends, as their databases do (bench-database.ts):
// each run works under a key prefix of its own, and the ingest benchmark alone left its queued
// jobs behind (its receiver runs without workers): 134,853 keys had piled up by 2026-11-25.
import { Redis } from 'ioredis';
import { loadConfig } from '../server/config/config.js';

/** Deletes every key under `prefix` (a run's own, with its timestamp); returns how many. */
export async function dropRedisPrefix(prefix: string): Promise<number> {
  const redis = new Redis(loadConfig().REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  let dropped = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) dropped += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return dropped;
}
