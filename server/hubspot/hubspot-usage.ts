// What each portal's HubSpot calls did, per minute, in Redis, so that every process's calls add
// up in one place (the console's HubSpot usage page; Prometheus has the same numbers without a
// portal label — see observability/metrics.ts).
//
// One hash per minute (`…:hubspot-usage:<minute>`), fields `<portalId>:<counter>`, kept two
// hours: one HINCRBY per counter a call moves, in one MULTI on one key. The minute is the
// recording process's clock: a few seconds of drift between processes only moves a call into the
// neighbouring minute. Calls in the last 10 s are not kept here: the rate limiter's own window
// (rate-limiter.ts, `inWindow`) holds exactly those.
import type { Redis } from '../queue/redis.js';

export const USAGE_COUNTERS = ['calls', 'rateLimited', 'serverErrors', 'noAnswer', 'limiterWaits', 'limiterWaitMs'] as const;
export type UsageCounter = (typeof USAGE_COUNTERS)[number];
export type UsageCounts = Record<UsageCounter, number>;

/** How one call to HubSpot ended, as hubspot-api.ts saw it. */
export interface HubSpotCallOutcome {
  /** HubSpot's HTTP status; null when no answer came (timeout, dropped connection). */
  status: number | null;
  /** How long the rate limiter held the call back, and whether it had to (no slot at once, or a 429 pause). */
  waitedMs: number;
  waited: boolean;
}

export interface HubSpotUsage {
  /** Counts one call of `portalId`. */
  record(portalId: number, outcome: HubSpotCallOutcome): Promise<void>;
  /** Each portal's counts over the last `minutes` whole minutes and the current one, most calls first. */
  recent(minutes: number, now?: Date): Promise<Array<{ portalId: number } & UsageCounts>>;
}

const MINUTE_MS = 60_000;
const KEEP_SECONDS = 2 * 60 * 60;

export function createHubSpotUsage({ redis, keyPrefix }: { redis: Redis; keyPrefix: string }): HubSpotUsage {
  const minuteKey = (minute: number) => `${keyPrefix}:hubspot-usage:${minute}`;
  return {
    async record(portalId, { status, waitedMs, waited }) {
      const key = minuteKey(Math.floor(Date.now() / MINUTE_MS));
      const counts: Partial<UsageCounts> = { calls: 1 };
      if (status === 429) counts.rateLimited = 1;
      else if (status !== null && status >= 500) counts.serverErrors = 1;
      else if (status === null) counts.noAnswer = 1;
      if (waited) {
        counts.limiterWaits = 1;
        counts.limiterWaitMs = Math.round(waitedMs);
      }
      const transaction = redis.multi();
      for (const [counter, by] of Object.entries(counts)) transaction.hincrby(key, `${portalId}:${counter}`, by);
      transaction.expire(key, KEEP_SECONDS);
      await transaction.exec();
    },
    async recent(minutes, now = new Date()) {
      const current = Math.floor(now.getTime() / MINUTE_MS);
      const pipeline = redis.pipeline();
      for (let minute = current - minutes; minute <= current; minute++) pipeline.hgetall(minuteKey(minute));
      const answers = (await pipeline.exec()) ?? [];
      const byPortal = new Map<number, UsageCounts>();
      for (const [error, hash] of answers) {
        if (error) throw error;
        for (const [field, value] of Object.entries(hash as Record<string, string>)) {
          const [portal, counter] = field.split(':') as [string, UsageCounter];
          if (!USAGE_COUNTERS.includes(counter)) continue;
          const portalId = Number(portal);
          const counts = byPortal.get(portalId) ?? (Object.fromEntries(USAGE_COUNTERS.map((name) => [name, 0])) as UsageCounts);
          counts[counter] += Number(value);
          byPortal.set(portalId, counts);
        }
      }
      return [...byPortal].map(([portalId, counts]) => ({ portalId, ...counts })).sort((a, b) => b.calls - a.calls || a.portalId - b.portalId);
    },
  };
}
