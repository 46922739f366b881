// The console's HubSpot usage: per portal, the calls of the last hour with their 429s, 5xx and
// unanswered calls and the rate limiter's waits (hubspot/hubspot-usage.ts, per minute in Redis),
// and the calls in the last 10 s as the shared limiter counts them (its Redis window, calls still
// in flight included). Every process's calls are in both, so the page shows the whole app.
import type { Database } from '../db/client.js';
import type { HubSpot } from '../hubspot/hubspot.js';

/** "The last hour": the 60 whole minutes before this one, and this one so far. */
export const USAGE_MINUTES = 60;

export interface PortalHubSpotUsage {
  portalId: number;
  name: string | null;
  callsLast10s: number;
  callsLastHour: number;
  rateLimited: number;
  serverErrors: number;
  noAnswer: number;
  limiterWaits: number;
  limiterWaitMs: number;
}

export async function getHubSpotUsage(
  deps: { db: Pick<Database, 'portal'>; hubspot: Pick<HubSpot, 'usage' | 'limiter'> },
  { limit }: { limit: number },
): Promise<{ portals: PortalHubSpotUsage[]; more: number }> {
  const recent = await deps.hubspot.usage.recent(USAGE_MINUTES);
  const shown = recent.slice(0, limit);
  const [inWindow, portals] = await Promise.all([
    Promise.all(shown.map((usage) => deps.hubspot.limiter.inWindow(usage.portalId))),
    deps.db.portal.findMany({ where: { id: { in: shown.map((usage) => BigInt(usage.portalId)) } }, select: { id: true, name: true } }),
  ]);
  const names = new Map(portals.map((portal) => [Number(portal.id), portal.name]));
  return {
    portals: shown.map(({ calls, ...usage }, index) => ({
      ...usage,
      name: names.get(usage.portalId) ?? null,
      callsLast10s: inWindow[index]!,
      callsLastHour: calls,
    })),
    more: recent.length - shown.length,
  };
}
