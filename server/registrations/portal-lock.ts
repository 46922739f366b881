// The portal lock: registrations of one portal happen one at a time, in the database.
//
// A transaction takes its portal's row lock (FOR NO KEY UPDATE: it does not block foreign-key
// checks of rows that reference the portal) before it counts, so no two registrations of one
// portal can both see room for one more, whichever process they run in. Portals never wait for
// each other. BEGIN, the lock and a first read travel in one round trip: this is the hottest
// write path, and each round trip is a large share of its cost.
import type pg from 'pg';
import { withTransaction, type Database, type TransactionEnd } from '../db/client.js';
import { executeSql, type SessionStatement } from '../db/session-statements.js';
import type { PartnerTier } from '../domain/capacity.js';

export interface LockedPortal {
  tier: PartnerTier;
  limit_override: number | null;
}

const LOCK_PORTAL: SessionStatement = {
  name: 'pc_lock_portal',
  types: ['bigint'],
  text: 'SELECT tier::text AS tier, limit_override FROM portals WHERE id = $1 FOR NO KEY UPDATE',
};

/**
 * Runs `work` under the portal's lock. `thenRead` are statements (literal SQL, or EXECUTE of the
 * `prepare`d statements) run right after the lock is taken, in the same round trip, in order,
 * each with a snapshot taken when it starts: what they read includes everything committed by the
 * lock's previous holders (and by holders of locks an earlier statement took). `work` gets the
 * rows of each, and may end the transaction with its last writes (`end.commitWith`).
 */
export async function withPortalLock<T>(
  db: Pick<Database, 'pool'>,
  portalId: number,
  work: (sql: pg.PoolClient, portal: LockedPortal | undefined, reads: pg.QueryResultRow[][], end: TransactionEnd) => Promise<T>,
  { thenRead = [], prepare = [] }: { thenRead?: string[]; prepare?: SessionStatement[] } = {},
): Promise<T> {
  if (!Number.isSafeInteger(portalId) || portalId <= 0) throw new RangeError(`Not a portal id: ${portalId}`);
  return withTransaction(
    db,
    (sql, [locked, ...reads], end) =>
      work(
        sql,
        locked?.rows[0] as LockedPortal | undefined,
        reads.map((read) => read.rows),
        end,
      ),
    {
      beginWith: [executeSql(LOCK_PORTAL, [portalId]), ...thenRead].join('; '),
      prepare: [LOCK_PORTAL, ...prepare],
    },
  );
}
