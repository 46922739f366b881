// Faults on the webhook path: a Redis restart mid-stream, a worker process killed mid-batch,
// HubSpot answering 429s and 5xx. Each ends with every event processed exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { updatePortalSettings } from '../server/portals/change-portal.js';
import { startAppRig, type AppRig } from './support/app-rig.js';
import { startOwnRedis, type OwnRedis } from './support/redis-server.js';

const FAST_RECOVERY = { WEBHOOK_SWEEP_AFTER_MS: '1500', JOB_LOCK_MS: '2000' };
const LONG_POLL = { timeout: 90_000, interval: 100 };

let app: AppRig | undefined;
let redis: OwnRedis | undefined;
let workerProcesses: ChildProcess[] = [];

afterEach(async () => {
  for (const child of workerProcesses) if (child.exitCode === null) child.kill('SIGKILL');
  workerProcesses = [];
  await app?.stopAll();
  await redis?.stop();
  app = undefined;
  redis = undefined;
});

async function autoRegisteringPortal(rig: AppRig) {
  const portalId = await rig.installPortal({ tier: 'diamond' });
  await updatePortalSettings(rig.db, { portalId, settings: { autoRegisterNewContacts: true }, actor: 'test' });
  return portalId;
}

// Domains carry the portal id: the tests of this file share one database, and in the program's
// default exclusive mode a domain another test's portal holds would be refused (DOMAIN_HELD).
function createContacts(rig: AppRig, portalId: number, from: number, count: number) {
  return Array.from({ length: count }, (_, n) => {
    const domain = `f${from + n}-p${portalId}.com`;
    return rig.fake.contacts.create(portalId, { email: `c${from + n}@${domain}`, website: domain });
  });
}

/** Each contact registered exactly once, the outcome written back to every one, every event processed. */
async function expectEachRegisteredOnce(rig: AppRig, portalId: number, contactIds: string[]) {
  await expect
    .poll(() => contactIds.filter((id) => rig.fake.contacts.get(portalId, id)?.properties[APP_PROPERTIES.status] === 'registered').length, LONG_POLL)
    .toBe(contactIds.length);
  const portal = BigInt(portalId);
  // A job the dead worker held is taken over later; taking it over must change nothing.
  await expect.poll(() => rig.db.webhookEvent.count({ where: { portalId: portal, processedAt: null } }), LONG_POLL).toBe(0);
  expect(await rig.db.registration.count({ where: { portalId: portal } })).toBe(contactIds.length);
  expect(await rig.db.auditEvent.count({ where: { portalId: portal, action: 'registration_created' } })).toBe(contactIds.length);
}

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  workerProcesses.push(child);
  return child;
}

// Each test starts worker processes (and some a Redis of their own) while the rest of the suite
// runs beside it: their polls wait up to 90 s, and the test as long as its polls.
describe('webhook processing survives faults', { timeout: 180_000 }, () => {
  it('processes every event exactly once when Redis stops and restarts empty mid-stream', async () => {
    redis = await startOwnRedis();
    app = await startAppRig({ env: { REDIS_URL: redis.url, ...FAST_RECOVERY } });
    const portalId = await autoRegisteringPortal(app);
    const first = createContacts(app, portalId, 0, 40);
    await expect.poll(() => app!.db.registration.count({ where: { portalId: BigInt(portalId) } }), LONG_POLL).toBeGreaterThan(5);
    await redis.stop();
    const during = createContacts(app, portalId, 40, 40);
    await app.fake.webhooks.idle();
    // Long enough for every client's retries to give up: what was queued in Redis is gone.
    await sleep(3000);
    expect(await app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: null } })).toBeGreaterThan(0);
    await redis.start();
    const after = createContacts(app, portalId, 80, 20);
    await expectEachRegisteredOnce(
      app,
      portalId,
      [...first, ...during, ...after].map((contact) => contact.id),
    );
  });

  it('processes every event exactly once when a worker process is killed mid-batch and another started', async () => {
    app = await startAppRig({ withWorkers: false, env: FAST_RECOVERY });
    const portalId = await autoRegisteringPortal(app);
    // One job at a time, each slowed by HubSpot's answers: the kill lands with work left.
    app.fake.faults.setLatency(200);
    const first = startWorkerProcess({ ...app.env, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '1' });
    const contacts = createContacts(app, portalId, 0, 150);
    await expect.poll(() => app!.db.registration.count({ where: { portalId: BigInt(portalId) } }), LONG_POLL).toBeGreaterThan(0);
    const exited = once(first, 'exit');
    first.kill('SIGKILL');
    await exited;
    expect(await app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: null } })).toBeGreaterThan(0);
    app.fake.faults.setLatency(0);
    startWorkerProcess({ ...app.env, LOG_LEVEL: 'silent' });
    await expectEachRegisteredOnce(
      app,
      portalId,
      contacts.map((contact) => contact.id),
    );
  });

  it('backs off through 429 storms and 5xx answers, finishes, and stays within the rate limit', async () => {
    app = await startAppRig({ env: FAST_RECOVERY });
    const portalId = await autoRegisteringPortal(app);
    app.fake.faults.rateLimitStorm(1500);
    app.fake.faults.failNext(6, { status: 503 });
    const contacts = createContacts(app, portalId, 0, 60);
    await expectEachRegisteredOnce(
      app,
      portalId,
      contacts.map((contact) => contact.id),
    );
    const calls = app.fake.requests.all({ portalId, kind: 'crm' });
    expect(calls.some((call) => call.status === 429)).toBe(true);
    expect(calls.some((call) => call.status === 503)).toBe(true);
    expect(app.fake.requests.peakInWindow(portalId, { windowMs: 10_000 })).toBeLessThanOrEqual(110);
  });
});
