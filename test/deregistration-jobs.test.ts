// Bulk deregistration with real worker processes (`node --import tsx workers/main.ts`) on the
// real PostgreSQL and Redis, against the HubSpot fake: size, crashes, shutdowns, a Redis that
// restarts empty, HubSpot's 429 storms and 5xx, several processes and portals at once. Each
// ends with every registration deregistered exactly once (the audit rows prove it), every
// contact saying so in HubSpot, and the job's record complete.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { getDeregistrationJob } from '../server/deregistrations/get-deregistration-job.js';
import { requestDeregistration } from '../server/deregistrations/request-deregistration.js';
import { getCapacity } from '../server/registrations/get-capacity.js';
import { contactStatuses, deregistrationAuditCounts, startDeregistrationRig, type DeregistrationRig, type PortalWithRegistrations } from './support/deregistration-rig.js';
import { startOwnRedis, type OwnRedis } from './support/redis-server.js';

// Time compressed: a dead worker's step is taken over after 2 s, the sweeper looks every 0.5 s.
// The webhook sweeper is kept out of the way: this file's queues hold only deregistrations.
const FAST = { JOB_LOCK_MS: '2000', DEREGISTRATION_SWEEP_AFTER_MS: '1000', WEBHOOK_SWEEP_AFTER_MS: '86400000', LOG_LEVEL: 'silent' };
const LONG_POLL = { timeout: 90_000, interval: 100 };

let rig: DeregistrationRig | undefined;
let redis: OwnRedis | undefined;
let workerProcesses: ChildProcess[] = [];

afterEach(async () => {
  for (const child of workerProcesses) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  workerProcesses = [];
  await rig?.stop();
  await redis?.stop();
  rig = undefined;
  redis = undefined;
});

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  workerProcesses.push(child);
  return child;
}

async function deregisterAll(app: DeregistrationRig, portalId: number) {
  return (await requestDeregistration(app, { portalId, selection: { kind: 'all' }, requestedBy: 'jane@agency.example', channel: 'capacity_manager' })).job;
}

async function chunkStates(app: DeregistrationRig, jobId: string): Promise<string> {
  const chunks = await app.db.deregistrationJobChunk.findMany({ where: { jobId }, orderBy: { chunkIndex: 'asc' } });
  return chunks.map((chunk) => chunk.state[0]).join('');
}

const batchUpdates = (app: DeregistrationRig, portalId: number) => app.hubspotRig.fake.requests.all({ portalId }).filter((request) => request.path.endsWith('/batch/update'));

/** The job completed, each registration deregistered by it exactly once, each contact told. */
async function expectDeregisteredExactlyOnce(app: DeregistrationRig, portal: PortalWithRegistrations, jobId: string) {
  await expect.poll(async () => (await getDeregistrationJob(app.db, { portalId: portal.portalId, jobId }))?.status, LONG_POLL).toBe('completed');
  const total = portal.registrationIds.length;
  expect(await getDeregistrationJob(app.db, { portalId: portal.portalId, jobId })).toMatchObject({ total, done: total, failed: 0, error: null });
  expect(await chunkStates(app, jobId)).toBe('w'.repeat(Math.ceil(total / 100)));
  const audit = await deregistrationAuditCounts(app.db, portal.portalId);
  expect(audit.size).toBe(total);
  expect([...audit.values()].filter((count) => count !== 1)).toEqual([]);
  const registrations = await app.db.registration.findMany({ where: { portalId: BigInt(portal.portalId) } });
  expect(registrations.filter((registration) => registration.status !== 'deregistered' || registration.deregistrationJobId !== jobId)).toEqual([]);
  expect(await getCapacity(app.db, { portalId: portal.portalId })).toMatchObject({ used: 0 });
  expect(contactStatuses(app, portal.portalId, portal.contactIds).filter((status) => status !== 'deregistered')).toEqual([]);
}

/** 1,000 domains on one worker process, HubSpot slow, until the chunks' states match `stage`. */
async function jobUnderWay(stage: RegExp) {
  rig = await startDeregistrationRig({ env: FAST });
  const app = rig;
  const portal = await app.portalWithRegistrations(1000);
  app.hubspotRig.fake.faults.setLatency(400);
  const first = startWorkerProcess(app.env);
  const job = await deregisterAll(app, portal.portalId);
  await expect.poll(() => chunkStates(app, job.id), { ...LONG_POLL, interval: 10 }).toMatch(stage);
  return { app, portal, job, first };
}

describe('bulk deregistration on worker processes', () => {
  it('deregisters 1,000 domains in 10 chunks, one batch update each, with progress visible while it runs', async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const portal = await rig.portalWithRegistrations(1000);
    rig.hubspotRig.fake.faults.setLatency(250);
    startWorkerProcess(rig.env);
    const job = await deregisterAll(rig, portal.portalId);
    expect(job).toMatchObject({ status: 'queued', total: 1000, done: 0 });

    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          const current = await getDeregistrationJob(rig!.db, { portalId: portal.portalId, jobId: job.id });
          seen.add(current!.done);
          return current!.status;
        },
        { ...LONG_POLL, interval: 20 },
      )
      .toBe('completed');
    expect([...seen].some((done) => done > 0 && done < 1000)).toBe(true);
    await expectDeregisteredExactlyOnce(rig, portal, job.id);
    const calls = batchUpdates(rig, portal.portalId);
    expect(calls).toHaveLength(10);
    expect(calls.every((call) => (call.body as { inputs: unknown[] }).inputs.length === 100)).toBe(true);
  });

  it('resumes where a worker process killed with SIGKILL stopped: nothing twice, nothing skipped', async () => {
    // Killed once a chunk is written while others' registrations are deregistered and their HubSpot writes in flight.
    const { app, portal, job, first } = await jobUnderWay(/w.*d|d.*w/);
    const exited = once(first, 'exit');
    first.kill('SIGKILL');
    await exited;
    // The kill landed before the job's end: chunks remain deregistered-but-not-written or
    // untouched (which of the two depends on how far the HubSpot calls in flight got).
    expect(await chunkStates(app, job.id)).toMatch(/[dp]/);
    startWorkerProcess(app.env);
    await expectDeregisteredExactlyOnce(app, portal, job.id);
  });

  it('on SIGTERM finishes the chunks in hand and exits; another worker process finishes the job', async () => {
    const { app, portal, job, first } = await jobUnderWay(/d/);
    const exited = once(first, 'exit');
    first.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    const whenStopped = await chunkStates(app, job.id);
    expect(whenStopped).not.toMatch(/d/);
    expect(whenStopped).toMatch(/^w+p+$/);
    startWorkerProcess(app.env);
    await expectDeregisteredExactlyOnce(app, portal, job.id);
  });

  it('loses nothing when Redis stops and restarts empty mid-job', async () => {
    redis = await startOwnRedis();
    rig = await startDeregistrationRig({ env: { ...FAST, REDIS_URL: redis.url } });
    const portal = await rig.portalWithRegistrations(2000);
    rig.hubspotRig.fake.faults.setLatency(300);
    startWorkerProcess(rig.env);
    const job = await deregisterAll(rig, portal.portalId);
    await expect.poll(() => chunkStates(rig!, job.id), { ...LONG_POLL, interval: 10 }).toMatch(/w/);
    await redis.stop();
    await sleep(1500);
    // Stuck mid-job while Redis is away: chunks waiting for HubSpot (the rate limiter lives in Redis) or not started.
    expect(await chunkStates(rig, job.id)).toMatch(/[dp]/);
    await redis.start();
    await expectDeregisteredExactlyOnce(rig, portal, job.id);
  });

  it('backs off through 429 storms and 5xx answers, and finishes without failures', async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const portal = await rig.portalWithRegistrations(500);
    startWorkerProcess(rig.env);
    await sleep(2000);
    rig.hubspotRig.fake.faults.rateLimitStorm(2000);
    rig.hubspotRig.fake.faults.failNext(4, { status: 503 });
    const job = await deregisterAll(rig, portal.portalId);
    await expectDeregisteredExactlyOnce(rig, portal, job.id);
    const calls = rig.hubspotRig.fake.requests.all({ portalId: portal.portalId, kind: 'crm' });
    expect(calls.some((call) => call.status === 429)).toBe(true);
    expect(calls.some((call) => call.status === 503)).toBe(true);
  });

  it("runs several portals' jobs on two worker processes at once; a huge, rate-limited job holds up no other portal", async () => {
    // 20 calls per 10 s per portal, of which the bulk lane may fill 14 (the install's property
    // calls count too): the huge job's 20 batch updates need two windows; the small jobs fit in
    // their own portals' first.
    rig = await startDeregistrationRig({ env: { ...FAST, HUBSPOT_REQUESTS_PER_10S: '20' } });
    const huge = await rig.portalWithRegistrations(2000);
    const small = [await rig.portalWithRegistrations(100), await rig.portalWithRegistrations(250)];
    rig.hubspotRig.fake.faults.setLatency(100);
    startWorkerProcess(rig.env);
    startWorkerProcess(rig.env);
    const hugeJob = await deregisterAll(rig, huge.portalId);
    await expect.poll(() => chunkStates(rig!, hugeJob.id), LONG_POLL).toMatch(/w/);
    const smallJobs = [await deregisterAll(rig, small[0]!.portalId), await deregisterAll(rig, small[1]!.portalId)];

    for (const [index, portal] of small.entries()) await expectDeregisteredExactlyOnce(rig, portal, smallJobs[index]!.id);
    expect(await chunkStates(rig, hugeJob.id)).toMatch(/p/);
    await expectDeregisteredExactlyOnce(rig, huge, hugeJob.id);
    // Both processes together kept the huge job's portal within its bulk share.
    expect(rig.hubspotRig.fake.requests.peakInWindow(huge.portalId, { windowMs: 10_000 })).toBeLessThanOrEqual(14);
    expect(rig.hubspotRig.fake.requests.all({ portalId: huge.portalId, kind: 'crm' }).some((call) => call.status === 429)).toBe(false);
  });
});
