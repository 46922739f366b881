import { describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/server.js';
import { ensureRedis, RedisUnavailableError } from './local-redis.js';
import { redisAnswers } from './redis.js';

describe('ensureRedis (npm start without configuration)', () => {
  it('starts a redis-server of its own when none answers at a local URL, and stops it', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    expect(await redisAnswers(url)).toBe(false);
    const redis = await ensureRedis(url);
    try {
      expect(redis.started).not.toBeNull();
      expect(await redisAnswers(url)).toBe(true);
    } finally {
      await redis.stop();
    }
    await expect.poll(() => redisAnswers(url, 200)).toBe(false);
  });

  it('uses the Redis that answers, starting nothing', async () => {
    const redis = await ensureRedis('redis://127.0.0.1:6379');
    expect(redis.started).toBeNull();
  });

  it('says how to get a Redis when a remote one does not answer', async () => {
    await expect(ensureRedis(`redis://user:secret@127.0.0.2:${await freePort()}`)).rejects.toThrow(RedisUnavailableError);
    await expect(ensureRedis(`redis://10.255.255.1:6390`)).rejects.toThrow(/does not answer\. Start it, or point REDIS_URL at a Redis that runs/);
  });
});
