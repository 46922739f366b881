// Ends the claims whose period is over (program settings' claim period): for every portal with
// active registrations whose `expires_at` has passed, one deregistration job (channel `expiry`)
// through the same path as a partner's own deregistration — written back to HubSpot, capacity
// freed, audited with `reason: 'expired'`, the waitlist served (deregistrations/).
//
// Exactly once, however many workers run it and wherever one dies:
// - each portal's job is recorded in one transaction that first takes a transaction-level
//   advisory lock on the portal's expiry (a second run skips a portal another is doing), then
//   picks the portal's expired registrations that no unfinished deregistration job covers yet
//   (`FOR UPDATE SKIP LOCKED`, so a registration a concurrent transaction holds is left to it);
//   taken after the lock, the statement sees every job a previous holder committed;
// - the job then runs like any other (chunked, resumed at its first unfinished chunk), and its
//   chunks end only claims still expired (deregister-registrations.ts: a claim renewed in the
//   meantime is skipped), each exactly once;
// - a run killed between commits leaves either a whole job or nothing for a portal; the next
//   run (or BullMQ's retry of the stalled one) does the rest. A job whose first step never
//   reached Redis is queued again by the deregistration sweeper, like any other.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { enqueueStep, stepJobId } from '../deregistrations/deregistration-queue.js';
import { MAX_SELECTED, recordDeregistrationJob } from '../deregistrations/request-deregistration.js';
import type { AppQueues } from '../queue/queues.js';

/** Who the audit and the job name as the deregistering actor. */
export const EXPIRY_ACTOR = 'claim expiry';

export interface ExpireClaimsInput {
  /** Claims expired at or before this instant end (default: now). */
  now?: Date;
  /** Portals whose jobs are recorded at once (each on its own connection). */
  parallel?: number;
}

export interface ExpireClaimsReport {
  /** Portals that got a job in this run. */
  portals: number;
  /** Claims those jobs cover. */
  claims: number;
  /** Portals left to another run that held their lock. */
  busyPortals: number;
}

export async function expireClaims(deps: { db: Database; queues: Pick<AppQueues, 'deregistrations'> }, input: ExpireClaimsInput = {}): Promise<ExpireClaimsReport> {
  const now = input.now ?? new Date();
  // From the partial index on (expires_at, portal_id): only active claims with an expiry are in it.
  const portals = await deps.db.$queryRaw<{ portal_id: bigint }[]>`
    SELECT DISTINCT portal_id FROM registrations WHERE status = 'active' AND expires_at IS NOT NULL AND expires_at <= ${now}`;
  const report: ExpireClaimsReport = { portals: 0, claims: 0, busyPortals: 0 };
  let next = 0;
  const runners = Array.from({ length: Math.max(1, input.parallel ?? 4) }, async () => {
    while (next < portals.length) {
      const portalId = portals[next++]!.portal_id;
      // A portal with more than one request's worth of expired claims gets several jobs.
      for (;;) {
        const outcome = await expirePortalClaims(deps, portalId, now);
        if (outcome === 'busy') report.busyPortals += 1;
        if (typeof outcome !== 'number') break;
        report.portals += 1;
        report.claims += outcome;
        if (outcome < MAX_SELECTED) break;
      }
    }
  });
  await Promise.all(runners);
  return report;
}

/** One portal's job: the number of claims it covers, 'busy' (another run has the portal) or 'none'. */
async function expirePortalClaims(deps: { db: Database; queues: Pick<AppQueues, 'deregistrations'> }, portalId: bigint, now: Date): Promise<number | 'busy' | 'none'> {
  const jobId = randomUUID();
  const queueJobId = stepJobId(jobId, 0);
  const recorded = await deps.db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtextextended('claim-expiry:' || ${portalId}::text, 0)) AS locked`;
    if (!lock?.locked) return 'busy' as const;
    const expired = await tx.$queryRaw<{ id: string }[]>`
      SELECT r.id::text FROM registrations r
      WHERE r.portal_id = ${portalId} AND r.status = 'active' AND r.expires_at IS NOT NULL AND r.expires_at <= ${now}
        AND r.id NOT IN (
          SELECT item.registration_id FROM deregistration_jobs job
          JOIN deregistration_job_items item ON item.job_id = job.id
          WHERE job.portal_id = ${portalId} AND job.finished_at IS NULL)
      ORDER BY r.id LIMIT ${MAX_SELECTED}
      FOR UPDATE OF r SKIP LOCKED`;
    if (expired.length === 0) return 'none' as const;
    const result = await recordDeregistrationJob(tx, {
      portalId: Number(portalId),
      selection: { kind: 'registrations', registrationIds: expired.map((row) => row.id) },
      requestedBy: EXPIRY_ACTOR,
      channel: 'expiry',
      jobId,
      queueJobId,
      queuePrefix: deps.queues.deregistrations.opts.prefix ?? null,
    });
    return result.job.total;
  });
  if (typeof recorded === 'number') await enqueueStep(deps.queues, { deregistrationJobId: jobId, portalId: Number(portalId), queueJobId });
  return recorded;
}
