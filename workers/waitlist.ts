// Queue `waitlist`: each job serves the waitlists of released domains
// (server/waitlist/serve-waitlists.ts). Jobs carry no data: what to serve is PostgreSQL's state
// (waiting entries of domains nobody holds), so a job is safe to run twice and on two workers at
// once (each domain is served under its own lock; exclusive claims keep a hand-over single). A
// failing job (HubSpot unavailable) is retried by BullMQ with backoff; a worker that dies
// mid-job leaves the domain free and its line as it was, and the next job — or the sweeper's,
// once per period while such domains remain — serves it.
import { Worker } from 'bullmq';
import { z } from 'zod';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import { serveWaitlists } from '../server/waitlist/serve-waitlists.js';
import { jobProcessor } from './job-failures.js';
import { workerOptions, type WorkerFactory } from './worker-context.js';

export const waitlistWorker: WorkerFactory = (context) => {
  const worker = new Worker(
    QUEUE_NAMES.waitlist,
    jobProcessor({
      data: z.object({}),
      process: () => serveWaitlists({ db: context.db, hubspot: context.hubspot, queues: context.queues, logger: context.logger }),
    }),
    workerOptions(context),
  );
  worker.on('failed', (job, error) => context.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'waitlist serve failed'));
  worker.on('error', (error) => context.logger.warn({ err: error }, 'waitlist worker error'));
  return { name: 'waitlist', close: () => worker.close() };
};
