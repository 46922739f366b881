// Queue `webhook-events`: a job names inbox events (one HubSpot delivery's worth); the worker
// applies them to the mirror and registers contacts by the portal's rules
// (server/webhooks/process-webhook-events.ts). Retries with backoff when HubSpot is
// unavailable; a failure retrying cannot fix (HubSpot refused the read) ends the job at once
// and records the reason as the events' outcome (job-failures.ts). A repeated job changes
// nothing twice.
import { Worker } from 'bullmq';
import { z } from 'zod';
import { countFailedWebhookEvents, countProcessedWebhookEvents } from '../server/observability/metrics.js';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import type { WebhookEventsJob } from '../server/webhooks/enqueue-webhook-events.js';
import { processWebhookEvents } from '../server/webhooks/process-webhook-events.js';
import { recordWebhookEventsFailure } from '../server/webhooks/record-webhook-events-failure.js';
import { jobProcessor } from './job-failures.js';
import { workerOptions, type WorkerFactory } from './worker-context.js';

const webhookEventsJob: z.ZodType<WebhookEventsJob> = z.object({ eventIds: z.array(z.string().regex(/^\d{1,19}$/)).min(1) });

export const webhookEventsWorker: WorkerFactory = (context) => {
  const worker = new Worker(
    QUEUE_NAMES.webhookEvents,
    jobProcessor({
      data: webhookEventsJob,
      process: ({ eventIds }) => processWebhookEvents(context, { eventIds }).then(countProcessedWebhookEvents),
      recordFailure: ({ eventIds }, reason) => recordWebhookEventsFailure(context.db, { eventIds, reason }).then(countFailedWebhookEvents),
    }),
    workerOptions(context),
  );
  worker.on('failed', (job, error) => context.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'webhook events job failed'));
  worker.on('error', (error) => context.logger.warn({ err: error }, 'webhook events worker error'));
  return { name: 'webhook-events', close: () => worker.close() };
};
