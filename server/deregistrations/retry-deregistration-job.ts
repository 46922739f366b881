// The operator puts a failed job back on the queue (say, after HubSpot was down for longer than
// the job's retries lasted). It resumes at its first unfinished chunk, like any resumed job.
import type { Database } from '../db/client.js';
import type { AppQueues } from '../queue/queues.js';
import { DeregistrationError, NotRetryableError } from './deregistration-errors.js';
import { deregistrationJobColumns, deregistrationJobView, type DeregistrationJobRow, type DeregistrationJobView } from './deregistration-job-view.js';
import { enqueueStep, nextStepJobId } from './deregistration-queue.js';
import { isJobId } from './get-deregistration-job.js';

export async function retryDeregistrationJob(
  deps: { db: Pick<Database, 'pool'>; queues: Pick<AppQueues, 'deregistrations'> },
  { jobId }: { jobId: string },
): Promise<DeregistrationJobView> {
  if (!isJobId(jobId)) throw new DeregistrationError('JOB_NOT_FOUND', `No deregistration job ${jobId}.`);
  const { rows: current } = await deps.db.pool.query<{ status: string; queue_job_id: string; undone: boolean }>(
    'SELECT status::text, queue_job_id, undone_at IS NOT NULL AS undone FROM deregistration_jobs WHERE id = $1::uuid',
    [jobId],
  );
  const job = current[0];
  if (!job) throw new DeregistrationError('JOB_NOT_FOUND', `No deregistration job ${jobId}.`);
  if (job.status !== 'failed' || job.undone) {
    throw new NotRetryableError(`Only a failed job can be retried; this one is ${job.undone ? 'undone' : job.status}.`);
  }
  const next = nextStepJobId(job.queue_job_id);
  const { rows } = await deps.db.pool.query<DeregistrationJobRow>(
    `UPDATE deregistration_jobs SET status = 'queued', error = NULL, finished_at = NULL, queue_job_id = $3, queue_prefix = $4, updated_at = now()
     WHERE id = $1::uuid AND queue_job_id = $2 AND status = 'failed'
     RETURNING ${deregistrationJobColumns()}`,
    [jobId, job.queue_job_id, next, deps.queues.deregistrations.opts.prefix ?? null],
  );
  if (!rows[0]) throw new NotRetryableError('The job changed while it was being retried; look at it again.');
  await enqueueStep(deps.queues, { deregistrationJobId: jobId, portalId: Number(rows[0].portalId), queueJobId: next });
  return deregistrationJobView(rows[0]);
}
