// Claim expiry on real worker processes (`node --import tsx workers/main.ts`) over the real
// PostgreSQL and Redis, against the HubSpot fake: expired claims end through deregistration jobs
// (reason expired, written back, capacity freed), once each however many workers run and
// wherever one is killed; reminders become HubSpot tasks for the registering user, or say why not.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCapacity } from '../server/registrations/get-capacity.js';
import { contactStatuses, deregistrationAuditCounts, startDeregistrationRig, type DeregistrationRig, type PortalWithRegistrations } from './support/deregistration-rig.js';
import { TEST_APP_ID } from './support/hubspot.js';

// Time compressed: a run every 300 ms, a dead worker's job taken over after 2 s.
const FAST = {
  JOB_LOCK_MS: '2000',
  CLAIM_EXPIRY_EVERY_MS: '300',
  DEREGISTRATION_SWEEP_AFTER_MS: '1000',
  WEBHOOK_SWEEP_AFTER_MS: '86400000',
  LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent',
};
const LONG_POLL = { timeout: 180_000, interval: 100 };
// Worker processes compile the sources with tsx at start: seconds on a busy machine.
vi.setConfig({ testTimeout: 420_000 });

let rig: DeregistrationRig | undefined;
let workerProcesses: ChildProcess[] = [];

afterEach(async () => {
  for (const child of workerProcesses) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  workerProcesses = [];
  await rig?.stop();
  rig = undefined;
});

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { ...process.env, ...env },
    stdio: process.env.SHOW_WORKERS ? ['ignore', openSync(process.env.SHOW_WORKERS, 'a'), openSync(process.env.SHOW_WORKERS, 'a')] : 'ignore',
  });
  workerProcesses.push(child);
  if (process.env.SHOW_WORKERS) writeFileSync(`${process.env.SHOW_WORKERS}.env`, JSON.stringify(env));
  if (process.env.SHOW_WORKERS) child.on('exit', (code, signal) => console.error('worker exited', code, signal));
  return child;
}

/** A portal whose first `expired` registrations expired a minute ago; the rest expire in 60 days. */
async function portalWithExpiredClaims(app: DeregistrationRig, count: number, expired: number): Promise<PortalWithRegistrations & { expiredIds: string[] }> {
  const portal = await app.portalWithRegistrations(count);
  const expiredIds = portal.registrationIds.slice(0, expired);
  await app.db.$executeRaw`
    UPDATE registrations SET expires_at = CASE WHEN id = ANY(${expiredIds.map(BigInt)}::bigint[]) THEN now() - interval '1 minute' ELSE now() + interval '60 days' END
    WHERE portal_id = ${BigInt(portal.portalId)}`;
  return { ...portal, expiredIds };
}

/** Every expired claim ended once, by one expiry job, audited expired; the others untouched and told nothing. */
async function expectExpiredExactlyOnce(app: DeregistrationRig, portal: PortalWithRegistrations & { expiredIds: string[] }) {
  const expired = new Set(portal.expiredIds);
  await expect.poll(async () => await app.db.registration.count({ where: { portalId: BigInt(portal.portalId), status: 'deregistered' } }), LONG_POLL).toBe(expired.size);
  const expiredContacts = portal.contactIds.filter((_, n) => expired.has(portal.registrationIds[n]!));
  await expect.poll(() => contactStatuses(app, portal.portalId, expiredContacts).filter((status) => status !== 'deregistered'), LONG_POLL).toEqual([]);
  const audit = await deregistrationAuditCounts(app.db, portal.portalId);
  expect([...audit.keys()].sort()).toEqual([...expired].sort());
  expect([...audit.values()].filter((count) => count !== 1)).toEqual([]);
  const reasons = await app.db.auditEvent.findMany({ where: { portalId: BigInt(portal.portalId), action: 'registration_deregistered' } });
  expect(reasons.filter((event) => (event.details as { reason?: string }).reason !== 'expired' || event.actor !== 'claim expiry')).toEqual([]);
  // No registration is an item of two jobs: nothing was doubled, even where a job was cut short.
  const items = await app.db.$queryRaw<{ registration_id: string; n: number }[]>`
    SELECT item.registration_id::text, count(*)::int AS n FROM deregistration_job_items item JOIN deregistration_jobs job ON job.id = item.job_id
    WHERE job.portal_id = ${BigInt(portal.portalId)} GROUP BY 1`;
  expect(items.filter((item) => item.n !== 1)).toEqual([]);
  expect(items.length).toBe(expired.size);
  const unfinished = () => app.db.deregistrationJob.findMany({ where: { portalId: BigInt(portal.portalId), NOT: { channel: 'expiry', status: 'completed' } } });
  await expect.poll(unfinished, LONG_POLL).toEqual([]);
  expect(await getCapacity(app.db, { portalId: portal.portalId })).toMatchObject({ used: portal.registrationIds.length - expired.size });
  const kept = portal.contactIds.filter((_, n) => !expired.has(portal.registrationIds[n]!));
  expect(contactStatuses(app, portal.portalId, kept).filter((status) => status !== 'registered')).toEqual([]);
}

describe('claim expiry on worker processes', () => {
  it('ends expired claims through deregistration jobs: reason expired, written back to HubSpot, capacity freed; claims not due stay', async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const portal = await portalWithExpiredClaims(rig, 30, 12);
    startWorkerProcess(rig.env);
    await expectExpiredExactlyOnce(rig, portal);
  });

  it('two worker processes: each expired claim of several portals ends exactly once', async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const app = rig;
    const portals = [];
    for (let n = 0; n < 4; n += 1) portals.push(await portalWithExpiredClaims(app, 260, 230));
    startWorkerProcess(app.env);
    startWorkerProcess(app.env);
    for (const portal of portals) await expectExpiredExactlyOnce(app, portal);
  });

  it('a worker SIGKILLed during an expiry run: another takes over, nothing lost or doubled', async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const app = rig;
    const portals = [];
    for (let n = 0; n < 6; n += 1) portals.push(await portalWithExpiredClaims(app, 400, 350));
    app.hubspotRig.fake.faults.setLatency(300);
    const first = startWorkerProcess(app.env);
    // Killed once the run has recorded some jobs and before they are all done.
    await expect.poll(() => app.db.deregistrationJob.count({ where: { channel: 'expiry' } }), { ...LONG_POLL, interval: 5 }).toBeGreaterThan(0);
    const exited = once(first, 'exit');
    first.kill('SIGKILL');
    await exited;
    expect(await app.db.registration.count({ where: { status: 'active', expiresAt: { lte: new Date() } } })).toBeGreaterThan(0);
    app.hubspotRig.fake.faults.setLatency(0);
    startWorkerProcess(app.env);
    for (const portal of portals) await expectExpiredExactlyOnce(app, portal);
  });
});

describe('expiry reminders', () => {
  it('creates a task on the contact for the user who registered it, due at expiry, once; without the owners scope records no_scope and sends nothing', async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const app = rig;
    const fake = app.hubspotRig.fake;
    const withScope = await app.portalWithRegistrations(2);
    const withoutScope = await app.portalWithRegistrations(1);
    // The first portal granted the optional owners scope at install.
    const scopes = [...app.config.HUBSPOT_SCOPES.split(' '), 'crm.objects.owners.read'];
    const tokens = fake.installs.install(TEST_APP_ID, withScope.portalId, { scopes });
    await app.hubspot.installs.save(
      withScope.portalId,
      { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresIn: tokens.expires_in },
      { hubDomain: null, installedBy: 'test', scopes },
    );
    const owner = fake.owners.add(withScope.portalId, { email: 'jane@agency.example' });
    // Claimed 30 days ago, expiring in 2 days (past the 14- and 3-day thresholds: one reminder, for 3).
    await app.db.$executeRaw`
      UPDATE registrations SET registered_by = 'jane@agency.example', registered_at = now() - interval '30 days', expires_at = now() + interval '2 days'
      WHERE portal_id IN (${BigInt(withScope.portalId)}, ${BigInt(withoutScope.portalId)})`;
    await app.db.$executeRaw`UPDATE registrations SET expires_at = now() + interval '40 days' WHERE id = ${BigInt(withScope.registrationIds[1]!)}`;
    startWorkerProcess(app.env);

    await expect.poll(() => fake.tasks.list(withScope.portalId).length, LONG_POLL).toBe(1);
    const [task] = fake.tasks.list(withScope.portalId);
    expect(task).toMatchObject({
      contactIds: [withScope.contactIds[0]],
      properties: { hubspot_owner_id: owner.id, hs_task_subject: expect.stringContaining(withScope.domains[0]!) },
    });
    const expiresAt = (await app.db.registration.findUniqueOrThrow({ where: { id: BigInt(withScope.registrationIds[0]!) } })).expiresAt!;
    expect(task!.properties.hs_timestamp).toBe(expiresAt.toISOString());

    await expect
      .poll(async () => (await app.db.expiryReminder.findMany({ where: { registrationId: BigInt(withoutScope.registrationIds[0]!) } })).map((row) => row.outcome), LONG_POLL)
      .toEqual(['no_scope']);
    expect(fake.tasks.list(withoutScope.portalId)).toEqual([]);
    const audited = await app.db.auditEvent.findMany({ where: { action: 'expiry_reminder_sent' }, orderBy: { id: 'asc' } });
    expect(
      audited
        .map((event) => [Number(event.portalId), (event.details as { outcome: string; daysBefore: number }).outcome, (event.details as { daysBefore: number }).daysBefore])
        .sort(),
    ).toEqual(
      [
        [withScope.portalId, 'task_created', 3],
        [withoutScope.portalId, 'no_scope', 3],
      ].sort(),
    );
    // Runs go on every 300 ms: still one task, one reminder row each.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.tasks.list(withScope.portalId)).toHaveLength(1);
    expect(await app.db.expiryReminder.count()).toBe(2);
  });
});
