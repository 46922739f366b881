// HubSpot's rate limit, shared by every process of the app: a sliding window per portal in Redis.
//
// HubSpot allows a marketplace app 110 requests per rolling 10 s per installed account. Each
// process has its own @hubspot/api-client, so the count must live in Redis: one sorted set per
// portal holds the calls in the window, checked and added to atomically by a Lua script that
// reads Redis's own clock (process clocks may disagree). HubSpot counts a call when it arrives,
// which is somewhere between our slot and the answer. So a call's entry stays in the window for
// as long as the call is in flight (it is scored IN_FLIGHT_MS ahead), and when the answer comes
// it moves to that moment. Then any HubSpot window holding N of our calls also held, when the
// last of them took its slot, N-1 entries in ours: N never exceeds the limit, whatever the
// network's and the event loop's delays. A process that dies mid-call leaves an entry that
// ages out after IN_FLIGHT_MS plus the window. Callers run in lanes:
// bulk work (deregistration jobs) may use only part of the budget, so the card and the contact
// sync always find room. A 429 from HubSpot pauses the whole portal for as long as HubSpot asks.
import { observeLimiterWait } from '../observability/metrics.js';
import type { Redis } from '../queue/redis.js';

export type RateLimitLane = 'interactive' | 'sync' | 'bulk';

export interface RateLimiterOptions {
  redis: Redis;
  keyPrefix: string;
  /** Requests per window for all lanes together (HUBSPOT_REQUESTS_PER_10S). */
  limit: number;
  windowMs?: number;
  /** Share of the limit each lane may fill; the rest is left for the lanes above it. */
  laneShares?: Partial<Record<RateLimitLane, number>>;
}

export interface RateLimitSlot {
  /** How long the slot took to get, and whether the limiter held the call back (full window or a 429 pause). */
  waitedMs: number;
  waited: boolean;
  /** The call has been answered (or failed): its entry moves to now. */
  done(): Promise<void>;
}

export interface HubSpotRateLimiter {
  /** Waits until this portal may send one more request in this lane, and counts it. */
  acquire(portalId: number, lane: RateLimitLane, signal?: AbortSignal): Promise<RateLimitSlot>;
  /** Stops every lane of the portal for `ms` (HubSpot answered 429). */
  pause(portalId: number, ms: number): Promise<void>;
  /** Requests counted in the current window (for tests and metrics). */
  inWindow(portalId: number): Promise<number>;
}

const DEFAULT_SHARES: Record<RateLimitLane, number> = { interactive: 1, sync: 0.9, bulk: 0.7 };

/** Longer than any call can take (the HTTP timeout is 10 s). */
const IN_FLIGHT_MS = 15_000;
/** How often to ask again while every entry in the window is still in flight. */
const IN_FLIGHT_POLL_MS = 100;

// KEYS[1] window set, KEYS[2] pause key. ARGV: window ms, lane limit, unique member, in-flight
// ms, poll ms. Returns 0 when the request may go, else how many ms to wait before asking again.
const ACQUIRE_SCRIPT = `
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[4]))
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if oldest > now then return tonumber(ARGV[5]) end
return math.max(1, oldest + window - now + 1)
`;

// KEYS[1] window set. ARGV: member. Moves an entry still in the window to Redis's now.
const DONE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
`;

let sequence = 0;

export function createRateLimiter({ redis, keyPrefix, limit, windowMs = 10_000, laneShares = {} }: RateLimiterOptions): HubSpotRateLimiter {
  const shares = { ...DEFAULT_SHARES, ...laneShares };
  const windowKey = (portalId: number) => `${keyPrefix}:hubspot-rate:${portalId}`;
  const pauseKey = (portalId: number) => `${keyPrefix}:hubspot-rate-pause:${portalId}`;
  const laneLimit = (lane: RateLimitLane) => Math.max(1, Math.floor(limit * shares[lane]));
  const member = () => {
    sequence += 1;
    return `${process.pid}:${Date.now()}:${sequence}:${Math.random().toString(36).slice(2, 8)}`;
  };

  return {
    async acquire(portalId, lane, signal) {
      const asked = performance.now();
      for (let round = 0; ; round += 1) {
        signal?.throwIfAborted();
        const id = member();
        const wait = Number(await redis.eval(ACQUIRE_SCRIPT, 2, windowKey(portalId), pauseKey(portalId), windowMs, laneLimit(lane), id, IN_FLIGHT_MS, IN_FLIGHT_POLL_MS));
        if (wait === 0) {
          const waitedMs = performance.now() - asked;
          observeLimiterWait(lane, waitedMs, round > 0);
          return {
            waitedMs,
            waited: round > 0,
            done: async () => {
              await redis.eval(DONE_SCRIPT, 1, windowKey(portalId), id);
            },
          };
        }
        // A little jitter, so that processes woken by the same slot do not all ask at once.
        await new Promise((resolve) => setTimeout(resolve, wait + Math.floor(Math.random() * 20)));
      }
    },
    async pause(portalId, ms) {
      await redis.set(pauseKey(portalId), '1', 'PX', Math.max(1, Math.ceil(ms)));
    },
    async inWindow(portalId) {
      const [seconds, micros] = await redis.time();
      await redis.zremrangebyscore(windowKey(portalId), '-inf', Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - windowMs);
      return redis.zcard(windowKey(portalId));
    },
  };
}
