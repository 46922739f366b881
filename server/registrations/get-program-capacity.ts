// Capacity over the whole program, by tier: how many portals, how many domains they have
// registered and how many their limits allow (each portal's override, else its tier's). Read
// when the metrics are scraped, so one statement: the count is an index-only scan of the partial
// index on active registrations, grouped by portal, and the limits come from the few distinct
// (tier, override) pairs.
import { capacityLimit, type PartnerTier } from '../domain/capacity.js';
import type { Database } from '../db/client.js';

export interface TierCapacity {
  tier: PartnerTier;
  portals: number;
  used: number;
  limit: number;
}

export async function getProgramCapacity(db: Pick<Database, 'pool'>): Promise<TierCapacity[]> {
  const { rows } = await db.pool.query<{ tier: PartnerTier; limit_override: number | null; portals: number; used: string }>(
    `SELECT p.tier::text AS tier, p.limit_override, count(*)::int AS portals, coalesce(sum(r.used), 0)::text AS used
     FROM portals p
     LEFT JOIN (SELECT portal_id, count(*) AS used FROM registrations WHERE status = 'active' GROUP BY portal_id) r ON r.portal_id = p.id
     GROUP BY p.tier, p.limit_override`,
  );
  const byTier = new Map<PartnerTier, TierCapacity>();
  for (const row of rows) {
    const tier = byTier.get(row.tier) ?? { tier: row.tier, portals: 0, used: 0, limit: 0 };
    tier.portals += row.portals;
    tier.used += Number(row.used);
    tier.limit += row.portals * capacityLimit({ tier: row.tier, limitOverride: row.limit_override });
    byTier.set(row.tier, tier);
  }
  return [...byTier.values()];
}
