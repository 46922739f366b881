// A session of portal A can neither read, export nor deregister portal B's registrations, nor
// see or undo B's jobs, through any endpoint: not by naming B, not by guessing B's ids.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { requestDeregistration } from '../deregistrations/request-deregistration.js';
import { createQueues, type AppQueues } from '../queue/queues.js';
import { createRedis, type Redis } from '../queue/redis.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RunningServer } from '../start-server.js';
import { inject } from 'vitest';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { startTestServer } from '../../test/support/server.js';
import { signInThroughCardLink, type TestSession } from './testing/sign-in.js';

let db: Database;
let server: RunningServer;
let redis: Redis;
let queues: AppQueues;
let portalA: number;
let portalB: number;
let sessionA: TestSession;
let idsOfB: string[];
let jobOfB: string;

beforeAll(async () => {
  db = testDatabase(4);
  server = await startTestServer();
  redis = createRedis({ url: inject('redisUrl'), forQueues: true });
  queues = createQueues({ connection: redis, prefix: `${inject('redisPrefix')}-isolation` });
  portalA = await createTestPortal(db);
  portalB = await createTestPortal(db);
  await registerContact(db, {
    portalId: portalA,
    contact: { contactId: 'a-1', website: 'https://a-owned.se', company: 'A Owned' },
    registeredBy: 'a@agency.example',
    channel: 'card',
  });
  for (const name of ['secret-one', 'secret-two', 'secret-three']) {
    await registerContact(db, {
      portalId: portalB,
      contact: { contactId: name, website: `https://${name}.se`, company: `Secret ${name}` },
      registeredBy: 'b@agency.example',
      channel: 'card',
    });
  }
  idsOfB = (await db.registration.findMany({ where: { portalId: BigInt(portalB) }, orderBy: { id: 'asc' } })).map((row) => row.id.toString());
  // B's own job (queued; no worker runs in this file).
  jobOfB = (
    await requestDeregistration(
      { db, queues },
      { portalId: portalB, selection: { kind: 'registrations', registrationIds: [idsOfB[2]!] }, requestedBy: 'b@agency.example', channel: 'capacity_manager' },
    )
  ).job.id;
  sessionA = await signInThroughCardLink(server.url, { portalId: portalA, userId: '1', userEmail: 'a@agency.example' });
});

afterAll(async () => {
  await queues?.close();
  await redis?.quit();
  await server?.close();
  await db?.$disconnect();
});

async function activeOfB(): Promise<number> {
  return db.registration.count({ where: { portalId: BigInt(portalB), status: 'active' } });
}

test("reading: the list, the history and the capacity are A's whatever the request names", async () => {
  for (const query of ['', `portalId=${portalB}`, 'search=secret', 'status=all', 'status=deregistered', `portal_id=${portalB}&pageSize=100`]) {
    const page = (await (await sessionA.fetch(`/api/registrations?${query}`)).json()) as { items: Array<{ portalId: number; domain: string }> };
    expect(page.items.every((item) => item.portalId === portalA)).toBe(true);
    expect(page.items.some((item) => item.domain.startsWith('secret-'))).toBe(false);
  }
  expect(await (await sessionA.fetch(`/api/capacity?portalId=${portalB}`)).json()).toMatchObject({ used: 1 });
  const audit = (await (await sessionA.fetch(`/api/audit-events?portalId=${portalB}&pageSize=100`)).json()) as { items: Array<{ domain: string | null }> };
  expect(audit.items.some((event) => event.domain?.startsWith('secret-'))).toBe(false);
});

test("exporting: the CSV holds A's rows only", async () => {
  for (const query of [`portalId=${portalB}`, 'search=secret', 'status=all']) {
    const csv = await (await sessionA.fetch(`/api/registrations/export.csv?${query}`)).text();
    expect(csv).not.toContain('secret-');
  }
});

test("deregistering: B's ids are not found and stay active; a search never reaches B", async () => {
  const byIds = await sessionA.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'registrations', registrationIds: idsOfB } } });
  expect(byIds.status).toBe(409);
  expect(await byIds.json()).toMatchObject({ code: 'NOTHING_TO_DEREGISTER', notFound: idsOfB });

  const bySearch = await sessionA.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'search', search: 'secret' } } });
  expect(bySearch.status).toBe(409);

  const withPortal = await sessionA.fetch('/api/deregistrations', {
    method: 'POST',
    body: { portalId: portalB, selection: { kind: 'registrations', registrationIds: [idsOfB[0]!] } },
  });
  expect(withPortal.status).toBe(409);
  expect(await activeOfB()).toBe(3);
  expect(await db.deregistrationJob.count({ where: { portalId: BigInt(portalA) } })).toBe(0);
});

test("jobs: B's job is not found for A, to read or to undo", async () => {
  const read = await sessionA.fetch(`/api/deregistrations/${jobOfB}`);
  expect(read.status).toBe(404);
  const undo = await sessionA.fetch(`/api/deregistrations/${jobOfB}/undo`, { method: 'POST', body: {} });
  expect(undo.status).toBe(404);
  expect((await db.deregistrationJob.findUniqueOrThrow({ where: { id: jobOfB } })).undoneAt).toBeNull();
});

test("suggestions: only A's claims, whatever the request names, even when B's would rank first", async () => {
  // B's contacts are lost leads: if the query ever crossed portals they would lead the list.
  for (const contactId of ['secret-one', 'secret-two']) {
    await db.contact.upsert({
      where: { portalId_contactId: { portalId: BigInt(portalB), contactId } },
      create: { portalId: BigInt(portalB), contactId, leadStatus: 'UNQUALIFIED', deletedAt: new Date() },
      update: { leadStatus: 'UNQUALIFIED', deletedAt: new Date() },
    });
  }
  await db.portal.update({ where: { id: BigInt(portalA) }, data: { limitOverride: 0 } });
  try {
    for (const query of ['', `portalId=${portalB}`, `portal_id=${portalB}&limit=1000`]) {
      const answer = await sessionA.fetch(`/api/release-suggestions?${query}`);
      expect(answer.status).toBe(200);
      const suggestions = (await answer.json()) as { releaseNeeded: number; items: Array<{ domain: string; contactId: string }> };
      // A holds one claim over a limit of 0: exactly that one is offered, never one of B's.
      expect(suggestions.releaseNeeded).toBe(2);
      expect(suggestions.items.map((item) => item.domain)).toEqual(['a-owned.se']);
    }
  } finally {
    await db.portal.update({ where: { id: BigInt(portalA) }, data: { limitOverride: null } });
  }
});

test("roles: being B's admin or B's chosen user gives no right in A; A's roles are read for A's session only", async () => {
  const { setPortalAdmin, grantManager } = await import('../portals/portal-roles.js');
  // A now has an admin who is not A's signed-in user; in B that same user is the admin.
  await setPortalAdmin(db, { portalId: portalA, userId: 'a-admin', email: 'boss@a.example', actor: 'test' });
  await setPortalAdmin(db, { portalId: portalB, userId: '1', email: 'a@agency.example', actor: 'test' });
  await grantManager(db, { portalId: portalB, userId: null, email: 'someone@b.example', actor: 'test' });
  try {
    const deregister = await sessionA.fetch('/api/deregistrations', { method: 'POST', body: { portalId: portalB, selection: { kind: 'search', search: '' } } });
    expect(deregister.status).toBe(403);
    const problem = (await deregister.json()) as { code: string; detail: string };
    expect(problem.code).toBe('ROLE_REQUIRED');
    // Whom to ask is A's admin, never B's people.
    expect(problem.detail).toContain('ask boss@a.example.');
    expect(problem.detail).not.toContain('b.example');
    const roles = (await (await sessionA.fetch(`/api/roles?portalId=${portalB}`)).json()) as { admin: { email: string }; managers: unknown[]; you: { authority: string } };
    expect(roles).toMatchObject({ admin: { email: 'boss@a.example' }, managers: [], you: { authority: 'member' } });
    // Naming B changes nothing: the admin check is A's, and A's admin is someone else.
    for (const body of [{ email: 'a@agency.example', portalId: portalB }, { email: 'a@agency.example' }]) {
      const grant = await sessionA.fetch('/api/roles', { method: 'POST', body });
      expect(await grant.json()).toMatchObject({ status: 403, code: 'ADMIN_REQUIRED', detail: expect.stringContaining('ask boss@a.example') });
    }
    // Without the CSRF token the refusal is the CSRF one, whatever the role.
    const forged = await sessionA.fetch('/api/roles', { method: 'POST', body: { email: 'a@agency.example' }, headers: { 'x-csrf-token': 'nope' } });
    expect(await forged.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    expect(await activeOfB()).toBe(3);
  } finally {
    await db.portalUserRole.deleteMany({ where: { portalId: { in: [BigInt(portalA), BigInt(portalB)] } } });
  }
});
