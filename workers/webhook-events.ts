// Queue `webhook-events`: a job names inbox events (one HubSpot delivery's worth); the worker
// applies them to the mirror and registers contacts by the portal's rules
// (server/webhooks/process-webhook-events.ts). Retries with backoff when HubSpot is
// unavailable; a repeated job changes nothing twice.
import { Worker } from 'bullmq';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import type { WebhookEventsJob } from '../server/webhooks/enqueue-webhook-events.js';
import { processWebhookEvents } from '../server/webhooks/process-webhook-events.js';
import { workerOptions, type WorkerFactory } from './worker-context.js';

export const webhookEventsWorker: WorkerFactory = (context) => {
  const worker = new Worker<WebhookEventsJob>(
    QUEUE_NAMES.webhookEvents,
    async (job) => processWebhookEvents(context, job.data.eventIds),
    workerOptions(context),
  );
  worker.on('failed', (job, error) => context.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'webhook events job failed'));
  worker.on('error', (error) => context.logger.warn({ err: error }, 'webhook events worker error'));
  return { name: 'webhook-events', close: () => worker.close() };
};
