// Undoes a finished deregistration job, within 15 minutes of its end, for the portal that ran
// it: the registrations it ended become active again, unchanged (same id, same snapshot, same
// registration date), as far as the capacity limit allows.
//
// Restoring is registration, so it goes through registrations/restore-registrations.ts under
// the same portal lock, with the same rules and audit as every registration; this file only
// checks that the job may be undone and records, in the same transaction, which items came back
// and why the others did not. The contacts are told in HubSpot through the write-back outbox,
// like every other registration.
import type { Database } from '../db/client.js';
import { displayDomain } from '../domain/registrable-domain.js';
import { queueContactWriteBacks, registeredProperties, type ContactWriteBack } from '../hubspot/write-back.js';
import { countRegistrationOutcomes } from '../observability/metrics.js';
import type { AppQueues } from '../queue/queues.js';
import { withPortalLock } from '../registrations/portal-lock.js';
import { restoreRegistrations, type RestoreResult } from '../registrations/restore-registrations.js';
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
      throw new DeregistrationError(
        'UNDO_WINDOW_PASSED',
        `A deregistration can be undone for ${UNDO_WINDOW_MS / 60_000} minutes after it finished; this one finished at ${job.finishedAt!.toISOString()}. Register the domains again from their contacts instead.`,
      );
    }

    const { rows: items } = await sql.query<{ position: number; registration_id: string }>(
      `SELECT position, registration_id::text FROM deregistration_job_items WHERE job_id = $1::uuid AND outcome = 'deregistered' ORDER BY position`,
      [input.jobId],
    );
    const results = await restoreRegistrations(sql, portal, {
      portalId: input.portalId,
      registrationIds: items.map((item) => item.registration_id),
      endedByJobId: input.jobId,
      restoredBy: input.requestedBy,
    });
    const positionOf = new Map(items.map((item) => [item.registration_id, item.position]));
    const restore = results.flatMap((result) => (result.ok ? [result.registration] : []));
    const refused = results.flatMap((result) => (result.ok ? [] : [{ result, reason: notRestoredBecause(result) }]));

    await sql.query(
      `UPDATE deregistration_job_items AS item SET reregistered = decided.reregistered, undo_note = decided.note
       FROM jsonb_to_recordset($2::jsonb) AS decided(position int, reregistered boolean, note text)
       WHERE item.job_id = $1::uuid AND item.position = decided.position`,
      [
        input.jobId,
        JSON.stringify([
          ...restore.map((registration) => ({ position: positionOf.get(registration.registrationId), reregistered: true, note: null })),
          ...refused.map(({ result, reason }) => ({ position: positionOf.get(result.registrationId), reregistered: false, note: reason })),
        ]),
      ],
    );
    const { rows: updated } = await sql.query<DeregistrationJobRow>(
      `UPDATE deregistration_jobs SET undone_at = now(), undone_by = $2, updated_at = now() WHERE id = $1::uuid RETURNING ${deregistrationJobColumns()}`,
      [input.jobId, input.requestedBy],
    );
    return { job: updated[0]!, restore, refused, results };
  });
  countRegistrationOutcomes('undo', outcome.results);

  // After the commit, like every registration: the outbox makes sure HubSpot hears of it.
  // One write per contact (the outbox upsert takes each contact once).
  const writeBacks = new Map<string, ContactWriteBack>();
  for (const registration of outcome.restore) {
    writeBacks.set(registration.contactId, { contactId: registration.contactId, properties: registeredProperties(registration.domain, registration.registeredAt.toISOString()) });
  }
  await queueContactWriteBacks(deps, input.portalId, [...writeBacks.values()]);

  return {
    job: deregistrationJobView(outcome.job),
    reregistered: outcome.restore.map((registration) => registration.domain),
    notReregistered: outcome.refused.map(({ result, reason }) => ({ domain: result.domain, reason })),
  };
}

/** Why an item did not come back, in the words of an undo. */
function notRestoredBecause(result: Extract<RestoreResult, { ok: false }>): string {
  const domain = displayDomain(result.domain);
  switch (result.refusal.code) {
    case 'NO_LONGER_ENDED':
      return `${domain} is no longer deregistered by this job.`;
    case 'ALREADY_REGISTERED':
      return `${domain} has been registered again since, through contact ${result.refusal.details.contactId}.`;
    case 'CAPACITY_FULL':
      return `${domain} could not be registered again: the portal is at its capacity limit. Deregister other domains to make room, then register it from its contact.`;
    default:
      return `${domain} could not be registered again: ${result.refusal.message}`;
  }
}
