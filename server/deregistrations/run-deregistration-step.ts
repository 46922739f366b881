// One step of a deregistration job: what a worker does with one job from the queue.
//
// A step claims its job (only if the job row still names this step: a replaced step stops at
// once), then works through the chunks that are not written yet, in order, a few at a time
// (the HubSpot calls of a few chunks overlap; the rate limiter paces them), for one time
// slice. Then it either finishes the job or hands it to the next step at the back of the queue,
// so jobs take turns. Asked to stop (the worker shuts down), it lets the chunks in hand finish
// and hands over at once. A failure lets the chunks in hand finish too, then throws, and
// BullMQ retries the step with backoff; a chunk half done is resumed from its mark.
import type { Database } from '../db/client.js';
import type { HubSpotApi } from '../hubspot/hubspot-api.js';
import type { Logger } from '../observability/logger.js';
import type { AppQueues } from '../queue/queues.js';
import { enqueueStep, nextStepJobId } from './deregistration-queue.js';
import { enqueueWaitlistServe } from '../waitlist/waitlist-queue.js';
import { processChunk, type ChunkOfJob } from './process-deregistration-chunk.js';

export interface DeregistrationStepDeps {
  db: Pick<Database, 'pool'>;
  api: HubSpotApi;
  queues: Pick<AppQueues, 'deregistrations' | 'waitlist'>;
  logger: Logger;
}

export interface DeregistrationStepInput {
  deregistrationJobId: string;
  /** The BullMQ id of this step. */
  queueJobId: string;
  /** True once the worker is shutting down. */
  shouldStop?: () => boolean;
  /** How long a step works before the job goes to the back of the queue. */
  sliceMs?: number;
  /** Chunks worked on at once. */
  pipeline?: number;
}

export type DeregistrationStepOutcome = 'completed' | 'continued' | 'superseded' | 'already-finished' | 'not-found';

export const DEFAULT_SLICE_MS = 2000;
export const DEFAULT_PIPELINE = 8;

interface ClaimedJob {
  portal_id: string;
  chunk_size: number;
  requested_by: string;
}

export async function runDeregistrationStep(deps: DeregistrationStepDeps, input: DeregistrationStepInput): Promise<DeregistrationStepOutcome> {
  const { deregistrationJobId: jobId, queueJobId } = input;
  const shouldStop = input.shouldStop ?? (() => false);
  const deadline = Date.now() + (input.sliceMs ?? DEFAULT_SLICE_MS);

  const { rows: claimed } = await deps.db.pool.query<ClaimedJob>(
    `UPDATE deregistration_jobs SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now()
     WHERE id = $1::uuid AND queue_job_id = $2 AND finished_at IS NULL
     RETURNING portal_id::text, chunk_size, requested_by`,
    [jobId, queueJobId],
  );
  const job = claimed[0];
  if (!job) return whyNotClaimed(deps, jobId);

  const { rows: unfinished } = await deps.db.pool.query<{ chunk_index: number }>(
    `SELECT chunk_index FROM deregistration_job_chunks WHERE job_id = $1::uuid AND state <> 'written' ORDER BY chunk_index`,
    [jobId],
  );
  const chunkOf = (chunkIndex: number): ChunkOfJob => ({ jobId, portalId: Number(job.portal_id), chunkSize: job.chunk_size, requestedBy: job.requested_by, chunkIndex });

  // A few runners take the next chunk in order until the slice ends (a step always takes at
  // least one, so a slow start cannot stall the job), a stop is asked for, or one fails; a
  // chunk in hand is always finished.
  let next = 0;
  let failure: unknown = null;
  let released = false;
  const runners = Array.from({ length: Math.max(1, input.pipeline ?? DEFAULT_PIPELINE) }, async () => {
    while (next < unfinished.length && failure === null && !shouldStop() && (next === 0 || Date.now() < deadline)) {
      const chunkIndex = unfinished[next]!.chunk_index;
      next += 1;
      try {
        if (await processChunk({ db: deps.db, api: deps.api }, chunkOf(chunkIndex))) released = true;
      } catch (error) {
        failure ??= error;
      }
    }
  });
  await Promise.all(runners);
  // Released domains may have partners waiting: serve them now (the sweeper does if this is lost).
  if (released) await enqueueWaitlistServe(deps.queues);
  if (failure !== null) throw failure;

  if (next >= unfinished.length) {
    const { rowCount } = await deps.db.pool.query(
      `UPDATE deregistration_jobs SET status = 'completed', finished_at = now(), updated_at = now()
       WHERE id = $1::uuid AND queue_job_id = $2 AND finished_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM deregistration_job_chunks WHERE job_id = $1::uuid AND state <> 'written')`,
      [jobId, queueJobId],
    );
    if (rowCount === 1) {
      deps.logger.info({ deregistrationJobId: jobId, portalId: Number(job.portal_id) }, 'deregistration job completed');
      return 'completed';
    }
    // Another step (a replaced one still running) holds chunks this one skipped: go round again.
  }
  return (await handOver(deps, { deregistrationJobId: jobId, portalId: Number(job.portal_id), queueJobId })) ? 'continued' : 'superseded';
}

/**
 * Passes the job to its next step (after `delayMs`), unless this step was replaced meanwhile.
 * The job row names the next step first: if the process dies before the step reaches Redis,
 * the sweeper finds a job whose step Redis does not know, and queues it.
 */
export async function handOver(
  deps: Pick<DeregistrationStepDeps, 'db'> & { queues: Pick<AppQueues, 'deregistrations'> },
  step: { deregistrationJobId: string; portalId: number; queueJobId: string; delayMs?: number },
): Promise<boolean> {
  const next = nextStepJobId(step.queueJobId);
  const { rowCount } = await deps.db.pool.query(
    `UPDATE deregistration_jobs SET queue_job_id = $3, updated_at = now() WHERE id = $1::uuid AND queue_job_id = $2 AND finished_at IS NULL`,
    [step.deregistrationJobId, step.queueJobId, next],
  );
  if (rowCount !== 1) return false;
  await enqueueStep(deps.queues, { deregistrationJobId: step.deregistrationJobId, portalId: step.portalId, queueJobId: next, delayMs: step.delayMs });
  return true;
}

/** Records that the job failed for good (its step ran out of attempts), with the reason. */
export async function markDeregistrationJobFailed(db: Pick<Database, 'pool'>, step: { deregistrationJobId: string; queueJobId: string; error: string }): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `UPDATE deregistration_jobs SET status = 'failed', error = $3, finished_at = now(), updated_at = now()
     WHERE id = $1::uuid AND queue_job_id = $2 AND finished_at IS NULL`,
    [step.deregistrationJobId, step.queueJobId, step.error],
  );
  return rowCount === 1;
}

async function whyNotClaimed(deps: Pick<DeregistrationStepDeps, 'db'>, jobId: string): Promise<DeregistrationStepOutcome> {
  const { rows } = await deps.db.pool.query<{ finished: boolean }>('SELECT finished_at IS NOT NULL AS finished FROM deregistration_jobs WHERE id = $1::uuid', [jobId]);
  if (!rows[0]) return 'not-found';
  return rows[0].finished ? 'already-finished' : 'superseded';
}
