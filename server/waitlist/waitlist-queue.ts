// How serving the waitlists travels on the `waitlist` BullMQ queue.
//
// A job carries nothing but "look": the work is in PostgreSQL's state — domains with partners
// waiting (waitlist_entries, status waiting) and no active holder — so the job is safe to run
// twice, at once on two workers, or never (the sweeper queues it again while such domains
// remain). It is queued after a release commits (a deregistration chunk, an expiry, an
// operator's resolution), and deduplicated: at most one job waits while another runs.
import { addedWithin, type AppQueues } from '../queue/queues.js';

export const SERVE_WAITLISTS_JOB = 'serve-waitlists';

/** Queues a serve of the waitlists; resolves false when Redis did not take it in time (the sweeper will). */
export function enqueueWaitlistServe(queues: Pick<AppQueues, 'waitlist'>): Promise<boolean> {
  return addedWithin(queues.waitlist.add(SERVE_WAITLISTS_JOB, {}, { deduplication: { id: SERVE_WAITLISTS_JOB, keepLastIfActive: true } }));
}
