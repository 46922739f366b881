// Joining the waitlist for a domain another partner holds: the partner is registered the domain
// automatically when it is released (serve-waitlists.ts), if it has room then.
//
// Only for a domain held by another partner while claims are exclusive: a free domain is simply
// registered, one's own needs nothing. Waiting uses no capacity. One waiting entry per portal and
// domain (a partial unique index): joining again answers the place already held, and changes
// nothing. The entry and its audit row are one statement; the held check runs after the domain's
// program-wide claim lock (program-claims.ts), so it sees every registration committed before —
// no portal lock is taken, so the lock order (portal, then domains) holds.
import { withTransaction, type Database } from '../db/client.js';
import { displayDomain } from '../domain/registrable-domain.js';
import { LOCK_DOMAINS } from '../registrations/program-claims.js';
import { getWaitlistStanding, type WaitlistPlace } from './waitlist-position.js';

export interface JoinWaitlistInput {
  portalId: number;
  /** The registrable domain, as registrations store it. */
  domain: string;
  /** The contact the partner waits through: registered with it, and told on it. */
  contactId: string;
  /** A HubSpot user's email (the card). */
  joinedBy: string;
  /** REDIS_KEY_PREFIX of the deployment: only its workers serve the entry. */
  queuePrefix: string;
}

export type JoinWaitlistRefusal = { code: 'DOMAIN_NOT_HELD'; message: string } | { code: 'DOMAIN_OWN'; message: string } | { code: 'CLAIMS_SHARED'; message: string };

export type JoinWaitlistResult = { ok: true; place: WaitlistPlace; joined: boolean } | { ok: false; refusal: JoinWaitlistRefusal };

export async function joinWaitlist(db: Pick<Database, 'pool'>, input: JoinWaitlistInput): Promise<JoinWaitlistResult> {
  const shown = displayDomain(input.domain);
  const outcome = await withTransaction<JoinWaitlistRefusal | { joined: boolean }>(db, async (sql) => {
    // The held check below is a statement of its own, so that it sees what the lock's previous holders committed.
    await sql.query(LOCK_DOMAINS.text, [[input.domain]]);
    const { rows } = await sql.query<{ claim_mode: string; own: boolean; others: boolean }>(
      `SELECT coalesce((SELECT claim_mode::text FROM program_settings WHERE id = 1), 'exclusive') AS claim_mode,
                EXISTS (SELECT 1 FROM registrations WHERE domain = $1 AND status = 'active' AND portal_id = $2) AS own,
                EXISTS (SELECT 1 FROM registrations WHERE domain = $1 AND status = 'active' AND portal_id <> $2) AS others`,
      [input.domain, input.portalId],
    );
    const state = rows[0]!;
    if (state.claim_mode !== 'exclusive') {
      return { code: 'CLAIMS_SHARED', message: `Claims in this program are not exclusive, so there is no waitlist: register ${shown} directly.` };
    }
    if (state.own) return { code: 'DOMAIN_OWN', message: `${shown} is already registered to your portal; there is nothing to wait for.` };
    if (!state.others) return { code: 'DOMAIN_NOT_HELD', message: `${shown} is not held by another partner: register it instead of waiting.` };
    const { rowCount } = await sql.query(
      `WITH entry AS (
           INSERT INTO waitlist_entries (domain, portal_id, contact_id, joined_by, queue_prefix)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (domain, portal_id) WHERE status = 'waiting' DO NOTHING
           RETURNING *
         )
         INSERT INTO audit_events (portal_id, action, actor, domain, contact_id, details)
         SELECT portal_id, 'waitlist_joined', joined_by, domain, contact_id, jsonb_build_object('waitlistEntryId', id::text)
         FROM entry`,
      [input.domain, input.portalId, input.contactId, input.joinedBy, input.queuePrefix],
    );
    return { joined: rowCount === 1 };
  });
  if ('code' in outcome) return { ok: false, refusal: outcome };
  const { waiting } = await getWaitlistStanding(db, input);
  // Left or served between the commit and this read: say where it stands by joining again.
  if (!waiting) return joinWaitlist(db, input);
  return { ok: true, place: waiting, joined: outcome.joined };
}
