// An operator retries a failed deregistration job from the console: the job goes back on the
// queue (deregistrations/retry-deregistration-job.ts) and the portal's audit trail records who
// did it. The audit row follows the retry, which is its own transaction: a retry refused
// (not failed, changed meanwhile) records nothing.
import type { Database } from '../db/client.js';
import { retryDeregistrationJob } from '../deregistrations/retry-deregistration-job.js';
import type { DeregistrationJobView } from '../deregistrations/deregistration-job-view.js';
import type { AppQueues } from '../queue/queues.js';

export async function retryJobAsOperator(
  deps: { db: Database; queues: Pick<AppQueues, 'deregistrations'> },
  { jobId, operator }: { jobId: string; operator: string },
): Promise<DeregistrationJobView> {
  const job = await retryDeregistrationJob(deps, { jobId });
  await deps.db.auditEvent.create({
    data: { portalId: BigInt(job.portalId), action: 'deregistration_job_retried', actor: operator, jobId: job.id, details: { channel: 'console' } },
  });
  return job;
}
