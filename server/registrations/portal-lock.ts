// The portal lock: registrations of one portal happen one at a time, in the database.
//
// A transaction takes its portal's row lock (FOR NO KEY UPDATE: it does not block foreign-key
// checks of rows that reference the portal) before it counts, so no two registrations of one
// portal can both see room for one more, whichever process they run in. Portals never wait for
// each other. BEGIN, the lock and a first read travel in one round trip: this is the hottest
// write path, and each round trip is a large share of its cost.
import type pg from 'pg';
import { withTransaction, type Database } from '../db/client.js';
import type { PartnerTier } from '../domain/capacity.js';

export interface LockedPortal {
  tier: PartnerTier;
  limit_override: number | null;
}

/**
 * Runs `work` under the portal's lock. `thenRead` are statements (literal SQL) run right after
 * the lock is taken, in the same round trip, in order, each with a snapshot taken when it starts:
 * what they read includes everything committed by the lock's previous holders (and by holders of
 * locks an earlier statement took). `work` gets the rows of each.
 */
export async function withPortalLock<T>(
  db: Pick<Database, 'pool'>,
  portalId: number,
  work: (sql: pg.PoolClient, portal: LockedPortal | undefined, reads: pg.QueryResultRow[][]) => Promise<T>,
  { thenRead = [] }: { thenRead?: string[] } = {},
): Promise<T> {
  // Inlined into a multi-statement query (no parameters in that protocol): only a safe integer.
  if (!Number.isSafeInteger(portalId) || portalId <= 0) throw new RangeError(`Not a portal id: ${portalId}`);
  const lock = `SELECT tier::text AS tier, limit_override FROM portals WHERE id = ${portalId} FOR NO KEY UPDATE`;
  return withTransaction(
    db,
    (sql, [locked, ...reads]) =>
      work(
        sql,
        locked?.rows[0] as LockedPortal | undefined,
        reads.map((read) => read.rows),
      ),
    {
      beginWith: [lock, ...thenRead].join('; '),
    },
  );
}
