// The waitlist served by real worker processes (`node --import tsx workers/main.ts`) on the real
// PostgreSQL and Redis, against the HubSpot fake: a partner's bulk deregistration releases its
// domains, and each goes to the first partner waiting with room — once, whatever the number of
// workers, and after a worker is killed mid-serve. The audit rows prove each hand-over happened
// once; the fake's contacts show what was written back.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { requestDeregistration } from '../server/deregistrations/request-deregistration.js';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { joinWaitlist } from '../server/waitlist/join-waitlist.js';
import { startDeregistrationRig, type DeregistrationRig } from './support/deregistration-rig.js';

// Time compressed: a dead worker's job is taken over after 2 s, the sweeper looks every second.
const FAST = { JOB_LOCK_MS: '2000', DEREGISTRATION_SWEEP_AFTER_MS: '1000', WEBHOOK_SWEEP_AFTER_MS: '2000', LOG_LEVEL: 'silent' };
const LONG_POLL = { timeout: 150_000, interval: 200 };
/** Worker processes take seconds to start on a busy machine. */
const SLOW = { timeout: 300_000 };

let rig: DeregistrationRig | undefined;
let workerProcesses: ChildProcess[] = [];

afterEach(async () => {
  for (const child of workerProcesses) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  workerProcesses = [];
  await rig?.stop();
  rig = undefined;
});

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  // PC_WORKER_LOGS=<file>: the workers' logs (info) go there, for a failure to be read.
  const logs = process.env.PC_WORKER_LOGS ? openSync(process.env.PC_WORKER_LOGS, 'a') : 'ignore';
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { ...process.env, ...env, ...(logs === 'ignore' ? {} : { LOG_LEVEL: 'info' }) },
    stdio: ['ignore', logs, logs],
  });
  workerProcesses.push(child);
  return child;
}

interface Waiter {
  portalId: number;
  /** Contact id per domain. */
  contacts: Map<string, string>;
}

/** A partner with a contact for each domain in HubSpot, waiting for each (in the order called). */
async function waiterFor(app: DeregistrationRig, domains: string[], { limitOverride, company }: { limitOverride?: number; company?: string } = {}): Promise<Waiter> {
  const { portalId } = await app.portalWithRegistrations(0, { limitOverride });
  const seeded = app.hubspotRig.fake.contacts.seed(
    portalId,
    domains.map((domain) => ({ website: `https://www.${domain}/`, company: company ?? `Company of ${domain}`, firstname: 'Wait' })),
  );
  const contacts = new Map(domains.map((domain, n) => [domain, seeded[n]!.id]));
  for (const domain of domains) {
    const joined = await joinWaitlist(app.db, { portalId, domain, contactId: contacts.get(domain)!, joinedBy: `partner@${portalId}.example`, queuePrefix: app.queues.prefix });
    expect(joined.ok).toBe(true);
  }
  return { portalId, contacts };
}

async function releaseAll(app: DeregistrationRig, portalId: number) {
  return (await requestDeregistration(app, { portalId, selection: { kind: 'all' }, requestedBy: 'owner@holder.example', channel: 'capacity_manager' })).job;
}

async function auditCount(app: DeregistrationRig, action: string, portalId?: number): Promise<Map<string, number>> {
  const rows = await app.db.auditEvent.groupBy({
    by: ['domain'],
    where: { action: action as never, ...(portalId ? { portalId: BigInt(portalId) } : {}) },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.domain!, row._count._all]));
}

const statusOf = (app: DeregistrationRig, portalId: number, contactId: string) => app.hubspotRig.fake.contacts.get(portalId, contactId)?.properties;

/** Each domain held once, by `waiter`, from the waitlist, audited once, and its contact told in HubSpot. */
async function expectServedOnce(app: DeregistrationRig, domains: string[], waiter: Waiter) {
  await expect.poll(() => app.db.registration.count({ where: { portalId: BigInt(waiter.portalId), status: 'active' } }), LONG_POLL).toBe(domains.length);
  const active = await app.db.registration.findMany({ where: { domain: { in: domains }, status: 'active' } });
  expect(active).toHaveLength(domains.length);
  expect(active.every((registration) => registration.portalId === BigInt(waiter.portalId) && registration.channel === 'waitlist')).toBe(true);
  const assigned = await auditCount(app, 'waitlist_assigned', waiter.portalId);
  expect(domains.filter((domain) => assigned.get(domain) !== 1)).toEqual([]);
  const created = await app.db.auditEvent.count({ where: { portalId: BigInt(waiter.portalId), action: 'registration_created' } });
  expect(created).toBe(domains.length);
  expect(await app.db.waitlistEntry.count({ where: { portalId: BigInt(waiter.portalId), status: 'assigned' } })).toBe(domains.length);
  await expect
    .poll(() => domains.filter((domain) => statusOf(app, waiter.portalId, waiter.contacts.get(domain)!)?.[APP_PROPERTIES.status] !== 'registered'), LONG_POLL)
    .toEqual([]);
}

describe('the waitlist on worker processes', () => {
  it("hands a released domain to the waiting partner: channel waitlist, the contact's website and company as HubSpot holds them then, written back", SLOW, async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const holder = await rig.portalWithRegistrations(1);
    const domain = holder.domains[0]!;
    const waiter = await waiterFor(rig, [domain], { company: 'Before AB' });
    const contactId = waiter.contacts.get(domain)!;
    // The contact changes in HubSpot while it waits: the registration takes it as it is at the hand-over.
    rig.hubspotRig.fake.contacts.update(waiter.portalId, contactId, { website: `https://${domain}/en/about`, company: 'After AB', country: 'Norway' });
    startWorkerProcess(rig.env);
    await releaseAll(rig, holder.portalId);

    await expectServedOnce(rig, [domain], waiter);
    const [registration] = await rig.db.registration.findMany({ where: { portalId: BigInt(waiter.portalId) } });
    expect(registration).toMatchObject({
      domain,
      website: `https://${domain}/en/about`,
      companyName: 'After AB',
      country: 'Norway',
      contactId,
      registeredBy: `partner@${waiter.portalId}.example`,
    });
    expect(statusOf(rig, waiter.portalId, contactId)).toMatchObject({
      [APP_PROPERTIES.status]: 'registered',
      [APP_PROPERTIES.registeredDomain]: domain,
      [APP_PROPERTIES.registeredAt]: registration!.registeredAt.toISOString(),
    });
    // The holder's contact says it is deregistered.
    await expect.poll(() => statusOf(rig!, holder.portalId, holder.contactIds[0]!)?.[APP_PROPERTIES.status], LONG_POLL).toBe('deregistered');
  });

  it('skips a waiting partner without room (told on its contact, keeps its place) and serves the next', SLOW, async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const holder = await rig.portalWithRegistrations(3);
    const full = await waiterFor(rig, holder.domains, { limitOverride: 0 });
    const next = await waiterFor(rig, holder.domains);
    startWorkerProcess(rig.env);
    await releaseAll(rig, holder.portalId);

    await expectServedOnce(rig, holder.domains, next);
    const entries = await rig.db.waitlistEntry.findMany({ where: { portalId: BigInt(full.portalId) } });
    expect(entries.map((entry) => [entry.status, entry.skipCount])).toEqual(holder.domains.map(() => ['waiting', 1]));
    const skipped = await auditCount(rig, 'waitlist_skipped', full.portalId);
    expect(holder.domains.map((domain) => skipped.get(domain))).toEqual([1, 1, 1]);
    await expect
      .poll(() => holder.domains.map((domain) => statusOf(rig!, full.portalId, full.contacts.get(domain)!)?.[APP_PROPERTIES.refusalReason] ?? ''), LONG_POLL)
      .toEqual(holder.domains.map(() => expect.stringContaining('your capacity was full (0 of 0 domains registered). You keep your place in line')));
    expect(await rig.db.registration.count({ where: { portalId: BigInt(full.portalId) } })).toBe(0);
  });

  it('serves each domain exactly once with two worker processes racing', SLOW, async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const holder = await rig.portalWithRegistrations(60);
    const full = await waiterFor(rig, holder.domains, { limitOverride: 0 });
    const first = await waiterFor(rig, holder.domains);
    const second = await waiterFor(rig, holder.domains);
    rig.hubspotRig.fake.faults.setLatency(30);
    startWorkerProcess(rig.env);
    startWorkerProcess(rig.env);
    await releaseAll(rig, holder.portalId);
    // Several serve jobs run while the chunks release the domains: two workers at once.
    await expectServedOnce(rig, holder.domains, first);
    const skipped = await auditCount(rig, 'waitlist_skipped', full.portalId);
    expect(holder.domains.filter((domain) => skipped.get(domain) !== 1)).toEqual([]);
    expect(await rig.db.waitlistEntry.count({ where: { portalId: BigInt(second.portalId), status: 'waiting', skipCount: 0 } })).toBe(60);
    expect(await rig.db.registration.count({ where: { portalId: BigInt(second.portalId) } })).toBe(0);
  });

  it('a worker process killed with SIGKILL mid-serve: another finishes, each domain handed over once', SLOW, async () => {
    rig = await startDeregistrationRig({ env: FAST });
    const holder = await rig.portalWithRegistrations(40);
    const waiter = await waiterFor(rig, holder.domains);
    const app = rig;
    const first = startWorkerProcess(app.env);
    await releaseAll(app, holder.portalId);
    // Slow HubSpot reads: the serve goes domain by domain, and is killed part-way.
    app.hubspotRig.fake.faults.setLatency(250);
    await expect.poll(() => app.db.registration.count({ where: { portalId: BigInt(waiter.portalId) } }), { ...LONG_POLL, interval: 20 }).toBeGreaterThan(0);
    const exited = once(first, 'exit');
    first.kill('SIGKILL');
    await exited;
    const servedWhenKilled = await app.db.registration.count({ where: { portalId: BigInt(waiter.portalId) } });
    expect(servedWhenKilled).toBeLessThan(40);
    app.hubspotRig.fake.faults.setLatency(0);
    startWorkerProcess(app.env);
    await expectServedOnce(app, holder.domains, waiter);
  });
});
