// The program console's program pages over HTTP, with an operator signed in through HubSpot's
// OAuth (the fake): the program settings with their preview, conflicts and their resolution,
// the longest waitlists, and HubSpot usage per portal. Each change needs the session's CSRF
// token (without it: refused, nothing changed), invalid input is refused, and every change is
// audited with the operator's email. Answers are parsed with the contract's strict schemas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../start-server.js';
import { newPortalId } from '../../test/support/database.js';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { startTestServer } from '../../test/support/server.js';
import {
  conflictListSchema,
  conflictResolutionAnswerSchema,
  conflictResolveAllAnswerSchema,
  hubspotUsageSchema,
  programSettingsAnswerSchema,
  programSettingsPreviewSchema,
  waitlistListSchema,
} from './console-contract.js';
import { signInAsOperator, type OperatorTestSession } from './testing/operator-sign-in.js';

const OPERATOR = 'admin@ops-program.example';
let rig: DeregistrationRig;
let server: RunningServer;
let operator: OperatorTestSession;

beforeAll(async () => {
  rig = await startDeregistrationRig({ env: { OPERATOR_EMAILS: OPERATOR } });
  server = await startTestServer(rig.env);
  const operatorPortal = newPortalId();
  rig.hubspotRig.fake.accounts.create({ portalId: operatorPortal, domain: 'ops-program.example' });
  operator = await signInAsOperator(server.url, operatorPortal);
});
afterAll(async () => {
  await server?.close();
  await rig?.stop();
});

/** A change sent with the session cookie but without the CSRF token, as a forged form would. */
function withoutCsrf(path: string, method: 'POST' | 'PATCH', body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method, headers: { cookie: operator.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Arrangement: an active registration of `domain` for `portalId`, made `daysAgo` days ago (as before exclusive claims). */
async function holdDomain(portalId: number, domain: string, daysAgo: number): Promise<void> {
  await rig.db.$executeRaw`
    INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel, registered_at)
    VALUES (${BigInt(portalId)}, ${domain}, ${`https://${domain}`}, ${`held-${portalId}`}, ${domain}, 'test', 'operator', now() - make_interval(days => ${daysAgo}))`;
}

const settingsAudit = () => rig.db.programAuditEvent.findMany({ where: { action: 'program_settings_changed' }, orderBy: { id: 'asc' } });

describe('program settings', () => {
  it('shows the settings; previews a change without making it; refuses it without the CSRF token or invalid; saves it audited with the operator email', async () => {
    const shown = programSettingsAnswerSchema.parse(await (await operator.fetch('/api/console/program-settings')).json());
    expect(shown.settings).toEqual({ claimMode: 'exclusive', claimPeriodDays: null, claimPeriodDaysByTier: {}, reminderDays: [14, 3], renewalsAllowed: 2, inactivityDays: 90 });

    const { portalId } = await rig.portalWithRegistrations(3);
    const claims = () => rig.db.registration.findMany({ where: { portalId: BigInt(portalId), status: 'active' } });
    const change = { claimPeriodDays: 30, claimPeriodDaysByTier: { diamond: 365 }, reminderDays: [7, 21] };
    const preview = programSettingsPreviewSchema.parse(await (await operator.fetch('/api/console/program-settings/preview', { method: 'POST', body: change })).json());
    expect(preview.settings).toMatchObject({ claimPeriodDays: 30, claimPeriodDaysByTier: { diamond: 365 }, reminderDays: [21, 7] });
    expect(preview.claimsGettingExpiry).toBe(await rig.db.registration.count({ where: { status: 'active' } }));
    // Never sooner than 14 days from now.
    expect(Date.parse(preview.earliestNewExpiry!) - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    expect((await claims()).every((claim) => claim.expiresAt === null)).toBe(true);

    for (const [path, method] of [
      ['/api/console/program-settings', 'PATCH'],
      ['/api/console/program-settings/preview', 'POST'],
    ] as const) {
      expect((await withoutCsrf(path, method, change)).status, path).toBe(403);
    }
    for (const body of [
      {},
      { claimMode: 'open' },
      { claimPeriodDays: 0 },
      { claimPeriodDays: 1.5 },
      { claimPeriodDaysByTier: { bronze: 30 } },
      { reminderDays: [1, 2, 3, 4, 5, 6] },
      { renewalsAllowed: -1 },
      { inactivityDays: '90' },
      { somethingElse: true },
    ]) {
      const refused = await operator.fetch('/api/console/program-settings', { method: 'PATCH', body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    }
    // Valid field by field, invalid as a whole: the use case's sentence.
    const twice = await operator.fetch('/api/console/program-settings', { method: 'PATCH', body: { reminderDays: [3, 3] } });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ code: 'INVALID_PROGRAM_SETTINGS', detail: 'Each reminder day may be given once.' });
    expect(programSettingsAnswerSchema.parse(await (await operator.fetch('/api/console/program-settings')).json()).settings).toEqual(shown.settings);
    expect(await settingsAudit()).toEqual([]);

    const saved = programSettingsPreviewSchema.parse(await (await operator.fetch('/api/console/program-settings', { method: 'PATCH', body: change })).json());
    expect(saved.claimsGettingExpiry).toBe(preview.claimsGettingExpiry);
    expect(programSettingsAnswerSchema.parse(await (await operator.fetch('/api/console/program-settings')).json()).settings).toMatchObject(preview.settings);
    // The rig's partners are diamond: 365 days from registration.
    for (const claim of await claims()) expect(claim.expiresAt!.getTime() - claim.registeredAt.getTime()).toBe(365 * 86_400_000);
    const audit = await settingsAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: OPERATOR, details: { before: { claimPeriodDays: null }, after: { claimPeriodDays: 30, reminderDays: [21, 7] } } });
  });
});

describe('conflicts', () => {
  it('switching to exclusive previews the conflicts; lists them with their holders; resolves one for a chosen partner, audited, only with the CSRF token', async () => {
    const shared = await operator.fetch('/api/console/program-settings', { method: 'PATCH', body: { claimMode: 'shared' } });
    expect(shared.status).toBe(200);
    const first = await rig.portalWithRegistrations(1);
    const second = await rig.portalWithRegistrations(0);
    const third = await rig.portalWithRegistrations(0);
    const domain = first.domains[0]!;
    await rig.db.registration.updateMany({ where: { portalId: BigInt(first.portalId) }, data: { registeredAt: new Date(Date.now() - 10 * 86_400_000) } });
    await holdDomain(second.portalId, domain, 5);
    await holdDomain(third.portalId, domain, 2);

    const preview = programSettingsPreviewSchema.parse(
      await (await operator.fetch('/api/console/program-settings/preview', { method: 'POST', body: { claimMode: 'exclusive' } })).json(),
    );
    expect(preview.conflicts).toBe(1);
    expect((await operator.fetch('/api/console/program-settings', { method: 'PATCH', body: { claimMode: 'exclusive' } })).status).toBe(200);

    const listed = conflictListSchema.parse(await (await operator.fetch('/api/console/conflicts')).json());
    expect(listed).toMatchObject({ claimMode: 'exclusive', total: 1 });
    expect(listed.conflicts[0]).toMatchObject({ domain, holders: [{ portalId: first.portalId }, { portalId: second.portalId }, { portalId: third.portalId }] });

    const keepSecond = { domain, keep: { kind: 'portal', portalId: second.portalId } };
    expect((await withoutCsrf('/api/console/conflicts/resolve', 'POST', keepSecond)).status).toBe(403);
    for (const body of [{}, { domain }, { domain, keep: { kind: 'latest' } }, { domain, keep: { kind: 'portal' } }, { domain: '', keep: { kind: 'earliest' } }]) {
      expect((await operator.fetch('/api/console/conflicts/resolve', { method: 'POST', body })).status, JSON.stringify(body)).toBe(400);
    }
    const stranger = await operator.fetch('/api/console/conflicts/resolve', { method: 'POST', body: { domain, keep: { kind: 'portal', portalId: 424242 } } });
    expect(stranger.status).toBe(400);
    expect(await stranger.json()).toMatchObject({ code: 'NOT_A_HOLDER' });
    const noConflict = await operator.fetch('/api/console/conflicts/resolve', { method: 'POST', body: { domain: 'nobody-holds-this.com', keep: { kind: 'earliest' } } });
    expect(noConflict.status).toBe(404);
    expect(await rig.db.deregistrationJob.count({ where: { channel: 'conflict_resolution' } })).toBe(0);

    const resolved = conflictResolutionAnswerSchema.parse(await (await operator.fetch('/api/console/conflicts/resolve', { method: 'POST', body: keepSecond })).json());
    expect(resolved.kept.portalId).toBe(second.portalId);
    expect(resolved.released.map((holder) => holder.portalId)).toEqual([first.portalId, third.portalId]);
    const audit = await rig.db.programAuditEvent.findFirst({ where: { action: 'conflict_resolved' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actor: OPERATOR, details: { domain, keep: 'portal', keptPortalId: second.portalId } });
    const jobs = await rig.db.deregistrationJob.findMany({ where: { channel: 'conflict_resolution' } });
    expect(jobs.map((job) => [Number(job.portalId), job.requestedBy]).sort()).toEqual(
      [
        [first.portalId, OPERATOR],
        [third.portalId, OPERATOR],
      ].sort(),
    );

    // Resolved at once, though the jobs have yet to run: listed no more, and not resolvable twice.
    expect(conflictListSchema.parse(await (await operator.fetch('/api/console/conflicts')).json())).toMatchObject({ total: 0, conflicts: [] });
    expect((await operator.fetch('/api/console/conflicts/resolve', { method: 'POST', body: { domain, keep: { kind: 'earliest' } } })).status).toBe(404);
    expect(await rig.db.deregistrationJob.count({ where: { channel: 'conflict_resolution' } })).toBe(2);
    // Once the jobs have run, only the kept partner holds the domain.
    const workers = await rig.startWorkers();
    await expect
      .poll(async () => (await rig.db.registration.findMany({ where: { domain, status: 'active' } })).map((held) => Number(held.portalId)), { timeout: 20_000 })
      .toEqual([second.portalId]);
    expect(conflictListSchema.parse(await (await operator.fetch('/api/console/conflicts')).json()).total).toBe(0);
    await workers.close();
  });

  it('"keep the earliest for all" resolves every conflict, only with the CSRF token and {keep: "earliest"}', async () => {
    const holders = [await rig.portalWithRegistrations(0), await rig.portalWithRegistrations(0)];
    const domains = ['all-one-conflict.com', 'all-two-conflict.com'];
    for (const domain of domains) {
      await holdDomain(holders[0]!.portalId, domain, 9);
      await holdDomain(holders[1]!.portalId, domain, 4);
    }
    expect((await withoutCsrf('/api/console/conflicts/resolve-all', 'POST', { keep: 'earliest' })).status).toBe(403);
    for (const body of [{}, { keep: 'latest' }, { keep: 'earliest', limit: 5 }]) {
      expect((await operator.fetch('/api/console/conflicts/resolve-all', { method: 'POST', body })).status, JSON.stringify(body)).toBe(400);
    }
    expect(conflictListSchema.parse(await (await operator.fetch('/api/console/conflicts')).json()).total).toBe(2);

    const all = conflictResolveAllAnswerSchema.parse(await (await operator.fetch('/api/console/conflicts/resolve-all', { method: 'POST', body: { keep: 'earliest' } })).json());
    expect(all.remaining).toBe(0);
    expect(all.resolved.map((resolution) => [resolution.domain, resolution.kept.portalId, resolution.released.map((holder) => holder.portalId)])).toEqual(
      domains.map((domain) => [domain, holders[0]!.portalId, [holders[1]!.portalId]]),
    );
    const audit = await rig.db.programAuditEvent.findMany({ where: { action: 'conflict_resolved', actor: OPERATOR } });
    expect(audit.map((event) => (event.details as { domain: string }).domain)).toEqual(expect.arrayContaining(domains));
  });
});

describe('waitlists', () => {
  it('lists the longest waitlists with how many wait, since when, and who holds each domain since when', async () => {
    const holder = await rig.portalWithRegistrations(1);
    const domain = holder.domains[0]!;
    const waiting = [await rig.portalWithRegistrations(0), await rig.portalWithRegistrations(0), await rig.portalWithRegistrations(0)];
    const joinedAt = new Date(Date.now() - 3 * 86_400_000);
    await rig.db.waitlistEntry.createMany({
      data: waiting.map((partner, n) => ({
        domain,
        portalId: BigInt(partner.portalId),
        contactId: `w${n}`,
        joinedBy: 'ann@agency.example',
        joinedAt: new Date(joinedAt.getTime() + n),
      })),
    });
    await rig.db.waitlistEntry.create({ data: { domain: 'unheld-waitlist.com', portalId: BigInt(waiting[0]!.portalId), contactId: 'w9', joinedBy: 'ann@agency.example' } });

    const { waitlists } = waitlistListSchema.parse(await (await operator.fetch('/api/console/waitlists')).json());
    const registration = await rig.db.registration.findFirstOrThrow({ where: { domain, status: 'active' } });
    const { name } = await rig.db.portal.findUniqueOrThrow({ where: { id: BigInt(holder.portalId) } });
    expect(waitlists[0]).toEqual({
      domain,
      displayDomain: domain,
      waiting: 3,
      waitingSince: joinedAt.toISOString(),
      holder: { portalId: holder.portalId, portalName: name, heldSince: registration.registeredAt.toISOString() },
    });
    expect(waitlists.find((waitlist) => waitlist.domain === 'unheld-waitlist.com')).toMatchObject({ waiting: 1, holder: null });
  });
});

describe('HubSpot usage', () => {
  it("counts each portal's calls from any process: the last 10 s from the shared limiter, the last hour with 429s, 5xx and the limiter's waits", async () => {
    const busy = await rig.portalWithRegistrations(1);
    const contactId = busy.contactIds[0]!;
    await rig.db.portal.update({ where: { id: BigInt(busy.portalId) }, data: { name: 'Busy Calling Agency' } });
    const hubspot = rig.hubspot.api.forPortal(busy.portalId, 'interactive');
    const usageOf = async () => hubspotUsageSchema.parse(await (await operator.fetch('/api/console/hubspot-usage')).json());
    // Installing the portal called HubSpot too: what follows is counted on top.
    const before = (await usageOf()).portals.find((portal) => portal.portalId === busy.portalId)?.callsLastHour ?? 0;
    // This test's process calls HubSpot; the server (another set of connections) reports it.
    for (let n = 0; n < 3; n++) await hubspot.getContact(contactId, ['email']);
    rig.hubspotRig.fake.faults.failNext(2, { status: 503 });
    await hubspot.getContact(contactId, ['email']);
    rig.hubspotRig.fake.faults.failNext(1, { status: 429 });
    await hubspot.getContact(contactId, ['email']);
    rig.hubspotRig.fake.faults.clear();

    const usage = await usageOf();
    expect(usage.limitPer10s).toBe(rig.config.HUBSPOT_REQUESTS_PER_10S);
    const row = usage.portals.find((portal) => portal.portalId === busy.portalId);
    // 3 answered, 2 × 503 then answered, 429 then answered: 8 calls.
    expect(row).toMatchObject({ callsLastHour: before + 8, serverErrors: 2, rateLimited: 1, noAnswer: 0, limiterWaits: 1 });
    expect(row!.callsLast10s).toBeGreaterThanOrEqual(8);
    expect(row!.callsLast10s).toBeLessThanOrEqual(row!.callsLastHour);
    expect(row!.limiterWaitMs).toBeGreaterThan(500);
    expect(row!.name).toBe('Busy Calling Agency');
    expect(usage.portals.some((portal) => portal.portalId === newPortalId())).toBe(false);

    const anonymous = await fetch(`${server.url}/api/console/hubspot-usage`);
    expect(anonymous.status).toBe(401);
  }, 30_000);
});
