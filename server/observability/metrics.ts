// The app's Prometheus metrics (prom-client): every metric is defined here, and the code that
// moves them calls one small function from the edge it sits at — the HTTP middleware, the
// webhook receiver, the workers' job processor, the HubSpot call wrapper and rate limiter, the
// callers of the registration use cases — so that instrumentation stays out of the domain.
//
// Names follow Prometheus' conventions: the `partner_capacity_` prefix, base units (`_seconds`),
// counters end in `_total`. No label ever carries a portal id, a contact or a raw path: each
// label has a small, fixed set of values (a route pattern, a lane, a queue, a refusal code, a
// tier), so a program of thousands of partners does not multiply the series.
//
// The registry is per process (each process is scraped on its own; Prometheus adds `instance`).
// What the program as a whole looks like — queue depths, capacity used and allowed — is read
// from Redis and PostgreSQL when scraped (collectProgramState), so every process reports the
// same values; dashboards take max() over instances. Counting every active registration takes
// a few hundred milliseconds at a million of them, so the capacity is shared through Redis for
// PROGRAM_CAPACITY_TTL_MS: however many processes are scraped, the deployment counts at most
// about once per period.
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import type { RateLimitLane } from '../hubspot/rate-limiter.js';
import type { AppQueues } from '../queue/queues.js';
import type { Redis } from '../queue/redis.js';
import { getProgramCapacity, type TierCapacity } from '../registrations/get-program-capacity.js';
import type { Logger } from './logger.js';

export const metricsRegistry = new Registry();
// Node's own numbers (CPU, memory, event loop lag, GC) under their standard names, so stock
// Node.js dashboards work too.
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];
/** Seconds; from a fast API answer to a slow HubSpot batch. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds; queue jobs run from milliseconds to minutes (a backfill, a deregistration slice). */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** Seconds a call waited for the rate limiter; most wait nothing. */
const WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const httpRequestDuration = new Histogram({
  name: 'partner_capacity_http_request_duration_seconds',
  help: 'HTTP requests served, by route pattern (never the raw path), method and status code.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: DURATION_BUCKETS,
  registers,
});

const webhookEventsReceived = new Counter({
  name: 'partner_capacity_webhook_events_received_total',
  help: 'Webhook events in signed, well-formed deliveries from HubSpot.',
  registers,
});
const webhookEventsStored = new Counter({
  name: 'partner_capacity_webhook_events_stored_total',
  help: 'Webhook events new to the inbox (stored).',
  registers,
});
const webhookEventsDuplicate = new Counter({
  name: 'partner_capacity_webhook_events_duplicate_total',
  help: 'Webhook events the inbox already held (HubSpot retries and duplicates): skipped.',
  registers,
});
const webhookEventsUnparsed = new Counter({
  name: 'partner_capacity_webhook_events_unparsed_total',
  help: 'Webhook events stored as unparsed: they did not fit the schema.',
  registers,
});
const webhookEventsProcessed = new Counter({
  name: 'partner_capacity_webhook_events_processed_total',
  help: 'Inbox events a worker applied (mirror changes, rules).',
  registers,
});
const webhookEventsFailed = new Counter({
  name: 'partner_capacity_webhook_events_failed_total',
  help: 'Inbox events ended as failed: their processing cannot succeed however often it is tried.',
  registers,
});

const registrations = new Counter({
  name: 'partner_capacity_registrations_total',
  help: 'Registrations made, by channel (card, automatic rule, operator, undo of a deregistration, waitlist hand-over).',
  labelNames: ['channel'] as const,
  registers,
});
const registrationRefusals = new Counter({
  name: 'partner_capacity_registration_refusals_total',
  help: 'Registrations refused, by channel and refusal code.',
  labelNames: ['channel', 'code'] as const,
  registers,
});

const jobDuration = new Histogram({
  name: 'partner_capacity_job_duration_seconds',
  help: 'Queue jobs run by this worker, by queue and outcome (completed or failed).',
  labelNames: ['queue', 'outcome'] as const,
  buckets: JOB_BUCKETS,
  registers,
});
const jobFailures = new Counter({
  name: 'partner_capacity_job_failures_total',
  help: 'Queue job attempts that failed, by queue; final="true" when no attempt is left (retrying cannot fix it, or the last attempt).',
  labelNames: ['queue', 'final'] as const,
  registers,
});

const hubspotRequests = new Counter({
  name: 'partner_capacity_hubspot_requests_total',
  help: 'Calls to HubSpot (each attempt), by rate-limit lane and answer: 2xx, 4xx, 429, 5xx, or network (timeout, dropped connection).',
  labelNames: ['lane', 'status_class'] as const,
  registers,
});
const hubspotRequestDuration = new Histogram({
  name: 'partner_capacity_hubspot_request_duration_seconds',
  help: 'How long HubSpot took to answer a call (each attempt), by lane.',
  labelNames: ['lane'] as const,
  buckets: DURATION_BUCKETS,
  registers,
});
const limiterWait = new Histogram({
  name: 'partner_capacity_hubspot_limiter_wait_seconds',
  help: "How long a call waited for a slot of the portal's shared rate limit, by lane (0 when there was room).",
  labelNames: ['lane'] as const,
  buckets: WAIT_BUCKETS,
  registers,
});
const limiterWaits = new Counter({
  name: 'partner_capacity_hubspot_limiter_waits_total',
  help: 'Calls that had to wait for the rate limiter (the window was full, or HubSpot asked the portal to pause), by lane.',
  labelNames: ['lane'] as const,
  registers,
});

const sweeperRecoveries = new Counter({
  name: 'partner_capacity_sweeper_recoveries_total',
  help: 'Work PostgreSQL still held to do that a sweeper put back on a queue, by kind.',
  labelNames: ['work'] as const,
  registers,
});

const queueJobs = new Gauge({
  name: 'partner_capacity_queue_jobs',
  help: 'Jobs in each queue by state, read from Redis when scraped (the same in every process).',
  labelNames: ['queue', 'state'] as const,
  registers,
});
const queueOldestWaitingAge = new Gauge({
  name: 'partner_capacity_queue_oldest_waiting_job_age_seconds',
  help: 'Age of the oldest job waiting to run in each queue (0 when none waits), read when scraped.',
  labelNames: ['queue'] as const,
  registers,
});
const capacityUsed = new Gauge({
  name: 'partner_capacity_program_capacity_used_domains',
  help: 'Active registrations summed over the portals of each tier, read from PostgreSQL when scraped.',
  labelNames: ['tier'] as const,
  registers,
});
const capacityLimit = new Gauge({
  name: 'partner_capacity_program_capacity_limit_domains',
  help: 'Capacity limits in force (override or tier) summed over the portals of each tier, read when scraped.',
  labelNames: ['tier'] as const,
  registers,
});
const programPortals = new Gauge({
  name: 'partner_capacity_program_portals',
  help: 'Portals known to the app, by tier, read when scraped.',
  labelNames: ['tier'] as const,
  registers,
});
const collectionFailures = new Counter({
  name: 'partner_capacity_metrics_collection_failures_total',
  help: 'Scrapes whose program-wide numbers could not be read, by source (queues, database); those gauges are left out of that scrape.',
  labelNames: ['source'] as const,
  registers,
});

// --- HTTP -----------------------------------------------------------------------------------

/**
 * Times every request and labels it with the route pattern Express matched (`/api/card/
 * contacts/:contactId`), never the path itself; a request no route took is `unmatched`.
 */
export function httpRequestMetrics(): RequestHandler {
  return (req, res, next) => {
    const end = httpRequestDuration.startTimer();
    res.once('finish', () => {
      const route = req.route?.path;
      const pattern = typeof route === 'string' ? `${req.baseUrl}${route}` : req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
      end({ method: req.method, route: pattern, status_code: String(res.statusCode) });
    });
    next();
  };
}

// --- Webhooks -------------------------------------------------------------------------------

/** A verified delivery: how many events it had, how many were new to the inbox, how many unparsed. */
export function countWebhookDelivery({ received, stored, unparsed }: { received: number; stored: number; unparsed: number }): void {
  webhookEventsReceived.inc(received);
  webhookEventsStored.inc(stored);
  webhookEventsDuplicate.inc(received - stored);
  webhookEventsUnparsed.inc(unparsed);
}

/** Passes a webhook job's report through, counting the events it applied. */
export function countProcessedWebhookEvents<Report extends { processed: number }>(report: Report): Report {
  webhookEventsProcessed.inc(report.processed);
  return report;
}

export function countFailedWebhookEvents(events: number): void {
  webhookEventsFailed.inc(events);
}

// --- Registrations --------------------------------------------------------------------------

export type RegistrationMetricsChannel = 'card' | 'automatic' | 'operator' | 'undo' | 'waitlist';

/** Counts the results of a registration use case (registerContacts, restoreRegistrations) where its caller gets them. */
export function countRegistrationOutcomes(channel: RegistrationMetricsChannel, results: ReadonlyArray<{ ok: true } | { ok: false; refusal: { code: string } }>): void {
  for (const result of results) {
    if (result.ok) registrations.inc({ channel });
    else registrationRefusals.inc({ channel, code: result.refusal.code });
  }
}

// --- Queue jobs -----------------------------------------------------------------------------

/** Runs one attempt of a queue job, timing it and counting its failure. */
export async function observeJob<Result>(job: Pick<Job, 'queueName' | 'attemptsMade' | 'opts'>, attempt: () => Promise<Result>): Promise<Result> {
  const end = jobDuration.startTimer({ queue: job.queueName });
  try {
    const result = await attempt();
    end({ outcome: 'completed' });
    return result;
  } catch (error) {
    end({ outcome: 'failed' });
    const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    jobFailures.inc({ queue: job.queueName, final: String(final) });
    throw error;
  }
}

// --- HubSpot --------------------------------------------------------------------------------

/** Starts timing one call to HubSpot; the returned function records its answer (an HTTP status, or null when none came). */
export function startHubSpotCall(lane: RateLimitLane): (status: number | null) => void {
  const end = hubspotRequestDuration.startTimer({ lane });
  return (status) => {
    end();
    const statusClass = status === null ? 'network' : status === 429 ? '429' : `${Math.floor(status / 100)}xx`;
    hubspotRequests.inc({ lane, status_class: statusClass });
  };
}

/** A slot of the rate limiter was granted after `waitedMs`. */
export function observeLimiterWait(lane: RateLimitLane, waitedMs: number, waited: boolean): void {
  limiterWait.observe({ lane }, waitedMs / 1000);
  if (waited) limiterWaits.inc({ lane });
}

// --- Sweepers -------------------------------------------------------------------------------

export function countSweeperRecoveries(recovered: Partial<Record<'webhook_events' | 'write_back_portals' | 'backfills' | 'deregistration_jobs', number>>): void {
  for (const [work, count] of Object.entries(recovered)) if (count) sweeperRecoveries.inc({ work }, count);
}

// --- Scrape time ----------------------------------------------------------------------------

// Not `completed`: finished jobs are trimmed (DEFAULT_JOB_OPTIONS), so their count means nothing.
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
/** A scrape must answer even when Redis or PostgreSQL does not. */
const COLLECT_TIMEOUT_MS = 2000;
/** Shorter than any sensible scrape interval, long enough that N processes do not each count. */
const PROGRAM_CAPACITY_TTL_MS = 10_000;

export interface ProgramStateSource {
  db: Pick<Database, 'pool'>;
  redis: Pick<Redis, 'get' | 'set'>;
  queues: AppQueues;
  logger: Logger;
}

/** The program's capacity as counted within the last PROGRAM_CAPACITY_TTL_MS by any process, or counted now. */
async function programCapacity({ db, redis, queues }: ProgramStateSource): Promise<TierCapacity[]> {
  const key = `${queues.prefix}:metrics:program-capacity`;
  const cached = await redis.get(key).catch(() => null);
  if (cached) return JSON.parse(cached) as TierCapacity[];
  const tiers = await getProgramCapacity(db);
  await redis.set(key, JSON.stringify(tiers), 'PX', PROGRAM_CAPACITY_TTL_MS).catch(() => {});
  return tiers;
}

/** Reads the program-wide gauges (queues from Redis, capacity from PostgreSQL) just before a scrape. */
export async function collectProgramState(source: ProgramStateSource): Promise<void> {
  const { queues, logger } = source;
  const { close: _close, prefix: _prefix, ...byName } = queues;
  const collectQueues = async () => {
    const now = Date.now();
    const read = await Promise.all(
      Object.values(byName).map(async (queue) => {
        const [counts, [oldest]] = await Promise.all([queue.getJobCounts(...QUEUE_STATES), queue.getJobs(['waiting'], 0, 0, true)]);
        return { name: queue.name, counts, oldestAge: oldest ? Math.max(0, now - oldest.timestamp) / 1000 : 0 };
      }),
    );
    queueJobs.reset();
    for (const { name, counts, oldestAge } of read) {
      for (const state of QUEUE_STATES) queueJobs.set({ queue: name, state }, counts[state] ?? 0);
      queueOldestWaitingAge.set({ queue: name }, oldestAge);
    }
  };
  const collectCapacity = async () => {
    const tiers = await programCapacity(source);
    for (const gauge of [capacityUsed, capacityLimit, programPortals]) gauge.reset();
    for (const { tier, portals, used, limit } of tiers) {
      capacityUsed.set({ tier }, used);
      capacityLimit.set({ tier }, limit);
      programPortals.set({ tier }, portals);
    }
  };
  await Promise.all([
    withinTimeout(collectQueues()).catch((error) => {
      queueJobs.reset();
      queueOldestWaitingAge.reset();
      collectionFailures.inc({ source: 'queues' });
      logger.warn({ err: error }, 'metrics: the queues could not be read');
    }),
    withinTimeout(collectCapacity()).catch((error) => {
      for (const gauge of [capacityUsed, capacityLimit, programPortals]) gauge.reset();
      collectionFailures.inc({ source: 'database' });
      logger.warn({ err: error }, 'metrics: program capacity could not be read');
    }),
  ]);
}

function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The exposition text of this process's metrics, program-wide gauges read now. */
export async function renderMetrics(source: ProgramStateSource): Promise<{ contentType: string; body: string }> {
  await collectProgramState(source);
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
