// Jobs that retrying cannot fix end after one attempt with their reason on the record; jobs that
// met a passing trouble (HubSpot answering 503) are retried. Real BullMQ workers, the HubSpot
// fake through the real @hubspot/api-client, the run's PostgreSQL and Redis.
import type { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContactBackfill } from '../server/contacts/backfill-contacts.js';
import type { Database } from '../server/db/client.js';
import { createLogger } from '../server/observability/logger.js';
import { createQueues, type AppQueues } from '../server/queue/queues.js';
import { createRedis, type Redis } from '../server/queue/redis.js';
import { testDatabase } from '../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, type HubSpotTestRig } from '../test/support/hubspot.js';
import { contactBackfillWorker } from './contact-backfill.js';
import { deregistrationsWorker } from './deregistrations.js';
import { startWorkers, type RunningWorkers } from './start-workers.js';
import { webhookEventsWorker } from './webhook-events.js';

const POLL = { timeout: 20_000, interval: 100 };

let rig: HubSpotTestRig;
let db: Database;
let installer: ReturnType<typeof hubspotProcess>;
let workers: RunningWorkers;
let connection: Redis;
let queues: AppQueues;

beforeAll(async () => {
  rig = await startHubSpotRig();
  db = testDatabase(4);
  installer = hubspotProcess(rig, db);
  workers = await startWorkers({
    config: rig.config,
    databaseUrl: rig.config.DATABASE_URL!,
    logger: createLogger({ level: 'silent', name: 'test-workers' }),
    workers: [contactBackfillWorker, webhookEventsWorker, deregistrationsWorker],
  });
  connection = createRedis({ url: rig.config.REDIS_URL, forQueues: true });
  queues = createQueues({ connection, prefix: rig.config.REDIS_KEY_PREFIX });
});

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await connection?.quit();
  await installer?.close();
  await db?.$disconnect();
  await rig?.stop();
});

/** The queue's job for which `matches` holds, once it has finished (failed or completed). */
async function finishedJob(queue: Queue, matches: (job: Job) => boolean): Promise<Job> {
  let found: Job | undefined;
  await expect
    .poll(async () => {
      found = (await queue.getJobs(['failed', 'completed'])).find(matches);
      return found !== undefined;
    }, POLL)
    .toBe(true);
  return found!;
}

const backfillOf = (portalId: number) => (job: Job) => job.data?.portalId === portalId;
const backfillRow = (portalId: number) => db.contactBackfill.findUniqueOrThrow({ where: { portalId: BigInt(portalId) } });

describe('a job retrying cannot fix ends after one attempt, with its reason recorded', () => {
  it('a backfill for a portal whose install was revoked', async () => {
    const portalId = await installedPortal(rig, db, installer.hubspot, { withAppProperties: false });
    rig.fake.installs.revoke(TEST_APP_ID, portalId);
    await startContactBackfill({ db, queues }, portalId);

    const job = await finishedJob(queues.contactBackfill, backfillOf(portalId));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^HUBSPOT_DISCONNECTED: HubSpot account \d+ no longer accepts the app's tokens/);
    expect(await backfillRow(portalId)).toMatchObject({ status: 'failed', error: job.failedReason, finishedAt: expect.any(Date) });
  });

  it('a backfill whose page read HubSpot refuses with a 400', async () => {
    const portalId = await installedPortal(rig, db, installer.hubspot, { withAppProperties: false });
    rig.fake.contacts.seed(portalId, [{ website: 'https://refused.example' }]);
    rig.fake.faults.failNext(1, { status: 400, pathPrefix: '/crm/v3/objects/contacts' });
    await startContactBackfill({ db, queues }, portalId);

    const job = await finishedJob(queues.contactBackfill, backfillOf(portalId));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^HUBSPOT_REFUSED: HubSpot refused the contact page read/);
    expect(await backfillRow(portalId)).toMatchObject({ status: 'failed', error: job.failedReason });
  });

  it('a webhook job whose contact read HubSpot refuses with a 400: its events are ended with the reason', async () => {
    const portalId = await installedPortal(rig, db, installer.hubspot, { withAppProperties: false });
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://read-refused.example' }]);
    // The inbox as the receiver leaves it (arranged directly: the receiver is not under test).
    const occurredAt = Date.now();
    const [event] = await db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO webhook_events (portal_id, subscription_id, event_id, occurred_at, subscription_type, object_id, payload, queue_prefix)
      VALUES (${BigInt(portalId)}, 1, ${BigInt(occurredAt)}, ${new Date(occurredAt)}, 'contact.creation', ${contact!.id},
              ${JSON.stringify({ portalId, occurredAt, subscriptionType: 'contact.creation', objectId: Number(contact!.id), appId: TEST_APP_ID })}::jsonb,
              ${rig.config.REDIS_KEY_PREFIX})
      RETURNING id`;
    rig.fake.faults.failNext(1, { status: 400, pathPrefix: '/crm/v3/objects/contacts/batch/read' });
    const added = await queues.webhookEvents.add('events', { eventIds: [String(event!.id)] });

    const job = await finishedJob(queues.webhookEvents, (candidate) => candidate.id === added.id);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^HUBSPOT_REFUSED: HubSpot refused the contact batch read/);
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: event!.id } })).toMatchObject({ processedAt: expect.any(Date), outcome: `failed: ${job.failedReason}` });
  });

  it('a webhook job or a deregistration step whose data does not validate', async () => {
    const events = await queues.webhookEvents.add('events', { eventIds: 'all of them' });
    const step = await queues.deregistrations.add('deregistration-step', { deregistrationJobId: 'not-a-uuid', portalId: -1 });
    for (const [queue, added] of [
      [queues.webhookEvents, events],
      [queues.deregistrations, step],
    ] as const) {
      const job = await finishedJob(queue, (candidate) => candidate.id === added.id);
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(/^INVALID_JOB_DATA: /);
    }
  });
});

describe('a passing trouble is retried', () => {
  it('a backfill whose reads HubSpot answers 503 for a while completes on a later attempt', async () => {
    const portalId = await installedPortal(rig, db, installer.hubspot, { withAppProperties: false });
    rig.fake.contacts.seed(portalId, [{ website: 'https://later.example' }, { website: 'https://later-too.example' }]);
    // More 503s than the HubSpot client's own attempts: the first job attempt fails.
    rig.fake.faults.failNext(6, { status: 503, pathPrefix: '/crm/v3/objects/contacts' });
    await startContactBackfill({ db, queues }, portalId);

    const job = await finishedJob(queues.contactBackfill, backfillOf(portalId));
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsStarted).toBeGreaterThanOrEqual(2);
    expect(await backfillRow(portalId)).toMatchObject({ status: 'completed', contactsSynced: 2, error: null });
  });
});
