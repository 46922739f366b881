// Queue `contact-write-back`: a job names a portal; the worker sends the portal's pending
// write-backs to HubSpot in batch updates (server/hubspot/write-back.ts). At most one job per
// portal runs at a time (the queue deduplicates), so one portal's writes never race. A contact
// HubSpot no longer has never holds up the others: it is recorded on its row as not in HubSpot
// and the rest are written in the same job.
import { Worker } from 'bullmq';
import { z } from 'zod';
import { flushContactWriteBacks } from '../server/hubspot/write-back.js';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import { jobProcessor } from './job-failures.js';
import { workerOptions, type WorkerFactory } from './worker-context.js';

export const contactWriteBackWorker: WorkerFactory = (context) => {
  const worker = new Worker(
    QUEUE_NAMES.contactWriteBack,
    // The flush records HubSpot's refusals on the outbox rows itself (write-back.ts).
    jobProcessor({
      data: z.object({ portalId: z.number().int().positive() }),
      process: ({ portalId }) => flushContactWriteBacks({ db: context.db, api: context.hubspot.api, logger: context.logger }, portalId),
    }),
    workerOptions(context),
  );
  worker.on('failed', (job, error) => context.logger.warn({ jobId: job?.id, err: error }, 'write-back job failed'));
  worker.on('error', (error) => context.logger.warn({ err: error }, 'write-back worker error'));
  return { name: 'contact-write-back', close: () => worker.close() };
};
