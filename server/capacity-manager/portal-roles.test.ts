// Roles inside a partner through the API: a user who is neither the admin nor one of the users
// the admin chose may view and export but not deregister, undo or change settings (403 saying
// whom to ask); once the admin grants them, they can; a revoke holds at once. Grants need the
// admin, the CSRF token and this app's origin, and never reach another portal.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RunningServer } from '../start-server.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { startTestServer } from '../../test/support/server.js';
import { setPortalAdmin } from '../portals/portal-roles.js';
import { updateProgramSettings } from '../program/program-settings.js';
import { signInThroughCardLink, type TestSession } from './testing/sign-in.js';

let db: Database;
let server: RunningServer;
let portalA: number;
let portalB: number;
let admin: TestSession;
let member: TestSession;
let other: TestSession;
let adminOfB: TestSession;
let registrationIds: string[];

const ANN = { userId: '101', userEmail: 'ann@agency.example' };
const BO = { userId: '102', userEmail: 'bo@agency.example' };
const CY = { userId: '103', userEmail: 'Cy@Agency.example' };

beforeAll(async () => {
  db = testDatabase(4);
  server = await startTestServer();
  portalA = await createTestPortal(db);
  portalB = await createTestPortal(db);
  await setPortalAdmin(db, { portalId: portalA, userId: ANN.userId, email: ANN.userEmail, actor: 'install' });
  await setPortalAdmin(db, { portalId: portalB, userId: '201', email: 'dan@other.example', actor: 'install' });
  for (const name of ['alpha', 'beta', 'gamma']) {
    await registerContact(db, {
      portalId: portalA,
      contact: { contactId: name, website: `https://${name}-roles.se`, company: name },
      registeredBy: ANN.userEmail,
      channel: 'card',
    });
  }
  registrationIds = (await db.registration.findMany({ where: { portalId: BigInt(portalA) }, orderBy: { id: 'asc' } })).map((row) => row.id.toString());
  admin = await signInThroughCardLink(server.url, { portalId: portalA, ...ANN });
  member = await signInThroughCardLink(server.url, { portalId: portalA, ...BO });
  other = await signInThroughCardLink(server.url, { portalId: portalA, ...CY });
  adminOfB = await signInThroughCardLink(server.url, { portalId: portalB, userId: '201', userEmail: 'dan@other.example' });
});

afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

function patchSettings(session: TestSession, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/settings`, {
    method: 'PATCH',
    headers: { cookie: session.cookie, 'content-type': 'application/json', 'x-csrf-token': session.csrfToken, ...headers },
    body: JSON.stringify(body),
  });
}

const deregisterFirst = (session: TestSession) =>
  session.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'registrations', registrationIds: [registrationIds[0]!] } } });

async function expectRoleRequired(answer: Response, whoCan: string): Promise<void> {
  expect(answer.status).toBe(403);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await answer.json()) as { code: string; detail: string };
  expect(problem.code).toBe('ROLE_REQUIRED');
  expect(problem.detail).toContain(whoCan);
}

test('a member views and exports, but cannot deregister, undo or change settings: 403 says whom to ask', async () => {
  expect((await member.fetch('/api/registrations')).status).toBe(200);
  expect((await member.fetch('/api/registrations/export.csv')).status).toBe(200);
  expect(await (await member.fetch('/api/roles')).json()).toMatchObject({ you: { authority: 'member', mayManage: false }, admin: { email: ANN.userEmail }, usersSeen: [] });

  await expectRoleRequired(await deregisterFirst(member), 'ask ann@agency.example');
  await expectRoleRequired(await patchSettings(member, { autoRegisterNewContacts: true }), 'ask ann@agency.example');
  await expectRoleRequired(await member.fetch('/api/deregistrations/00000000-0000-4000-8000-000000000000/undo', { method: 'POST', body: {} }), 'ask ann@agency.example');
  expect(await db.deregistrationJob.count({ where: { portalId: BigInt(portalA) } })).toBe(0);
  expect((await db.portal.findUniqueOrThrow({ where: { id: BigInt(portalA) } })).autoRegisterNewContacts).toBe(false);

  // Nor can they choose managers, themselves included.
  const grant = await member.fetch('/api/roles', { method: 'POST', body: { email: BO.userEmail } });
  expect(grant.status).toBe(403);
  expect(await grant.json()).toMatchObject({ code: 'ADMIN_REQUIRED', detail: expect.stringContaining('ask ann@agency.example') });
});

test('the admin grants a user seen at sign-in; that user then deregisters and changes settings; a revoke holds at once', async () => {
  const roles = (await (await admin.fetch('/api/roles')).json()) as { you: { authority: string }; usersSeen: Array<{ userId: string; email: string }> };
  expect(roles.you.authority).toBe('admin');
  expect(roles.usersSeen.map((user) => user.userId).sort()).toEqual([ANN.userId, BO.userId, CY.userId]);

  const granted = await admin.fetch('/api/roles', { method: 'POST', body: { userId: BO.userId } });
  expect(granted.status).toBe(201);
  const holder = (await granted.json()) as { id: string; email: string; role: string };
  expect(holder).toMatchObject({ role: 'manager', email: BO.userEmail });
  expect(await db.auditEvent.findFirst({ where: { portalId: BigInt(portalA), action: 'portal_role_granted' } })).toMatchObject({
    actor: ANN.userEmail,
    details: { role: 'manager', userId: BO.userId, email: BO.userEmail },
  });
  // Granting twice is refused with the reason.
  expect((await admin.fetch('/api/roles', { method: 'POST', body: { email: 'BO@agency.example' } })).status).toBe(409);

  expect(await (await member.fetch('/api/roles')).json()).toMatchObject({ you: { authority: 'manager', mayManage: true } });
  expect((await patchSettings(member, { autoRegisterNewContacts: true })).status).toBe(200);
  expect((await deregisterFirst(member)).status).toBe(202);
  // Someone else is now told both names.
  await expectRoleRequired(await patchSettings(other, { autoRegisterNewContacts: false }), 'ask ann@agency.example or bo@agency.example');

  // By email, whatever its case, before the user ever signed in as that address.
  const byEmail = await admin.fetch('/api/roles', { method: 'POST', body: { email: 'cy@agency.example' } });
  expect(byEmail.status).toBe(201);
  expect((await patchSettings(other, { autoRegisterNewContacts: false })).status).toBe(200);
  await expectRoleRequired(
    await (await signInThroughCardLink(server.url, { portalId: portalA, userId: '104', userEmail: 'di@agency.example' })).fetch('/api/deregistrations', {
      method: 'POST',
      body: { selection: { kind: 'registrations', registrationIds: [registrationIds[1]!] } },
    }),
    'ask ann@agency.example or one of bo@agency.example, cy@agency.example',
  );

  const revoked = await admin.fetch(`/api/roles/${holder.id}/revoke`, { method: 'POST', body: {} });
  expect(revoked.status).toBe(204);
  expect(await db.auditEvent.findFirst({ where: { portalId: BigInt(portalA), action: 'portal_role_revoked' } })).toMatchObject({
    actor: ANN.userEmail,
    details: { email: BO.userEmail },
  });
  await expectRoleRequired(await patchSettings(member, { autoRegisterNewContacts: false }), 'ask ann@agency.example or cy@agency.example');
});

test('grants and revokes need the CSRF token and this app’s origin', async () => {
  const withoutToken = await admin.fetch('/api/roles', { method: 'POST', body: { email: 'eve@agency.example' }, headers: { 'x-csrf-token': 'forged' } });
  expect(withoutToken.status).toBe(403);
  expect(await withoutToken.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
  const crossSite = await admin.fetch('/api/roles', { method: 'POST', body: { email: 'eve@agency.example' }, headers: { origin: 'https://evil.example' } });
  expect(crossSite.status).toBe(403);
  expect(await crossSite.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST' });
  // A member's forged request fails on CSRF before their role is even read.
  const memberForged = await member.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'search', search: '' } }, headers: { 'x-csrf-token': 'forged' } });
  expect(await memberForged.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
  expect(await db.portalUserRole.count({ where: { email: 'eve@agency.example' } })).toBe(0);
});

test('roles stay in their portal: another portal’s admin neither sees, grants nor revokes here', async () => {
  const rolesOfA = await db.portalUserRole.findMany({ where: { portalId: BigInt(portalA), role: 'manager' } });
  expect(rolesOfA.length).toBeGreaterThan(0);
  const seenByB = (await (await adminOfB.fetch(`/api/roles?portalId=${portalA}`)).json()) as {
    admin: { email: string };
    managers: unknown[];
    usersSeen: Array<{ userId: string }>;
  };
  expect(seenByB.admin.email).toBe('dan@other.example');
  expect(seenByB.managers).toEqual([]);
  expect(seenByB.usersSeen.map((user) => user.userId)).toEqual(['201']);
  for (const role of rolesOfA) {
    const revoke = await adminOfB.fetch(`/api/roles/${role.id}/revoke`, { method: 'POST', body: { portalId: portalA } });
    expect(revoke.status).toBe(404);
  }
  expect(await db.portalUserRole.count({ where: { portalId: BigInt(portalA), role: 'manager' } })).toBe(rolesOfA.length);
  // B's admin granting A's member makes them a manager in B only.
  expect((await adminOfB.fetch('/api/roles', { method: 'POST', body: { email: BO.userEmail, portalId: portalA } })).status).toBe(400);
  expect((await adminOfB.fetch('/api/roles', { method: 'POST', body: { email: BO.userEmail } })).status).toBe(201);
  await expectRoleRequired(await patchSettings(member, { autoRegisterNewContacts: false }), 'ask ann@agency.example');
  // And A's admin is no admin in B.
  expect((await admin.fetch('/api/roles')).status).toBe(200);
});

test('a portal without an admin (installed before roles) keeps every user’s rights and promotes nobody', async () => {
  const legacy = await createTestPortal(db);
  const user = await signInThroughCardLink(server.url, { portalId: legacy, userId: '301', userEmail: 'first@legacy.example' });
  expect(await (await user.fetch('/api/roles')).json()).toMatchObject({ admin: null, you: { authority: 'unrestricted', mayManage: true } });
  expect((await patchSettings(user, { autoRegisterNewContacts: true })).status).toBe(200);
  const grant = await user.fetch('/api/roles', { method: 'POST', body: { email: 'first@legacy.example' } });
  expect(grant.status).toBe(403);
  expect(await grant.json()).toMatchObject({ code: 'ADMIN_REQUIRED', detail: expect.stringContaining('operator') });
  expect(await db.portalUserRole.count({ where: { portalId: BigInt(legacy) } })).toBe(0);
});

test('a member renews a claim, as anyone may register from the card: renewing keeps a claim, it releases nothing', async () => {
  await updateProgramSettings(db, { changes: { claimPeriodDays: 30 }, actor: 'test' });
  const registered = await registerContact(db, {
    portalId: portalA,
    contact: { contactId: 'delta', website: 'https://delta-roles.se', company: 'delta' },
    registeredBy: ANN.userEmail,
    channel: 'card',
  });
  const id = registered.ok ? registered.registration.id.toString() : '';
  const answer = await member.fetch(`/api/registrations/${id}/renewal`, { method: 'POST' });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ id, renewals: 1 });
  expect(await db.auditEvent.count({ where: { portalId: BigInt(portalA), action: 'registration_renewed', actor: BO.userEmail } })).toBe(1);
  await updateProgramSettings(db, { changes: { claimPeriodDays: null }, actor: 'test' });
});
