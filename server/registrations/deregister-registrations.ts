// Ends a set of a portal's registrations: the capacity they held is free as soon as this commits.
//
// A registration is never deleted: it is marked deregistered with who, when and (for bulk
// deregistrations) which job, and an audit row is written for each, in the same transaction.
// Idempotent: registrations that are already deregistered are reported and left as they are,
// so a job that retries a chunk changes nothing the second time. Ids of another portal are
// treated as unknown; their rows are never read or written.
import type pg from 'pg';
import { withTransaction, type Database } from '../db/client.js';
import { registrationRowColumns, registrationView, type RegistrationRow, type RegistrationView } from './registration-view.js';

export interface DeregisterRegistrationsInput {
  portalId: number;
  registrationIds: readonly string[];
  /** Who deregisters: a HubSpot user's email, or the operator. */
  deregisteredBy: string;
  /** The bulk deregistration job doing this, if any. */
  jobId?: string | null;
}

export interface DeregisterRegistrationsResult {
  deregistered: RegistrationView[];
  alreadyDeregistered: string[];
  /** Ids that are not registrations of this portal. */
  notFound: string[];
}

export const MAX_DEREGISTRATIONS_PER_CALL = 1000;

export async function deregisterRegistrations(db: Pick<Database, 'pool'>, input: DeregisterRegistrationsInput): Promise<DeregisterRegistrationsResult> {
  const requested = [...new Set(input.registrationIds)];
  if (requested.length > MAX_DEREGISTRATIONS_PER_CALL) {
    throw new RangeError(`At most ${MAX_DEREGISTRATIONS_PER_CALL} registrations can be deregistered in one call; use a deregistration job for more.`);
  }
  // Anything that is not a canonical positive integer cannot be a registration id.
  const ids = requested.filter((id) => /^[1-9]\d{0,17}$/.test(id));

  return withTransaction(db, async (sql) => {
    const ended = await endRegistrations(sql, { portalId: input.portalId, registrationIds: ids, deregisteredBy: input.deregisteredBy, jobId: input.jobId ?? null });
    const endedIds = new Set(ended.map((registration) => registration.id.toString()));
    const rest = ids.filter((id) => !endedIds.has(id));
    const { rows: stillKnown } = rest.length
      ? await sql.query<{ id: string }>('SELECT id::text AS id FROM registrations WHERE portal_id = $1 AND id = ANY($2::bigint[])', [input.portalId, rest])
      : { rows: [] };
    const alreadyDeregistered = new Set(stillKnown.map((row) => row.id));
    return {
      deregistered: ended.map(registrationView),
      alreadyDeregistered: requested.filter((id) => alreadyDeregistered.has(id)),
      notFound: requested.filter((id) => !endedIds.has(id) && !alreadyDeregistered.has(id)),
    };
  });
}

/**
 * The deregistration itself, inside the caller's transaction: ends the portal's registrations
 * among `registrationIds` that are still active and writes their audit rows, in one statement.
 * A bulk job runs it in the transaction that also marks its chunk done. The claim expiry's jobs
 * (channel `expiry`) audit `reason: 'expired'`.
 */
export async function endRegistrations(
  sql: Pick<pg.PoolClient, 'query'>,
  input: { portalId: number; registrationIds: readonly string[]; deregisteredBy: string; jobId: string | null },
): Promise<RegistrationRow[]> {
  if (input.registrationIds.length === 0) return [];
  const { rows } = await sql.query<RegistrationRow>(
    `WITH expiry AS (
       SELECT coalesce((SELECT channel = 'expiry' FROM deregistration_jobs WHERE id = $4::uuid), false) AS job
     ), ended AS (
       UPDATE registrations
       SET status = 'deregistered', deregistered_at = now(), deregistered_by = $3, deregistration_job_id = $4::uuid
       WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND status = 'active'
         -- An expiry job ends only claims still expired: one renewed (or whose period was lifted)
         -- since the job picked it is skipped.
         AND NOT ((SELECT job FROM expiry) AND (expires_at IS NULL OR expires_at > now()))
       RETURNING *
     ), audit AS (
       INSERT INTO audit_events (portal_id, action, actor, registration_id, domain, contact_id, job_id, details)
       SELECT portal_id, 'registration_deregistered', $3, id, domain, contact_id, $4::uuid,
              CASE WHEN (SELECT job FROM expiry) THEN jsonb_build_object('reason', 'expired', 'expiresAt', expires_at) ELSE '{}'::jsonb END
       FROM ended
     )
     SELECT ${registrationRowColumns('ended')} FROM ended`,
    [input.portalId, input.registrationIds, input.deregisteredBy, input.jobId],
  );
  return rows;
}
