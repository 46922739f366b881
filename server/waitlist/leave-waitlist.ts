// Leaving the waitlist for a domain: the entry ends (status left) with its audit row, in one
// statement. Row locks order it against a hand-over: if the serve registered the domain to this
// partner first, there is nothing left to leave (and the registration stands); if the leave
// commits first, the hand-over's transaction finds the entry no longer waiting and rolls back
// (register-contacts.ts).
import type { Database } from '../db/client.js';

export interface LeaveWaitlistInput {
  portalId: number;
  domain: string;
  leftBy: string;
}

/** True when an entry was waiting and now is not; false when there was none. */
export async function leaveWaitlist(db: Pick<Database, 'pool'>, input: LeaveWaitlistInput): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `WITH ended AS (
       UPDATE waitlist_entries SET status = 'left', ended_at = now()
       WHERE domain = $1 AND portal_id = $2 AND status = 'waiting'
       RETURNING *
     )
     INSERT INTO audit_events (portal_id, action, actor, domain, contact_id, details)
     SELECT portal_id, 'waitlist_left', $3, domain, contact_id, jsonb_build_object('waitlistEntryId', id::text, 'joinedAt', joined_at)
     FROM ended`,
    [input.domain, input.portalId, input.leftBy],
  );
  return rowCount === 1;
}
