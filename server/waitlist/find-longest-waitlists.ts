// The program's longest waitlists, for the console: each domain with partners waiting, how many,
// and who holds it now and since when (the earliest active registration; more than one holder
// is a conflict, listed on its own). A domain nobody holds while partners wait is one the
// waitlist worker has yet to serve (serve-waitlists.ts), shown with no holder.
import type { Database } from '../db/client.js';
import { displayDomain } from '../domain/registrable-domain.js';

export interface Waitlist {
  domain: string;
  displayDomain: string;
  waiting: number;
  /** When the first partner in line joined. */
  waitingSince: string;
  holder: { portalId: number; portalName: string | null; heldSince: string } | null;
}

export async function findLongestWaitlists(db: Pick<Database, 'pool'>, { limit }: { limit: number }): Promise<Waitlist[]> {
  const { rows } = await db.pool.query<{
    domain: string;
    waiting: number;
    waiting_since: Date;
    portal_id: bigint | null;
    portal_name: string | null;
    held_since: Date | null;
  }>(
    `SELECT q.domain, q.waiting, q.waiting_since, h.portal_id, p.name AS portal_name, h.registered_at AS held_since
     FROM (SELECT domain, count(*)::int AS waiting, min(joined_at) AS waiting_since
           FROM waitlist_entries WHERE status = 'waiting'
           GROUP BY domain ORDER BY waiting DESC, domain LIMIT $1) q
     LEFT JOIN LATERAL (SELECT portal_id, registered_at FROM registrations r
                        WHERE r.domain = q.domain AND r.status = 'active'
                        ORDER BY r.registered_at, r.id LIMIT 1) h ON true
     LEFT JOIN portals p ON p.id = h.portal_id
     ORDER BY q.waiting DESC, q.domain`,
    [limit],
  );
  return rows.map((row) => ({
    domain: row.domain,
    displayDomain: displayDomain(row.domain),
    waiting: row.waiting,
    waitingSince: row.waiting_since.toISOString(),
    holder: row.portal_id === null ? null : { portalId: Number(row.portal_id), portalName: row.portal_name, heldSince: (row.held_since as Date).toISOString() },
  }));
}
