// Every worker a worker process runs, one module per queue (plus periodic tasks).
import { claimExpiryWorker } from './claim-expiry.js';
import { contactBackfillWorker } from './contact-backfill.js';
import { contactWriteBackWorker } from './contact-write-back.js';
import { deregistrationsWorker } from './deregistrations.js';
import { sweeper } from './sweeper.js';
import { waitlistWorker } from './waitlist.js';
import { webhookEventsWorker } from './webhook-events.js';
import type { WorkerFactory } from './worker-context.js';

export const WORKERS: WorkerFactory[] = [webhookEventsWorker, contactWriteBackWorker, contactBackfillWorker, deregistrationsWorker, claimExpiryWorker, waitlistWorker, sweeper];
