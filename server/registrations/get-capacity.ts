// Capacity of one portal (used, limit, tier, remaining), read in one query.
import { capacityOf, type Capacity, type PartnerTier } from '../domain/capacity.js';
import type { Database, Transaction } from '../db/client.js';

interface CapacityRow {
  tier: PartnerTier;
  limit_override: number | null;
  used: number;
}

/** The portal's capacity, or null when the portal is not known. */
export async function getCapacity(db: Database | Transaction, { portalId }: { portalId: number }): Promise<Capacity | null> {
  // The count is an index-only scan of the partial unique index on active registrations.
  const rows = await db.$queryRaw<CapacityRow[]>`
    SELECT p.tier::text AS tier, p.limit_override,
           (SELECT count(*)::int FROM registrations r WHERE r.portal_id = p.id AND r.status = 'active') AS used
    FROM portals p
    WHERE p.id = ${BigInt(portalId)}`;
  const row = rows[0];
  return row ? capacityOf({ tier: row.tier, limitOverride: row.limit_override }, row.used) : null;
}
