import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { createLogger } from '../observability/logger.js';
import { createRedis } from '../queue/redis.js';
import { stepJobId } from './deregistration-queue.js';
import { requestDeregistration } from './request-deregistration.js';
import { runDeregistrationStep } from './run-deregistration-step.js';
import { sweepDeregistrationJobs } from './sweep-deregistration-jobs.js';

// Steps and the sweeper called directly; no worker takes the steps from the queue here.
let rig: DeregistrationRig;
const logger = createLogger({ level: 'silent', name: 'test' });
beforeAll(async () => {
  rig = await startDeregistrationRig();
});
afterAll(() => rig.stop());
afterEach(() => rig.hubspotRig.fake.faults.clear());

const deps = () => ({ db: rig.db, api: rig.hubspot.api, queues: rig.queues, logger });

async function queuedJob(count: number) {
  const { portalId } = await rig.portalWithRegistrations(count);
  const { job } = await requestDeregistration(rig, { portalId, selection: { kind: 'all' }, requestedBy: 'jane@agency.example', channel: 'api' });
  return { portalId, jobId: job.id };
}

const jobRow = (jobId: string) => rig.db.deregistrationJob.findUniqueOrThrow({ where: { id: jobId } });
async function chunkStates(jobId: string): Promise<string> {
  const chunks = await rig.db.deregistrationJobChunk.findMany({ where: { jobId }, orderBy: { chunkIndex: 'asc' } });
  return chunks.map((chunk) => chunk.state[0]).join('');
}

describe('a deregistration step', () => {
  it('works for its time slice, then hands the job to its next step at the back of the queue', async () => {
    const { jobId } = await queuedJob(500);
    rig.hubspotRig.fake.faults.setLatency(100);
    const outcome = await runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 0), sliceMs: 150, pipeline: 1 });
    expect(outcome).toBe('continued');
    const states = await chunkStates(jobId);
    expect(states).toMatch(/^w+p+$/);
    expect(await jobRow(jobId)).toMatchObject({ status: 'running', queueJobId: stepJobId(jobId, 1), done: 100 * (states.match(/w/g)?.length ?? 0) });
    expect(await (await rig.queues.deregistrations.getJob(stepJobId(jobId, 1)))?.getState()).toBe('waiting');

    rig.hubspotRig.fake.faults.setLatency(0);
    expect(await runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 1), sliceMs: 60_000 })).toBe('completed');
    expect(await jobRow(jobId)).toMatchObject({ status: 'completed', done: 500, finishedAt: expect.any(Date) });
    expect(await chunkStates(jobId)).toBe('wwwww');
  });

  it('stops at once when it was replaced, and does nothing for a finished job', async () => {
    const { jobId } = await queuedJob(10);
    expect(await runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 7) })).toBe('superseded');
    expect(await chunkStates(jobId)).toBe('p');
    expect(await runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 0) })).toBe('completed');
    expect(await runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 0) })).toBe('already-finished');
  });

  it('asked to stop, finishes the chunks in hand and hands the job over', async () => {
    const { jobId } = await queuedJob(1000);
    rig.hubspotRig.fake.faults.setLatency(150);
    // The stop comes once each of the two runners has taken a chunk.
    let asked = 0;
    const shouldStop = () => {
      asked += 1;
      return asked > 2;
    };
    const outcome = await runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 0), shouldStop, sliceMs: 60_000, pipeline: 2 });
    expect(outcome).toBe('continued');
    // Every chunk it started is written; nothing is left half done.
    expect(await chunkStates(jobId)).toBe('wwpppppppp');
    expect((await jobRow(jobId)).queueJobId).toBe(stepJobId(jobId, 1));
  });

  it('lets the chunks in hand finish, then fails for a retry, when HubSpot is unavailable', async () => {
    const { jobId } = await queuedJob(300);
    rig.hubspotRig.fake.faults.failNext(100, { status: 503, pathPrefix: '/crm/v3/objects/contacts/batch/update' });
    await expect(runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 0), pipeline: 2 })).rejects.toThrow(
      /did not complete the contact batch update/,
    );
    expect(await chunkStates(jobId)).toBe('ddp');
    expect((await jobRow(jobId)).status).toBe('running');
    rig.hubspotRig.fake.faults.clear();
    expect(await runDeregistrationStep(deps(), { deregistrationJobId: jobId, queueJobId: stepJobId(jobId, 0) })).toBe('completed');
    expect(await jobRow(jobId)).toMatchObject({ done: 300, failed: 0 });
  });
});

describe('the deregistration sweeper', () => {
  const sweep = () => sweepDeregistrationJobs(deps(), { staleAfterMs: 1000 });
  const age = (jobId: string) => rig.db.$executeRaw`UPDATE deregistration_jobs SET updated_at = now() - interval '1 minute' WHERE id = ${jobId}::uuid`;

  it('queues again a job whose step the queue lost, and leaves waiting and recent jobs alone', async () => {
    const lost = await queuedJob(1);
    const waiting = await queuedJob(1);
    const recent = await queuedJob(1);
    await (await rig.queues.deregistrations.getJob(stepJobId(lost.jobId, 0)))!.remove();
    await (await rig.queues.deregistrations.getJob(stepJobId(recent.jobId, 0)))!.remove();
    await age(lost.jobId);
    await age(waiting.jobId);

    const report = await sweep();
    expect(report.requeued).toContain(lost.jobId);
    expect(report.requeued).not.toContain(waiting.jobId);
    expect(report.requeued).not.toContain(recent.jobId);
    expect((await jobRow(lost.jobId)).queueJobId).toBe(stepJobId(lost.jobId, 1));
    expect(await (await rig.queues.deregistrations.getJob(stepJobId(lost.jobId, 1)))?.getState()).toBe('waiting');
    expect((await jobRow(waiting.jobId)).queueJobId).toBe(stepJobId(waiting.jobId, 0));
    // Swept again at once: the job moved, nothing more to do.
    expect((await sweep()).requeued).not.toContain(lost.jobId);
  });

  it("leaves alone the jobs of another deployment's queues (another REDIS_KEY_PREFIX)", async () => {
    const theirs = await queuedJob(1);
    expect((await jobRow(theirs.jobId)).queuePrefix).toBe(rig.config.REDIS_KEY_PREFIX);
    await rig.db.deregistrationJob.update({ where: { id: theirs.jobId }, data: { queuePrefix: 'another-deployment' } });
    await (await rig.queues.deregistrations.getJob(stepJobId(theirs.jobId, 0)))!.remove();
    await age(theirs.jobId);
    expect((await sweep()).requeued).not.toContain(theirs.jobId);
    expect((await jobRow(theirs.jobId)).queueJobId).toBe(stepJobId(theirs.jobId, 0));
  });

  it('records a job as failed, with the reason, when the queue gave up on its step', async () => {
    const { jobId } = await queuedJob(1);
    const connection = createRedis({ url: rig.config.REDIS_URL, forQueues: true });
    const worker = new Worker(rig.queues.deregistrations.name, null, { connection, prefix: rig.config.REDIS_KEY_PREFIX, autorun: false });
    try {
      // Take steps off the queue by hand until ours, and fail it for good, as BullMQ does with a step that stalled too often.
      for (;;) {
        const step = await worker.getNextJob('test-token', { block: false });
        if (!step) throw new Error('the step was not on the queue');
        if (step.id !== stepJobId(jobId, 0)) continue;
        await step.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'test-token');
        break;
      }
    } finally {
      await worker.close();
      await connection.quit();
    }
    await age(jobId);
    expect((await sweep()).failed).toContain(jobId);
    expect(await jobRow(jobId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/stalled more than allowable limit/), finishedAt: expect.any(Date) });
  });
});
