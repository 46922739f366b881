// The app's BullMQ queues: one place that names them and creates them.
//
// A queue carries work, never truth: every job's state lives in PostgreSQL (the webhook inbox,
// the write-back outbox, deregistration jobs), so a Redis that restarts empty loses nothing
// that a sweeper cannot put back. Keys start with REDIS_KEY_PREFIX, so several deployments (or
// test runs) can share one Redis.
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from './redis.js';

export const QUEUE_NAMES = {
  webhookEvents: 'webhook-events',
  contactBackfill: 'contact-backfill',
  contactWriteBack: 'contact-write-back',
  deregistrations: 'deregistrations',
  claimExpiry: 'claim-expiry',
  /** Serving waitlists: released domains that partners wait for (server/waitlist/). */
  waitlist: 'waitlist',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Defaults for every job: retried with exponential backoff, kept a while for the dashboard. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export type AppQueues = Record<keyof typeof QUEUE_NAMES, Queue> & {
  /** REDIS_KEY_PREFIX: names the deployment whose queues these are. */
  prefix: string;
  close(): Promise<void>;
};

export function createQueues({ connection, prefix, onError = () => {} }: { connection: Redis; prefix: string; onError?: (error: Error) => void }): AppQueues {
  const make = (name: QueueName) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // Connection errors are already reported by the connection's owner; unhandled they would crash.
    queue.on('error', onError);
    return queue;
  };
  const queues = {
    webhookEvents: make(QUEUE_NAMES.webhookEvents),
    contactBackfill: make(QUEUE_NAMES.contactBackfill),
    contactWriteBack: make(QUEUE_NAMES.contactWriteBack),
    deregistrations: make(QUEUE_NAMES.deregistrations),
    claimExpiry: make(QUEUE_NAMES.claimExpiry),
    waitlist: make(QUEUE_NAMES.waitlist),
  };
  return {
    ...queues,
    prefix,
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    },
  };
}

/**
 * Adds jobs without letting a slow or absent Redis hold the caller: true when the add settled
 * within `timeoutMs`. Used where PostgreSQL already holds the work and a sweeper queues it again.
 */
export async function addedWithin(adding: Promise<unknown>, timeoutMs = 250): Promise<boolean> {
  adding.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return (await Promise.race([adding, timeout])) !== 'timeout';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
