// Queue `contact-backfill`: a job names a portal whose contacts are copied into the mirror after
// install (server/contacts/backfill-contacts.ts); it resumes from the saved cursor and reports
// progress on the job.
import { Worker } from 'bullmq';
import { backfillContacts } from '../server/contacts/backfill-contacts.js';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import { workerOptions, type WorkerFactory } from './worker-context.js';

export const contactBackfillWorker: WorkerFactory = (context) => {
  const worker = new Worker<{ portalId: number }>(
    QUEUE_NAMES.contactBackfill,
    async (job) => backfillContacts(context, job.data.portalId, (progress) => job.updateProgress(progress)),
    { ...workerOptions(context), concurrency: 2 },
  );
  worker.on('failed', (job, error) => context.logger.warn({ jobId: job?.id, err: error }, 'backfill job failed'));
  worker.on('error', (error) => context.logger.warn({ err: error }, 'backfill worker error'));
  return { name: 'contact-backfill', close: () => worker.close() };
};
