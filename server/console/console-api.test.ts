// The program console's API over HTTP, with operators signed in through HubSpot's OAuth (the
// fake) as people do: who gets in (OPERATOR_EMAILS), who does not (another HubSpot user, a
// partner's Capacity Manager session, the bearer token, a signed-out cookie), and every
// endpoint: input validation, CSRF and Origin on changes, the audit with the operator's email.
// Answers are parsed with the contract's strict schemas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughCardLink } from '../capacity-manager/testing/sign-in.js';
import { requestDeregistration } from '../deregistrations/request-deregistration.js';
import type { RunningServer } from '../start-server.js';
import { newPortalId } from '../../test/support/database.js';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { startTestServer } from '../../test/support/server.js';
import { backlogSchema, consoleAuditPageSchema, consoleJobListSchema, consoleSessionAnswerSchema, partnerDetailsSchema, partnerPageSchema } from './console-contract.js';
import { OPERATOR_SESSION_COOKIE } from './operator-session.js';
import { operatorOAuth, signInAsOperator, type OperatorTestSession } from './testing/operator-sign-in.js';

const TOKEN = 'operator-token-for-the-console-tests-0123';
let rig: DeregistrationRig;
let server: RunningServer;
let operatorPortal: number;
let operator: OperatorTestSession;

beforeAll(async () => {
  rig = await startDeregistrationRig({ env: { OPERATOR_TOKEN: TOKEN, OPERATOR_EMAILS: 'Admin@ops-console.example, someone@else.example' } });
  server = await startTestServer(rig.env);
  // The operator's own HubSpot account: its user is admin@ops-console.example.
  operatorPortal = newPortalId();
  rig.hubspotRig.fake.accounts.create({ portalId: operatorPortal, domain: 'ops-console.example' });
  operator = await signInAsOperator(server.url, operatorPortal);
});
afterAll(async () => {
  await server?.close();
  await rig?.stop();
});

describe('signing in', () => {
  it('an operator in OPERATOR_EMAILS signs in with HubSpot and lands on the console; nothing is installed for their account', async () => {
    const answer = await operatorOAuth(server.url, operatorPortal);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/console');
    expect(answer.headers.get('set-cookie')).toMatch(new RegExp(`^${OPERATOR_SESSION_COOKIE}=.+HttpOnly`, 'i'));
    const session = consoleSessionAnswerSchema.parse(await (await operator.fetch('/api/console/session')).json());
    expect(session).toMatchObject({ operator: { email: 'admin@ops-console.example' }, demo: false, queueDashboard: '/operator/queues' });
    expect(await rig.db.portal.findUnique({ where: { id: BigInt(operatorPortal) } })).toBeNull();
  });

  it('a HubSpot user who is not in OPERATOR_EMAILS is refused: back to the console sign-in with the reason, no session', async () => {
    const stranger = newPortalId();
    rig.hubspotRig.fake.accounts.create({ portalId: stranger, domain: 'partner-agency.example' });
    const answer = await operatorOAuth(server.url, stranger);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/console?signIn=not-an-operator');
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it("refuses no session, a partner's Capacity Manager session, the bearer token and a forged cookie", async () => {
    const { portalId } = await rig.portalWithRegistrations(1);
    const partner = await signInThroughCardLink(server.url, { portalId, userId: '7', userEmail: 'admin@ops-console.example' }, { env: rig.env });
    const forged = `${OPERATOR_SESSION_COOKIE}=${operator.cookie.split('=')[1]!.slice(0, -2)}xx`;
    for (const path of ['/api/console/session', '/api/console/partners', '/api/console/audit-events', '/api/console/jobs', '/api/console/backlog']) {
      for (const headers of [{}, { cookie: partner.cookie }, { authorization: `Bearer ${TOKEN}` }, { cookie: forged }] as Record<string, string>[]) {
        const answer = await fetch(`${server.url}${path}`, { headers });
        expect(answer.status, `${path} with ${JSON.stringify(headers)}`).toBe(401);
        expect(await answer.json()).toMatchObject({ code: 'OPERATOR_SIGN_IN_REQUIRED', signIn: { hubspot: '/oauth/operator-sign-in' } });
      }
    }
    const change = await fetch(`${server.url}/api/console/partners/${portalId}`, {
      method: 'PATCH',
      headers: { cookie: partner.cookie, 'content-type': 'application/json', 'x-csrf-token': partner.csrfToken },
      body: JSON.stringify({ tier: 'diamond' }),
    });
    expect(change.status).toBe(401);
  });

  it('in demo mode only, the demo operator signs in without HubSpot (same-origin only)', async () => {
    const refused = await fetch(`${server.url}/api/console/demo-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(404);
    const demo = await startTestServer({ ...rig.env, DEMO_MODE: 'true' });
    try {
      const crossSite = await fetch(`${demo.url}/api/console/demo-sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: '{}',
      });
      expect(crossSite.status).toBe(403);
      const signedIn = await fetch(`${demo.url}/api/console/demo-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"sv"}' });
      expect(signedIn.status).toBe(204);
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
      const session = consoleSessionAnswerSchema.parse(await (await fetch(`${demo.url}/api/console/session`, { headers: { cookie } })).json());
      expect(session).toMatchObject({ operator: { email: 'operator@partner-capacity.example' }, locale: 'sv', demo: true });
      // The same cookie is worthless where demo mode is off: the demo operator is not in OPERATOR_EMAILS.
      expect((await fetch(`${server.url}/api/console/session`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await demo.close();
    }
  });

  it('signing out ends the session everywhere, for good (kept in PostgreSQL)', async () => {
    const session = await signInAsOperator(server.url, operatorPortal);
    expect((await session.fetch('/api/console/sign-out', { method: 'POST', body: {} })).status).toBe(204);
    expect((await session.fetch('/api/console/session')).status).toBe(401);
    expect(await rig.db.spentToken.count({ where: { kind: 'signed_out_session' } })).toBeGreaterThan(0);
  });
});

describe('partners', () => {
  it('lists every portal with tier, limit, used, % used, expiring soon, waiting, install state, last registration; searches, sorts and pages', async () => {
    const small = await rig.portalWithRegistrations(3, { tier: 'gold' });
    const big = await rig.portalWithRegistrations(12, { tier: 'gold' });
    await rig.db.portal.update({ where: { id: BigInt(big.portalId) }, data: { name: 'Console Big Agency', limitOverride: 20 } });
    await rig.db.portal.update({ where: { id: BigInt(small.portalId) }, data: { name: 'Console Small Agency' } });

    const found = partnerPageSchema.parse(await (await operator.fetch('/api/console/partners?search=console%20&sortBy=used&sortDirection=desc')).json());
    expect(found.items.map((item) => item.portalId)).toEqual([big.portalId, small.portalId]);
    expect(found.items[0]).toMatchObject({ name: 'Console Big Agency', tier: 'gold', limit: 20, limitOverridden: true, used: 12, percentUsed: 60, installState: 'installed' });
    expect(found.items[1]).toMatchObject({ limit: 500, limitOverridden: false, used: 3, percentUsed: 0.6 });
    expect(found.items[0]!.lastRegistrationAt).not.toBeNull();
    expect(found.items.map(({ expiringSoon, waiting }) => ({ expiringSoon, waiting }))).toEqual([
      { expiringSoon: 0, waiting: 0 },
      { expiringSoon: 0, waiting: 0 },
    ]);

    // Two of the big partner's claims expire within the first reminder window (14 days), one later;
    // the small partner waits for a domain the big one holds.
    const bigClaims = await rig.db.registration.findMany({ where: { portalId: BigInt(big.portalId) }, orderBy: { id: 'asc' }, take: 3 });
    const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000);
    for (const [claim, days] of bigClaims.map((claim, index) => [claim, [2, 13, 60][index]!] as const)) {
      await rig.db.registration.update({ where: { id: claim.id }, data: { expiresAt: inDays(days) } });
    }
    await rig.db.waitlistEntry.create({ data: { domain: bigClaims[0]!.domain, portalId: BigInt(small.portalId), contactId: 'waiter', joinedBy: 'w@small.example' } });
    const counted = partnerPageSchema.parse(await (await operator.fetch('/api/console/partners?search=console%20&sortBy=used&sortDirection=desc')).json());
    expect(counted.items.map(({ expiringSoon, waiting }) => ({ expiringSoon, waiting }))).toEqual([
      { expiringSoon: 2, waiting: 0 },
      { expiringSoon: 0, waiting: 1 },
    ]);

    const byId = partnerPageSchema.parse(await (await operator.fetch(`/api/console/partners?search=${small.portalId}`)).json());
    expect(byId.items.map((item) => item.portalId)).toEqual([small.portalId]);
    const paged = partnerPageSchema.parse(await (await operator.fetch('/api/console/partners?search=console%20&sortBy=name&pageSize=1&page=2')).json());
    expect(paged).toMatchObject({ total: 2, page: 2, pageCount: 2, items: [{ name: 'Console Small Agency' }] });
    for (const query of ['pageSize=101', 'sortBy=secret', 'page=0', `search=${'x'.repeat(201)}`]) {
      const invalid = await operator.fetch(`/api/console/partners?${query}`);
      expect(invalid.status, query).toBe(400);
      expect(await invalid.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    }
  });

  it('sorts by used from counts at most a minute old, remade in the background, while each row shows its live count', async () => {
    const one = await rig.portalWithRegistrations(1, { tier: 'gold' });
    const four = await rig.portalWithRegistrations(4, { tier: 'gold' });
    await rig.db.portal.update({ where: { id: BigInt(one.portalId) }, data: { name: 'Usage One Console' } });
    await rig.db.portal.update({ where: { id: BigInt(four.portalId) }, data: { name: 'Usage Four Console' } });
    // Counts made moments ago, when the first had 100 and the second none: the order follows them.
    await rig.db.partnerUsage.deleteMany({});
    await rig.db.partnerUsage.createMany({
      data: [
        { portalId: BigInt(one.portalId), activeRegistrations: 100, countedAt: new Date() },
        { portalId: BigInt(four.portalId), activeRegistrations: 0, countedAt: new Date() },
      ],
    });
    const sorted = async () => partnerPageSchema.parse(await (await operator.fetch('/api/console/partners?search=usage%20&sortBy=used&sortDirection=desc')).json()).items;
    const stale = await sorted();
    expect(stale.map((item) => [item.portalId, item.used])).toEqual([
      [one.portalId, 1],
      [four.portalId, 4],
    ]);
    // Once they are over a minute old, the next sort has them made again.
    await rig.db.partnerUsage.updateMany({ data: { countedAt: new Date(Date.now() - 120_000) } });
    await expect.poll(async () => (await sorted()).map((item) => item.portalId), { timeout: 10_000 }).toEqual([four.portalId, one.portalId]);
  });

  it('opens a partner: what its Capacity Manager shows (capacity, registrations), read-only', async () => {
    const { portalId, domains } = await rig.portalWithRegistrations(3, { tier: 'gold' });
    const details = partnerDetailsSchema.parse(await (await operator.fetch(`/api/console/partners/${portalId}`)).json());
    expect(details).toMatchObject({ capacity: { tier: 'gold', limit: 500, used: 3, remaining: 497, alertLevel: null }, autoRegisterNewContacts: false });
    const list = (await (await operator.fetch(`/api/console/partners/${portalId}/registrations?sortBy=domain&sortDirection=asc`)).json()) as { items: Array<{ domain: string }> };
    expect(list.items.map((item) => item.domain)).toEqual([...domains].sort());
    expect((await operator.fetch(`/api/console/partners/${newPortalId()}`)).status).toBe(404);
    expect((await operator.fetch('/api/console/partners/not-a-number')).status).toBe(400);
  });

  it('changes tier and limit only with the CSRF token from this origin, validates, and audits with the operator email', async () => {
    const { portalId } = await rig.portalWithRegistrations(2, { tier: 'gold' });
    const path = `/api/console/partners/${portalId}`;
    expect((await operator.fetch(path, { method: 'PATCH', body: { tier: 'diamond' }, headers: { 'x-csrf-token': 'wrong' } })).status).toBe(403);
    expect((await operator.fetch(path, { method: 'PATCH', body: { tier: 'diamond' }, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    for (const body of [{ tier: 'bronze' }, { limit: -1 }, { limit: 1.5 }, { tier: 'gold', limit: 5 }, {}]) {
      expect((await operator.fetch(path, { method: 'PATCH', body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await rig.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).tier).toBe('gold');

    const tier = partnerDetailsSchema.parse(await (await operator.fetch(path, { method: 'PATCH', body: { tier: 'diamond' } })).json());
    expect(tier.partner).toMatchObject({ tier: 'diamond', limit: 1000, limitOverridden: false });
    const limit = partnerDetailsSchema.parse(await (await operator.fetch(path, { method: 'PATCH', body: { limit: 40 } })).json());
    expect(limit.partner).toMatchObject({ limit: 40, limitOverridden: true, percentUsed: 5 });
    const cleared = partnerDetailsSchema.parse(await (await operator.fetch(path, { method: 'PATCH', body: { limit: null } })).json());
    expect(cleared.partner).toMatchObject({ limit: 1000, limitOverridden: false });

    const audit = await rig.db.auditEvent.findMany({
      where: { portalId: BigInt(portalId), action: { in: ['portal_tier_changed', 'portal_limit_changed'] } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((event) => [event.action, event.actor, event.details])).toEqual([
      ['portal_tier_changed', 'admin@ops-console.example', { before: { tier: 'gold' }, after: { tier: 'diamond' } }],
      ['portal_limit_changed', 'admin@ops-console.example', { before: { limitOverride: null }, after: { limitOverride: 40 } }],
      ['portal_limit_changed', 'admin@ops-console.example', { before: { limitOverride: 40 }, after: { limitOverride: null } }],
    ]);
  });
});

describe('audit across the program', () => {
  it('filters by partner, action, actor and day, pages, and exports the same as CSV', async () => {
    const { portalId } = await rig.portalWithRegistrations(1, { tier: 'gold' });
    await operator.fetch(`/api/console/partners/${portalId}`, { method: 'PATCH', body: { tier: 'silver' } });
    const today = new Date().toISOString().slice(0, 10);
    const query = `portalId=${portalId}&action=portal_tier_changed&actor=admin%40ops-console.example&from=${today}&to=${today}`;
    const page = consoleAuditPageSchema.parse(await (await operator.fetch(`/api/console/audit-events?${query}`)).json());
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ source: 'portal', portalId, action: 'portal_tier_changed', actor: 'admin@ops-console.example' });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(consoleAuditPageSchema.parse(await (await operator.fetch(`/api/console/audit-events?portalId=${portalId}&to=${yesterday}`)).json()).items).toEqual([]);
    const all = consoleAuditPageSchema.parse(await (await operator.fetch(`/api/console/audit-events?portalId=${portalId}&pageSize=1`)).json());
    expect(all.hasNextPage).toBe(true);

    const csv = await operator.fetch(`/api/console/audit-events.csv?${query}`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('Occurred at,Source,Portal,Action,Actor,Channel,Domain,HubSpot contact id,Deregistration job,Details');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,portal,${portalId},portal_tier_changed,admin@ops-console.example,`);
    for (const bad of ['action=nonsense', 'from=yesterday', 'pageSize=500', 'portalId=-3']) {
      expect((await operator.fetch(`/api/console/audit-events?${bad}`)).status, bad).toBe(400);
    }
  });
});

describe('jobs', () => {
  it("lists every portal's jobs; retries a failed one and undoes it, each audited with the operator's email", async () => {
    const { portalId, domains } = await rig.portalWithRegistrations(3, { tier: 'gold' });
    // No worker runs yet: the job waits. Arrangement: it failed (as when HubSpot stays down).
    const { job } = await requestDeregistration(rig, { portalId, selection: { kind: 'all' }, requestedBy: 'ann@agency.example', channel: 'capacity_manager' });
    await rig.db.deregistrationJob.update({ where: { id: job.id }, data: { status: 'failed', error: 'HubSpot did not answer', finishedAt: new Date() } });

    const failed = consoleJobListSchema.parse(await (await operator.fetch(`/api/console/jobs?status=failed&portalId=${portalId}`)).json());
    expect(failed.jobs.map((listed) => [listed.id, listed.error])).toEqual([[job.id, 'HubSpot did not answer']]);
    expect((await operator.fetch(`/api/console/jobs/${job.id}/retry`, { method: 'POST', body: {}, headers: { 'x-csrf-token': 'no' } })).status).toBe(403);
    expect((await operator.fetch('/api/console/jobs/not-a-uuid/retry', { method: 'POST', body: {} })).status).toBe(400);

    const retried = await operator.fetch(`/api/console/jobs/${job.id}/retry`, { method: 'POST', body: {} });
    expect(retried.status).toBe(200);
    const workers = await rig.startWorkers();
    await expect.poll(async () => (await rig.db.deregistrationJob.findUniqueOrThrow({ where: { id: job.id } })).status, { timeout: 20_000 }).toBe('completed');
    expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(0);

    const undone = await operator.fetch(`/api/console/jobs/${job.id}/undo`, { method: 'POST', body: {} });
    expect(undone.status).toBe(200);
    expect(((await undone.json()) as { reregistered: string[] }).reregistered.sort()).toEqual([...domains].sort());
    expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(3);
    const audit = await rig.db.auditEvent.findMany({ where: { portalId: BigInt(portalId), jobId: job.id, actor: 'admin@ops-console.example' } });
    expect(audit.map((event) => event.action)).toContain('deregistration_job_retried');
    expect(audit.filter((event) => event.action === 'registration_created')).toHaveLength(3);
    await workers.close();
  });

  it('shows the webhook inbox, write-back and backfill backlogs with failures and their reasons', async () => {
    const { portalId } = await rig.portalWithRegistrations(1);
    await rig.db.webhookEvent.create({ data: { portalId: BigInt(portalId), payload: {}, processedAt: new Date(), outcome: 'failed: HubSpot refused the read (403)' } });
    await rig.db.webhookEvent.create({ data: { portalId: BigInt(portalId), payload: {}, receivedAt: new Date(Date.now() - 3_600_000) } });
    await rig.db.contactWriteBack.create({ data: { portalId: BigInt(portalId), contactId: '901', properties: {}, attempts: 3, lastError: 'HubSpot answered 500' } });
    const backlog = backlogSchema.parse(await (await operator.fetch('/api/console/backlog')).json());
    expect(backlog.webhookInbox.pending).toBeGreaterThanOrEqual(1);
    expect(backlog.webhookInbox.recentFailures).toContainEqual(expect.objectContaining({ portalId, reason: 'HubSpot refused the read (403)' }));
    expect(backlog.writeBacks.recentFailures).toContainEqual(expect.objectContaining({ portalId, contactId: '901', attempts: 3, lastError: 'HubSpot answered 500' }));
  });

  it("opens the queue dashboard for a signed-in operator's browser session, and asks anyone else for the token", async () => {
    expect((await operator.fetch('/operator/queues')).status).toBe(200);
    const anonymous = await fetch(`${server.url}/operator/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
  });
});
