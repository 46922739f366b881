// At most one deregistration step per portal runs at a time, across every worker process.
//
// A portal's HubSpot writes are capped by its rate limit anyway, so a second step of the same
// portal would only wait on the limiter while holding a worker slot that another portal's job
// could use. The turn is a Redis key with an owner token and a time to live, renewed while the
// step runs; a worker that dies holding it frees it when the key expires (the same time after
// which BullMQ hands its step to another worker). Losing Redis loses the turn, which costs
// fairness for a moment, never correctness: chunks are safe to work on twice.
import { randomUUID } from 'node:crypto';
import type { Redis } from '../queue/redis.js';

export interface PortalTurn {
  release(): Promise<void>;
}

export interface PortalTurns {
  /** The portal's turn, or null when another step of the portal runs now. */
  take(portalId: number): Promise<PortalTurn | null>;
}

// KEYS[1] turn key. ARGV: owner token, ttl ms. Extends the key only while this owner holds it.
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
// KEYS[1] turn key. ARGV: owner token. Deletes the key only while this owner holds it.
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export function portalTurns({ redis, keyPrefix, ttlMs }: { redis: Redis; keyPrefix: string; ttlMs: number }): PortalTurns {
  return {
    async take(portalId) {
      const key = `${keyPrefix}:deregistration-turn:${portalId}`;
      const owner = randomUUID();
      if ((await redis.set(key, owner, 'PX', ttlMs, 'NX')) !== 'OK') return null;
      const renewal = setInterval(
        () => {
          redis.eval(RENEW_SCRIPT, 1, key, owner, ttlMs).catch(() => {});
        },
        Math.max(100, Math.floor(ttlMs / 3)),
      );
      return {
        async release() {
          clearInterval(renewal);
          await redis.eval(RELEASE_SCRIPT, 1, key, owner).catch(() => {});
        },
      };
    },
  };
}
