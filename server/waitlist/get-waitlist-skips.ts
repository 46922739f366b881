// What the Capacity Manager's status bar says about the waitlist: domains this partner waits for
// that were released while its capacity was full, and so went to the next partner in line (it
// kept its place). Only the partner's own entries, the most recent first.
import type { Database } from '../db/client.js';
import { displayDomain } from '../domain/registrable-domain.js';

export interface WaitlistSkips {
  /** Waiting entries skipped within the period. */
  count: number;
  /** The most recent few. */
  recent: Array<{ domain: string; displayDomain: string; skippedAt: string }>;
}

/** Skips older than this are old news: the partner has seen the notice (and its contacts say so). */
export const SKIP_NOTICE_DAYS = 30;
const RECENT = 5;

export async function getWaitlistSkips(db: Pick<Database, 'pool'>, { portalId }: { portalId: number }): Promise<WaitlistSkips> {
  const { rows } = await db.pool.query<{ domain: string; skipped_at: Date; total: number }>(
    `SELECT domain, skipped_at, count(*) OVER ()::int AS total FROM waitlist_entries
     WHERE portal_id = $1 AND status = 'waiting' AND skipped_at > now() - make_interval(days => $2)
     ORDER BY skipped_at DESC, id DESC LIMIT ${RECENT}`,
    [portalId, SKIP_NOTICE_DAYS],
  );
  return {
    count: rows[0]?.total ?? 0,
    recent: rows.map((row) => ({ domain: row.domain, displayDomain: displayDomain(row.domain), skippedAt: row.skipped_at.toISOString() })),
  };
}
