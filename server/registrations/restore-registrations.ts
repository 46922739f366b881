// Makes ended registrations active again, unchanged (same id, same snapshot, same registration
// date): how an undone deregistration comes back. It is registration by another door, so it
// obeys the same rules as registerContacts — under the portal's lock, counted after the lock,
// one active registration per domain, in exclusive mode no other partner holding it
// (program-claims.ts), room under the limit (domain/capacity.ts), the same
// refusals (domain/refusals.ts) and the same audit actions — and a rule added to registration
// belongs in both files.
//
// It runs inside the caller's transaction: the caller holds the portal lock (withPortalLock
// hands it the locked portal, which this takes as proof) because it records its own outcome in
// the same transaction (an undo marks its job and items).
import type pg from 'pg';
import { capacityOf, hasRoomForOneMore } from '../domain/capacity.js';
import { alreadyRegistered, capacityFull, domainHeld, type RegistrationRefusal } from '../domain/refusals.js';
import type { LockedPortal } from './portal-lock.js';
import { CLAIM_STATE, LOCK_DOMAINS, readClaimState, type ClaimState } from './program-claims.js';

export interface RestoreRegistrationsInput {
  portalId: number;
  /** Registrations to restore, in the order to restore them while capacity lasts. */
  registrationIds: string[];
  /** Only registrations still ended by this deregistration job come back. */
  endedByJobId: string;
  restoredBy: string;
}

export interface RestoredRegistration {
  registrationId: string;
  domain: string;
  contactId: string;
  registeredAt: Date;
}

export type RestoreResult =
  | { ok: true; registration: RestoredRegistration }
  | { ok: false; registrationId: string; domain: string; refusal: RegistrationRefusal | { code: 'NO_LONGER_ENDED'; message: string } };

interface Candidate {
  registration_id: string;
  domain: string;
  contact_id: string;
  registered_at: Date;
  channel: string;
  still_ended: boolean;
  /** Another active registration of the same domain, made since. */
  other_id: string | null;
  other_contact_id: string | null;
  other_contact_name: string | null;
  other_registered_at: Date | null;
}

/** One result per registration id, in the order given; what came back is active when the caller commits. */
export async function restoreRegistrations(sql: pg.PoolClient, portal: LockedPortal, input: RestoreRegistrationsInput): Promise<RestoreResult[]> {
  if (input.registrationIds.length === 0) return [];
  // Counted after the lock, in its own statement (see register-contacts.ts for why).
  const { rows: counts } = await sql.query<{ used: number }>(`SELECT count(*)::int AS used FROM registrations WHERE portal_id = $1 AND status = 'active'`, [input.portalId]);
  const { rows: candidates } = await sql.query<Candidate>(
    `SELECT r.id::text AS registration_id, r.domain, r.contact_id, r.registered_at, r.channel::text AS channel,
            (r.status = 'deregistered' AND r.deregistration_job_id = $3::uuid) AS still_ended,
            other.id::text AS other_id, other.contact_id AS other_contact_id, other.contact_name AS other_contact_name, other.registered_at AS other_registered_at
     FROM unnest($2::bigint[]) WITH ORDINALITY AS wanted(id, position)
     JOIN registrations r ON r.id = wanted.id AND r.portal_id = $1
     LEFT JOIN LATERAL (SELECT id, contact_id, contact_name, registered_at FROM registrations
                        WHERE portal_id = r.portal_id AND domain = r.domain AND status = 'active' LIMIT 1) other ON true
     ORDER BY wanted.position`,
    [input.portalId, input.registrationIds, input.endedByJobId],
  );

  // Exclusive claims: the domains' program-wide locks, then (a statement of its own, so that it
  // sees what their previous holders committed) who else holds them.
  const domains = [...new Set(candidates.map((candidate) => candidate.domain))];
  await sql.query(LOCK_DOMAINS.text, [domains]);
  const { rows: claimRows } = await sql.query<ClaimState>(CLAIM_STATE.text, [input.portalId, domains]);
  const { heldElsewhere } = readClaimState(claimRows[0]!);

  let used = counts[0]!.used;
  const settings = { tier: portal.tier, limitOverride: portal.limit_override };
  const results: RestoreResult[] = candidates.map((candidate) => {
    const refused = (refusal: Extract<RestoreResult, { ok: false }>['refusal']): RestoreResult => ({
      ok: false,
      registrationId: candidate.registration_id,
      domain: candidate.domain,
      refusal,
    });
    if (!candidate.still_ended) return refused({ code: 'NO_LONGER_ENDED', message: 'It is no longer deregistered by this job.' });
    if (candidate.other_id !== null) {
      return refused(
        alreadyRegistered(candidate.contact_id, {
          domain: candidate.domain,
          registrationId: candidate.other_id,
          registeredAt: candidate.other_registered_at!,
          contactId: candidate.other_contact_id!,
          contactName: candidate.other_contact_name,
        }),
      );
    }
    const held = heldElsewhere.get(candidate.domain);
    if (held) return refused(domainHeld(candidate.contact_id, { domain: candidate.domain, ...held }));
    const capacity = capacityOf(settings, used);
    if (!hasRoomForOneMore(capacity)) return refused(capacityFull(capacity));
    used += 1;
    return {
      ok: true,
      registration: { registrationId: candidate.registration_id, domain: candidate.domain, contactId: candidate.contact_id, registeredAt: candidate.registered_at },
    };
  });

  const restored = results.flatMap((result) => (result.ok ? [result.registration.registrationId] : []));
  const refusals = results.flatMap((result) => (!result.ok && result.refusal.code !== 'NO_LONGER_ENDED' ? [result] : []));
  await sql.query(
    `WITH restored AS (
       UPDATE registrations SET status = 'active', deregistered_at = NULL, deregistered_by = NULL, deregistration_job_id = NULL
       WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND status = 'deregistered'
       RETURNING *
     ), created AS (
       INSERT INTO audit_events (portal_id, action, actor, channel, registration_id, domain, contact_id, job_id, details)
       SELECT portal_id, 'registration_created', $3, channel, id, domain, contact_id, $4::uuid, jsonb_build_object('website', website, 'undoOfJob', $4::text)
       FROM restored
     )
     INSERT INTO audit_events (portal_id, action, actor, channel, registration_id, domain, contact_id, job_id, details)
     SELECT $1, 'registration_refused', $3, r.channel, r.id, r.domain, r.contact_id, $4::uuid, refused.details
     FROM jsonb_to_recordset($5::jsonb) AS refused(registration_id bigint, details jsonb)
     JOIN registrations r ON r.id = refused.registration_id AND r.portal_id = $1`,
    [
      input.portalId,
      restored,
      input.restoredBy,
      input.endedByJobId,
      JSON.stringify(
        refusals.map(({ registrationId, refusal }) => ({
          registration_id: registrationId,
          details: { code: refusal.code, message: refusal.message, undoOfJob: input.endedByJobId, ...('details' in refusal ? refusal.details : {}) },
        })),
      ),
    ],
  );
  return results;
}
