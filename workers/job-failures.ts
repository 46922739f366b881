// How a job ends when it fails, the same for every queue.
//
// A failure that retrying cannot fix — the job's data does not validate, or the use case threw
// an application error of kind invalid, forbidden or not_found (a revoked install, a value
// HubSpot refuses) — ends the job at once: its reason is first recorded on the row PostgreSQL
// keeps for the job (so the sweeper does not queue it again and a person can read why), then
// BullMQ's UnrecoverableError stops the retries. Anything else (HubSpot unavailable, 429s that
// outlasted the limiter, timeouts, Redis or PostgreSQL trouble) is thrown as it is, and BullMQ
// retries with backoff (DEFAULT_JOB_OPTIONS in server/queue/queues.ts).
import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { z } from 'zod';
import { retryingCannotFix } from '../server/errors/app-error.js';
import { observeJob } from '../server/observability/metrics.js';

export interface JobHandling<Data, Result> {
  /** What the job's data must be; a job that carries anything else ends as invalid. */
  data: z.ZodType<Data>;
  process(data: Data, job: Job): Promise<Result>;
  /** Records on the job's own row why it ended (inbox events, backfill, deregistration job). */
  recordFailure?(data: Data, reason: string, job: Job): Promise<unknown>;
}

/** The processor for a BullMQ Worker: validates the data, runs the job, ends what retrying cannot fix. */
export function jobProcessor<Data, Result>(handling: JobHandling<Data, Result>): Processor<unknown, Result> {
  return (job) => observeJob(job, () => runJob(handling, job));
}

async function runJob<Data, Result>(handling: JobHandling<Data, Result>, job: Job): Promise<Result> {
  const parsed = handling.data.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`INVALID_JOB_DATA: the job's data is not what the queue carries (${z.prettifyError(parsed.error).replace(/\n/g, ' ')}).`);
  try {
    return await handling.process(parsed.data, job);
  } catch (error) {
    if (!retryingCannotFix(error)) throw error;
    const reason = `${error.code}: ${error.message}`;
    await handling.recordFailure?.(parsed.data, reason, job);
    throw new UnrecoverableError(reason);
  }
}
