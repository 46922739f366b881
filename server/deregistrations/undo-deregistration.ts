// Undoes a finished deregistration job, within 15 minutes of its end, for the portal that ran
// it: the registrations it ended become active again, unchanged (same id, same snapshot, same
// registration date), as far as the capacity limit allows.
//
// The limit holds because undo takes the same portal lock as every registration
// (registrations/portal-lock.ts) and counts after taking it. Registrations are restored in the
// job's order until the portal is full; a domain registered again meanwhile (through another
// contact) stays as it is. Each item records whether it came back and, if not, why. Restoring
// is audited as a registration (actor: who undid), and the contacts are told in HubSpot
// through the write-back outbox, like every other registration.
import type { Database } from '../db/client.js';
import { capacityLimit } from '../domain/capacity.js';
import { displayDomain } from '../domain/registrable-domain.js';
import { queueContactWriteBacks, registeredProperties, type ContactWriteBack } from '../hubspot/write-back.js';
import type { AppQueues } from '../queue/queues.js';
import { withPortalLock } from '../registrations/portal-lock.js';
import { DeregistrationError } from './deregistration-errors.js';
import { deregistrationJobColumns, deregistrationJobView, UNDO_WINDOW_MS, type DeregistrationJobRow, type DeregistrationJobView } from './deregistration-job-view.js';
import { isJobId } from './get-deregistration-job.js';

export interface UndoDeregistrationInput {
  portalId: number;
  jobId: string;
  requestedBy: string;
}

export interface UndoDeregistrationResult {
  job: DeregistrationJobView;
  /** Domains registered again. */
  reregistered: string[];
  notReregistered: Array<{ domain: string; reason: string }>;
}

interface Candidate {
  position: number;
  registration_id: string;
  domain: string;
  contact_id: string;
  registered_at: Date;
  /** The registration is still the one this job ended (not restored or changed since). */
  still_ended: boolean;
  /** Another active registration of the domain, made since. */
  taken_by_contact: string | null;
}

export async function undoDeregistration(
  deps: { db: Database; queues: Pick<AppQueues, 'contactWriteBack' | 'prefix'> },
  input: UndoDeregistrationInput,
): Promise<UndoDeregistrationResult> {
  const notFound = () => new DeregistrationError('JOB_NOT_FOUND', `No deregistration job ${input.jobId} was found for this portal.`);
  if (!isJobId(input.jobId)) throw notFound();

  const outcome = await withPortalLock(deps.db, input.portalId, async (sql, portal) => {
    if (!portal) throw notFound();
    const { rows: jobs } = await sql.query<DeregistrationJobRow & { window_passed: boolean }>(
      `SELECT ${deregistrationJobColumns()}, finished_at + $3::int * interval '1 millisecond' < now() AS window_passed
       FROM deregistration_jobs WHERE id = $1::uuid AND portal_id = $2 FOR UPDATE`,
      [input.jobId, input.portalId, UNDO_WINDOW_MS],
    );
    const job = jobs[0];
    if (!job) throw notFound();
    if (job.undoneAt) throw new DeregistrationError('NOT_UNDOABLE', `This deregistration was already undone at ${job.undoneAt.toISOString()}.`);
    if (job.status === 'queued' || job.status === 'running') {
      throw new DeregistrationError('NOT_UNDOABLE', 'This deregistration is still running; it can be undone once it has finished.');
    }
    if (job.window_passed) {
      throw new DeregistrationError('UNDO_WINDOW_PASSED', `A deregistration can be undone for ${UNDO_WINDOW_MS / 60_000} minutes after it finished; this one finished at ${job.finishedAt!.toISOString()}. Register the domains again from their contacts instead.`);
    }

    // Counted after the lock, in its own statement (see register-contact.ts for why).
    const { rows: counts } = await sql.query<{ used: number }>(`SELECT count(*)::int AS used FROM registrations WHERE portal_id = $1 AND status = 'active'`, [input.portalId]);
    let room = capacityLimit({ tier: portal.tier, limitOverride: portal.limit_override }) - counts[0]!.used;

    const { rows: candidates } = await sql.query<Candidate>(
      `SELECT item.position, r.id::text AS registration_id, r.domain, r.contact_id, r.registered_at,
              (r.status = 'deregistered' AND r.deregistration_job_id = item.job_id) AS still_ended,
              (SELECT other.contact_id FROM registrations other
                WHERE other.portal_id = r.portal_id AND other.domain = r.domain AND other.status = 'active' LIMIT 1) AS taken_by_contact
       FROM deregistration_job_items item
       JOIN registrations r ON r.id = item.registration_id AND r.portal_id = $2
       WHERE item.job_id = $1::uuid AND item.outcome = 'deregistered'
       ORDER BY item.position`,
      [input.jobId, input.portalId],
    );

    const restore: Candidate[] = [];
    const refused: Array<{ candidate: Candidate; reason: string }> = [];
    for (const candidate of candidates) {
      const domain = displayDomain(candidate.domain);
      if (!candidate.still_ended) {
        refused.push({ candidate, reason: `${domain} is no longer deregistered by this job.` });
      } else if (candidate.taken_by_contact !== null) {
        refused.push({ candidate, reason: `${domain} has been registered again since, through contact ${candidate.taken_by_contact}.` });
      } else if (room <= 0) {
        refused.push({ candidate, reason: `${domain} could not be registered again: the portal is at its capacity limit. Deregister other domains to make room, then register it from its contact.` });
      } else {
        restore.push(candidate);
        room -= 1;
      }
    }

    if (restore.length > 0) {
      await sql.query(
        `WITH restored AS (
           UPDATE registrations SET status = 'active', deregistered_at = NULL, deregistered_by = NULL, deregistration_job_id = NULL
           WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND status = 'deregistered'
           RETURNING *
         )
         INSERT INTO audit_events (portal_id, action, actor, channel, registration_id, domain, contact_id, job_id, details)
         SELECT portal_id, 'registration_created', $3, channel, id, domain, contact_id, $4::uuid,
                jsonb_build_object('website', website, 'undoOfJob', $4::text)
         FROM restored`,
        [input.portalId, restore.map((candidate) => candidate.registration_id), input.requestedBy, input.jobId],
      );
    }
    await sql.query(
      `UPDATE deregistration_job_items AS item SET reregistered = decided.reregistered, undo_note = decided.note
       FROM jsonb_to_recordset($2::jsonb) AS decided(position int, reregistered boolean, note text)
       WHERE item.job_id = $1::uuid AND item.position = decided.position`,
      [
        input.jobId,
        JSON.stringify([
          ...restore.map((candidate) => ({ position: candidate.position, reregistered: true, note: null })),
          ...refused.map(({ candidate, reason }) => ({ position: candidate.position, reregistered: false, note: reason })),
        ]),
      ],
    );
    const { rows: updated } = await sql.query<DeregistrationJobRow>(
      `UPDATE deregistration_jobs SET undone_at = now(), undone_by = $2, updated_at = now() WHERE id = $1::uuid RETURNING ${deregistrationJobColumns()}`,
      [input.jobId, input.requestedBy],
    );
    return { job: updated[0]!, restore, refused };
  });

  // After the commit, like every registration: the outbox makes sure HubSpot hears of it.
  // One write per contact (the outbox upsert takes each contact once).
  const writeBacks = new Map<string, ContactWriteBack>();
  for (const candidate of outcome.restore) {
    writeBacks.set(candidate.contact_id, { contactId: candidate.contact_id, properties: registeredProperties(candidate.domain, candidate.registered_at.toISOString()) });
  }
  await queueContactWriteBacks(deps, input.portalId, [...writeBacks.values()]);

  return {
    job: deregistrationJobView(outcome.job),
    reregistered: outcome.restore.map((candidate) => candidate.domain),
    notReregistered: outcome.refused.map(({ candidate, reason }) => ({ domain: candidate.domain, reason })),
  };
}
