// How a deregistration job travels on the `deregistrations` BullMQ queue.
//
// The job itself lives in PostgreSQL; the queue carries *steps*. A step works on its job for a
// short slice of time, then puts the next step at the back of the queue, so that many jobs
// (of many portals) take turns on the workers instead of the biggest one holding a worker to
// the end. Each step has its own BullMQ id, `dereg-<job id>-<n>`, and the job row names the
// step that carries it now (`queue_job_id`): the chain moves on by a conditional update of
// that column, so a step that was replaced (by the sweeper, after Redis lost it) sees that it
// is stale and stops.
import { addedWithin, type AppQueues } from '../queue/queues.js';

export const STEP_JOB_NAME = 'deregistration-step';

export interface DeregistrationStepData {
  deregistrationJobId: string;
  portalId: number;
}

/** How long a caller waits for Redis before leaving the job to the sweeper. */
const ENQUEUE_TIMEOUT_MS = 1000;

export function stepJobId(deregistrationJobId: string, sequence: number): string {
  // BullMQ refuses ':' in custom ids.
  return `dereg-${deregistrationJobId}-${sequence}`;
}

/** The id of the step after `queueJobId`. */
export function nextStepJobId(queueJobId: string): string {
  const match = /^dereg-(.+)-(\d+)$/.exec(queueJobId);
  if (!match) throw new Error(`Not a deregistration step id: ${queueJobId}`);
  return stepJobId(match[1]!, Number(match[2]) + 1);
}

/**
 * Adds a step. Resolves false when Redis did not take it in time (it may still arrive later;
 * the same id is never added twice). The sweeper re-enqueues jobs whose step Redis never got.
 */
export function enqueueStep(queues: Pick<AppQueues, 'deregistrations'>, step: DeregistrationStepData & { queueJobId: string; delayMs?: number }): Promise<boolean> {
  const adding = queues.deregistrations.add(STEP_JOB_NAME, { deregistrationJobId: step.deregistrationJobId, portalId: step.portalId } satisfies DeregistrationStepData, {
    jobId: step.queueJobId,
    ...(step.delayMs ? { delay: step.delayMs } : {}),
  });
  return addedWithin(adding, ENQUEUE_TIMEOUT_MS);
}
