// Every answer of the Capacity Manager's API, from the real server with a real session and real
// deregistration workers, parses with its schema in capacity-manager-contract.ts (strict: a field
// the contract does not name fails too), and every error is a problem document. What the page
// is typed against is therefore what the server sends.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../start-server.js';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { startTestServer } from '../../test/support/server.js';
import { parseAnswer, parseProblem } from '../api-docs/testing/parse-answer.js';
import {
  auditEventPageSchema,
  capacityAnswerSchema,
  deregistrationJobListSchema,
  deregistrationJobSchema,
  deregistrationRequestAnswerSchema,
  portalSettingsSchema,
  registrationPageSchema,
  sessionAnswerSchema,
  undoAnswerSchema,
} from './capacity-manager-contract.js';
import { signInThroughCardLink, type TestSession } from './testing/sign-in.js';

let rig: DeregistrationRig;
let server: RunningServer;
let session: TestSession;
let portalId: number;
let registrationIds: string[];

beforeAll(async () => {
  rig = await startDeregistrationRig();
  server = await startTestServer(rig.env);
  await rig.startWorkers();
  ({ portalId, registrationIds } = await rig.portalWithRegistrations(4));
  session = await signInThroughCardLink(server.url, { portalId, userId: '42', userEmail: 'ann@agency.example' }, { env: rig.env });
});
afterAll(async () => {
  await server?.close();
  await rig?.stop();
});

/** PATCH is the one method the test session's fetch does not send; the page sends it like POST. */
function patch(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'PATCH',
    headers: { cookie: session.cookie, 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(body),
  });
}

describe('the Capacity Manager API answers as its contract says', () => {
  test('GET /api/session and GET /api/capacity', async () => {
    const current = await parseAnswer(await session.fetch('/api/session'), 200, sessionAnswerSchema);
    expect(current).toMatchObject({ portal: { id: portalId }, user: { id: '42', email: 'ann@agency.example' }, csrfToken: session.csrfToken });
    expect(await parseAnswer(await session.fetch('/api/capacity'), 200, capacityAnswerSchema)).toMatchObject({ used: 4, tier: 'diamond' });
  });

  test('GET and PATCH /api/settings', async () => {
    expect(await parseAnswer(await session.fetch('/api/settings'), 200, portalSettingsSchema)).toEqual({ autoRegisterNewContacts: false });
    expect(await parseAnswer(await patch('/api/settings', { autoRegisterNewContacts: true }), 200, portalSettingsSchema)).toEqual({ autoRegisterNewContacts: true });
    await parseProblem(await patch('/api/settings', { autoRegisterNewContacts: 'yes' }), 400, 'INVALID_REQUEST');
  });

  test('a deregistration end to end: POST /api/deregistrations, GET its progress, the list, the audit trail, POST …/undo', async () => {
    const requested = await parseAnswer(
      await session.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'registrations', registrationIds: registrationIds.slice(0, 2) } } }),
      202,
      deregistrationRequestAnswerSchema,
    );
    expect(requested).toMatchObject({ job: { total: 2, channel: 'capacity_manager' }, notFound: [], alreadyDeregistered: [] });

    await expect
      .poll(async () => (await parseAnswer(await session.fetch(`/api/deregistrations/${requested.job.id}`), 200, deregistrationJobSchema)).status, { timeout: 20_000 })
      .toBe('completed');
    const finished = await parseAnswer(await session.fetch(`/api/deregistrations/${requested.job.id}`), 200, deregistrationJobSchema);
    expect(finished.undoableUntil).not.toBeNull();
    const recent = await parseAnswer(await session.fetch('/api/deregistrations?limit=5'), 200, deregistrationJobListSchema);
    expect(recent.jobs[0]).toEqual(finished);

    // Both kinds of rows (active and deregistered) in the answers, with every sort and filter.
    const all = await parseAnswer(await session.fetch('/api/registrations?status=all&sortBy=domain&sortDirection=desc&pageSize=10&search=p'), 200, registrationPageSchema);
    expect(all.items.map((item) => item.status).sort()).toEqual(['active', 'active', 'deregistered', 'deregistered']);
    expect((await parseAnswer(await session.fetch('/api/registrations'), 200, registrationPageSchema)).total).toBe(2);

    const audit = await parseAnswer(await session.fetch('/api/audit-events?pageSize=100'), 200, auditEventPageSchema);
    expect(audit.items.map((event) => event.action)).toContain('registration_deregistered');
    expect(audit.items.map((event) => event.action)).toContain('portal_settings_changed');
    const settingsOnly = await parseAnswer(await session.fetch('/api/audit-events?action=portal_settings_changed&actor=ANN'), 200, auditEventPageSchema);
    expect(settingsOnly.items.map((event) => event.action)).toEqual(['portal_settings_changed']);
    const auditCsv = await session.fetch('/api/audit-events/export.csv?action=registration_deregistered');
    expect(auditCsv.status).toBe(200);
    expect((await auditCsv.text()).trim().split('\n')).toHaveLength(3);

    const undone = await parseAnswer(await session.fetch(`/api/deregistrations/${requested.job.id}/undo`, { method: 'POST', body: {} }), 200, undoAnswerSchema);
    expect(undone.reregistered).toHaveLength(2);
    expect(undone.job.undoneAt).not.toBeNull();
  });

  test("GET /api/registrations: each row links to its contact's record on the account's own HubSpot host (an EU account here)", async () => {
    await rig.db.portal.update({ where: { id: BigInt(portalId) }, data: { uiDomain: 'app-eu1.hubspot.com' } });
    const page = await parseAnswer(await session.fetch('/api/registrations?status=all'), 200, registrationPageSchema);
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) expect(item.contactUrl).toBe(`https://app-eu1.hubspot.com/contacts/${portalId}/record/0-1/${item.contactId}`);
  });

  test('GET /api/registrations/export.csv takes the contract’s filter and refuses what it does not name', async () => {
    const csv = await session.fetch('/api/registrations/export.csv?status=all&sortBy=registeredAt&sortDirection=asc&search=p');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^Domain,Company,/);
    await parseProblem(await session.fetch('/api/registrations/export.csv?sortBy=website'), 400, 'INVALID_REQUEST');
  });

  test('errors are problem documents: invalid input, no session, no CSRF token, unknown job', async () => {
    await parseProblem(await session.fetch('/api/registrations?pageSize=1000'), 400, 'INVALID_REQUEST');
    await parseProblem(await session.fetch('/api/audit-events?page=0'), 400, 'INVALID_REQUEST');
    await parseProblem(await session.fetch('/api/audit-events?action=nothing'), 400, 'INVALID_REQUEST');
    await parseProblem(await session.fetch('/api/registrations?registeredBefore=yesterday'), 400, 'INVALID_REQUEST');
    await parseProblem(await session.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'all' } } }), 400, 'INVALID_REQUEST');
    await parseProblem(await session.fetch('/api/deregistrations/not-a-uuid'), 400, 'INVALID_REQUEST');
    await parseProblem(await session.fetch('/api/deregistrations?limit=51'), 400, 'INVALID_REQUEST');
    await parseProblem(await session.fetch('/api/deregistrations/00000000-0000-4000-8000-000000000000'), 404, 'JOB_NOT_FOUND');
    const noSession = await fetch(`${server.url}/api/capacity`);
    expect(noSession.status).toBe(401);
    expect(noSession.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const noCsrf = await session.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'search' } }, headers: { 'x-csrf-token': '' } });
    expect(noCsrf.status).toBe(403);
  });

  test('POST /api/sign-out answers 204 without a body, and the session is over', async () => {
    const signedOut = await session.fetch('/api/sign-out', { method: 'POST', body: {} });
    expect(signedOut.status).toBe(204);
    expect(await signedOut.text()).toBe('');
    expect((await session.fetch('/api/session')).status).toBe(401);
  });
});
