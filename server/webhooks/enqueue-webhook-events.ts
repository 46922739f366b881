// Hands inbox events to the webhook worker. Best effort by design: the inbox in PostgreSQL is
// the truth, so when Redis does not answer quickly the events simply wait for the sweeper,
// and the receiver still answers HubSpot at once.
import type { Logger } from '../observability/logger.js';
import { addedWithin, type AppQueues } from '../queue/queues.js';

/** Events per queue job: one HubSpot request's worth. */
export const EVENTS_PER_JOB = 100;

export interface WebhookEventsJob {
  eventIds: string[];
}

function jobsFor(eventIds: string[]) {
  const jobs = [];
  for (let start = 0; start < eventIds.length; start += EVENTS_PER_JOB) {
    const chunk = eventIds.slice(start, start + EVENTS_PER_JOB);
    // Deduplicated on the first event: the sweeper re-offering a batch that is still queued adds nothing.
    jobs.push({ name: 'events', data: { eventIds: chunk } satisfies WebhookEventsJob, opts: { deduplication: { id: `inbox-${chunk[0]}` } } });
  }
  return jobs;
}

export async function enqueueWebhookEvents(queues: Pick<AppQueues, 'webhookEvents'>, eventIds: string[]): Promise<boolean> {
  if (eventIds.length === 0) return true;
  return addedWithin(queues.webhookEvents.addBulk(jobsFor(eventIds)));
}

/** Adds to the queue that may wait on Redis at once, per process; past that, the sweeper queues. */
const MAX_PENDING_ADDS = 500;

/**
 * The receiver's way to queue what it stored: without waiting. The inbox row is what HubSpot's
 * 200 promises (decision 0004); the queue only says "look now rather than at the next sweep".
 * Waiting for Redis (one Lua script per job, behind every other client's commands) put its
 * slowest answers on every webhook's answer: at 20,000 events/s the enqueue took 4-9 ms at the
 * median and 70-110 ms at p99 of the receiver's time (bench/webhook-ingest.bench.ts). While Redis
 * is slow or away, at most MAX_PENDING_ADDS adds are kept waiting; the rest is left to the
 * sweeper instead of piling up in memory.
 *
 * The batches stored in one turn of the event loop go to Redis in one add (still one job per
 * batch): under load several requests finish per turn, and BullMQ's cost per add (a pipeline,
 * a transaction, the job objects) is mostly per call: one job alone cost about 90 µs of the
 * receiver's CPU, five in one add about 38 µs each.
 */
export function webhookEventsQueuer(queues: Pick<AppQueues, 'webhookEvents'>, logger: Pick<Logger, 'warn'>): (eventIds: string[]) => void {
  let pending = 0;
  let gathered: string[][] = [];
  const leftToSweeper = (events: number) => logger.warn({ events }, 'webhook events stored but not queued (Redis slow or down): the sweeper will queue them');
  const addGathered = () => {
    const batches = gathered;
    gathered = [];
    const events = batches.reduce((count, eventIds) => count + eventIds.length, 0);
    if (pending >= MAX_PENDING_ADDS) return leftToSweeper(events);
    pending += 1;
    const adding = queues.webhookEvents.addBulk(batches.flatMap(jobsFor)).finally(() => {
      pending -= 1;
    });
    void addedWithin(adding).then((queued) => {
      if (!queued) leftToSweeper(events);
    });
  };
  return (eventIds) => {
    if (eventIds.length === 0) return;
    if (gathered.length === 0) setImmediate(addGathered);
    gathered.push(eventIds);
  };
}
