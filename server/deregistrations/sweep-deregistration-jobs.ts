// The sweeper: PostgreSQL holds the truth about deregistration jobs, the queue only carries
// them, so whatever the queue lost is put back from here.
//
// A job that PostgreSQL holds as unfinished and that has not moved for `staleAfterMs` is
// checked against BullMQ: if the step that should carry it is unknown (Redis restarted empty,
// or the process died between naming the next step and adding it) or finished without
// passing the job on, the job is handed to a new step; if BullMQ failed that step for good
// (say it stalled too often), the job is recorded as failed with BullMQ's reason. A step that
// waits, is delayed or runs is left alone. Several worker processes may sweep at once: the
// hand-over is a conditional update, so only one of them moves a job. Only jobs queued under
// this process's REDIS_KEY_PREFIX are looked at: another deployment sharing the database (test
// runs do) keeps its own.
import type { Database } from '../db/client.js';
import type { Logger } from '../observability/logger.js';
import type { AppQueues } from '../queue/queues.js';
import { handOver, markDeregistrationJobFailed } from './run-deregistration-step.js';

export interface SweepReport {
  requeued: string[];
  failed: string[];
}

const BATCH = 200;

export async function sweepDeregistrationJobs(
  deps: { db: Pick<Database, 'pool'>; queues: Pick<AppQueues, 'deregistrations'>; logger: Logger },
  { staleAfterMs }: { staleAfterMs: number },
): Promise<SweepReport> {
  const { rows } = await deps.db.pool.query<{ id: string; portal_id: string; queue_job_id: string }>(
    `SELECT id::text, portal_id::text, queue_job_id FROM deregistration_jobs
     WHERE finished_at IS NULL AND updated_at < now() - $1::int * interval '1 millisecond'
       AND (queue_prefix = $2 OR queue_prefix IS NULL)
     ORDER BY updated_at LIMIT ${BATCH}`,
    [staleAfterMs, deps.queues.deregistrations.opts.prefix ?? null],
  );
  const report: SweepReport = { requeued: [], failed: [] };
  for (const row of rows) {
    const step = await deps.queues.deregistrations.getJob(row.queue_job_id);
    const state = step ? await step.getState() : 'unknown';
    if (state === 'failed') {
      const reason = `The queue gave up on this job: ${step?.failedReason || 'no reason given'}.`;
      if (await markDeregistrationJobFailed(deps.db, { deregistrationJobId: row.id, queueJobId: row.queue_job_id, error: reason })) report.failed.push(row.id);
    } else if (state === 'completed' || state === 'unknown') {
      if (await handOver(deps, { deregistrationJobId: row.id, portalId: Number(row.portal_id), queueJobId: row.queue_job_id })) report.requeued.push(row.id);
    }
  }
  if (report.requeued.length || report.failed.length) deps.logger.warn(report, 'deregistration sweeper put jobs back on the queue or recorded their failure');
  return report;
}
