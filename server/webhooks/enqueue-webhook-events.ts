// Hands inbox events to the webhook worker. Best effort by design: the inbox in PostgreSQL is
// the truth, so when Redis does not answer quickly the events simply wait for the sweeper,
// and the receiver still answers HubSpot at once.
import { addedWithin, type AppQueues } from '../queue/queues.js';

/** Events per queue job: one HubSpot request's worth. */
export const EVENTS_PER_JOB = 100;

export interface WebhookEventsJob {
  eventIds: string[];
}

export async function enqueueWebhookEvents(queues: Pick<AppQueues, 'webhookEvents'>, eventIds: string[]): Promise<boolean> {
  const jobs = [];
  for (let start = 0; start < eventIds.length; start += EVENTS_PER_JOB) {
    const chunk = eventIds.slice(start, start + EVENTS_PER_JOB);
    // Deduplicated on the first event: the sweeper re-offering a batch that is still queued adds nothing.
    jobs.push({ name: 'events', data: { eventIds: chunk } satisfies WebhookEventsJob, opts: { deduplication: { id: `inbox-${chunk[0]}` } } });
  }
  if (jobs.length === 0) return true;
  return addedWithin(queues.webhookEvents.addBulk(jobs));
}
