// Queue `contact-backfill`: a job names a portal whose contacts are copied into the mirror after
// install (server/contacts/backfill-contacts.ts); it resumes from the saved cursor and reports
// progress on the job. HubSpot being unavailable is retried with backoff; a revoked install or a
// read HubSpot refuses ends the backfill at once as failed, with the reason on its row
// (job-failures.ts).
import { Worker } from 'bullmq';
import { z } from 'zod';
import { backfillContacts } from '../server/contacts/backfill-contacts.js';
import { recordBackfillFailure } from '../server/contacts/record-backfill-failure.js';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import { jobProcessor } from './job-failures.js';
import { workerOptions, type WorkerFactory } from './worker-context.js';

export const contactBackfillWorker: WorkerFactory = (context) => {
  const worker = new Worker(
    QUEUE_NAMES.contactBackfill,
    jobProcessor({
      data: z.object({ portalId: z.number().int().positive() }),
      process: ({ portalId }, job) => backfillContacts(context, portalId, (progress) => job.updateProgress(progress)),
      recordFailure: ({ portalId }, reason) => recordBackfillFailure(context.db, { portalId, reason }),
    }),
    { ...workerOptions(context), concurrency: 2 },
  );
  worker.on('failed', (job, error) => context.logger.warn({ jobId: job?.id, err: error }, 'backfill job failed'));
  worker.on('error', (error) => context.logger.warn({ err: error }, 'backfill worker error'));
  return { name: 'contact-backfill', close: () => worker.close() };
};
