// Where a partner stands for a domain: whether another partner holds it (since when, until when)
// and, if this partner waits for it, its place in the line. Never who holds it or who else waits:
// partners of one program compete for the same prospects, so the only fact about the others is
// how many wait ahead.
import type { Database } from '../db/client.js';

export interface DomainHeld {
  /** The earliest active claim of another partner. */
  heldSince: Date;
  /** When the claims end unless renewed; null when one never expires. */
  heldUntil: Date | null;
}

export interface WaitlistPlace {
  entryId: string;
  contactId: string;
  joinedAt: Date;
  /** 1 for the first in line: one more than the partners waiting since before. */
  position: number;
  /** Times the domain was released while this partner had no room (it kept its place). */
  skipCount: number;
  skippedAt: Date | null;
}

export interface WaitlistStanding {
  /** Null when no other partner holds the domain (or claims are shared). */
  held: DomainHeld | null;
  waiting: WaitlistPlace | null;
}

interface StandingRow {
  held_since: Date | null;
  held_until: Date | null;
  any_never_expires: boolean | null;
  entry_id: string | null;
  contact_id: string | null;
  joined_at: Date | null;
  ahead: number | null;
  skip_count: number | null;
  skipped_at: Date | null;
}

/** One statement: the other partners' claims on the domain (aggregated) and this partner's place. */
export async function getWaitlistStanding(db: Pick<Database, 'pool'>, { portalId, domain }: { portalId: number; domain: string }): Promise<WaitlistStanding> {
  const { rows } = await db.pool.query<StandingRow>(
    `SELECT held.held_since, held.held_until, held.any_never_expires,
            mine.id::text AS entry_id, mine.contact_id, mine.joined_at, mine.skip_count, mine.skipped_at,
            (SELECT count(*)::int FROM waitlist_entries ahead
             WHERE ahead.domain = $2 AND ahead.status = 'waiting' AND (ahead.joined_at, ahead.id) < (mine.joined_at, mine.id)) AS ahead
     FROM (SELECT 1) AS one
     LEFT JOIN (SELECT min(registered_at) AS held_since, max(expires_at) AS held_until, bool_or(expires_at IS NULL) AS any_never_expires
                FROM registrations
                WHERE domain = $2 AND status = 'active' AND portal_id <> $1
                  AND coalesce((SELECT claim_mode::text FROM program_settings WHERE id = 1), 'exclusive') = 'exclusive'
                HAVING count(*) > 0) AS held ON true
     LEFT JOIN waitlist_entries mine ON mine.domain = $2 AND mine.portal_id = $1 AND mine.status = 'waiting'`,
    [portalId, domain],
  );
  const row = rows[0]!;
  return {
    held: row.held_since ? { heldSince: row.held_since, heldUntil: row.any_never_expires ? null : row.held_until } : null,
    waiting: row.entry_id
      ? {
          entryId: row.entry_id,
          contactId: row.contact_id!,
          joinedAt: row.joined_at!,
          position: row.ahead! + 1,
          skipCount: row.skip_count!,
          skippedAt: row.skipped_at,
        }
      : null,
  };
}
