import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contactStatuses, startDeregistrationRig, type DeregistrationRig } from '../test/support/deregistration-rig.js';
import { stepJobId, STEP_JOB_NAME } from '../server/deregistrations/deregistration-queue.js';
import { getDeregistrationJob } from '../server/deregistrations/get-deregistration-job.js';
import { portalTurns } from '../server/deregistrations/portal-turn.js';
import { requestDeregistration } from '../server/deregistrations/request-deregistration.js';
import { retryDeregistrationJob } from '../server/deregistrations/retry-deregistration-job.js';
import { createRedis } from '../server/queue/redis.js';

// The deregistration worker in this process, over this file's own queues; started once the
// first test has arranged its queue.
let rig: DeregistrationRig;
let started: Promise<unknown> | undefined;
const ensureWorkers = () => (started ??= rig.startWorkers());
beforeAll(async () => {
  rig = await startDeregistrationRig({ env: { JOB_LOCK_MS: '2000' } });
});
afterAll(() => rig.stop());
afterEach(() => rig.hubspotRig.fake.faults.clear());

const jobView = (portalId: number, jobId: string) => getDeregistrationJob(rig.db, { portalId, jobId });

describe('the deregistrations worker', () => {
  it('records a job as failed, with the reason, when its step runs out of attempts; the operator can retry it', async () => {
    const { portalId, contactIds } = await rig.portalWithRegistrations(3);
    rig.hubspotRig.fake.faults.failNext(10_000, { status: 503, pathPrefix: '/crm/v3/objects/contacts/batch/update' });
    // A job whose step has a single attempt (the queue's default is eight, with backoff),
    // arranged before the worker starts.
    const { job } = await requestDeregistration(rig, { portalId, selection: { kind: 'all' }, requestedBy: 'x', channel: 'api' });
    await (await rig.queues.deregistrations.getJob(stepJobId(job.id, 0)))!.remove();
    await rig.queues.deregistrations.add(STEP_JOB_NAME, { deregistrationJobId: job.id, portalId }, { jobId: stepJobId(job.id, 0), attempts: 1 });
    await ensureWorkers();

    await expect.poll(async () => (await jobView(portalId, job.id))?.status, { timeout: 30_000 }).toBe('failed');
    const failed = await jobView(portalId, job.id);
    expect(failed).toMatchObject({
      done: 0,
      error: expect.stringMatching(/stopped after 1 attempts: HubSpot did not complete the contact batch update/),
      finishedAt: expect.any(String),
    });
    // The registrations were deregistered; HubSpot is what is missing.
    expect(await rig.db.deregistrationJobChunk.findMany({ where: { jobId: job.id } })).toMatchObject([{ state: 'deregistered' }]);

    rig.hubspotRig.fake.faults.clear();
    expect(await retryDeregistrationJob(rig, { jobId: job.id })).toMatchObject({ status: 'queued', error: null, finishedAt: null });
    await expect.poll(async () => (await jobView(portalId, job.id))?.status, { timeout: 30_000 }).toBe('completed');
    expect(await jobView(portalId, job.id)).toMatchObject({ done: 3, failed: 0, error: null });
    expect(contactStatuses(rig, portalId, contactIds)).toEqual(['deregistered', 'deregistered', 'deregistered']);
  });

  it('runs one step per portal at a time: a step whose portal is busy is handed over, delayed, until the portal is free', async () => {
    await ensureWorkers();
    const { portalId } = await rig.portalWithRegistrations(2);
    const redis = createRedis({ url: rig.config.REDIS_URL });
    const turns = portalTurns({ redis, keyPrefix: rig.config.REDIS_KEY_PREFIX, ttlMs: 60_000 });
    const held = (await turns.take(portalId))!;
    const { job } = await requestDeregistration(rig, { portalId, selection: { kind: 'all' }, requestedBy: 'x', channel: 'api' });
    // The job moves from step to step without being worked on.
    await expect.poll(async () => (await rig.db.deregistrationJob.findUniqueOrThrow({ where: { id: job.id } })).queueJobId, { timeout: 10_000 }).not.toBe(stepJobId(job.id, 0));
    expect(await jobView(portalId, job.id)).toMatchObject({ status: 'queued', done: 0 });
    await held.release();
    await redis.quit();
    await expect.poll(async () => (await jobView(portalId, job.id))?.status, { timeout: 10_000 }).toBe('completed');
  });
});
