// POST /api/registrations/:id/renewal: the Capacity Manager's Renew, through the real server.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { updateProgramSettings } from '../program/program-settings.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RunningServer } from '../start-server.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { startTestServer } from '../../test/support/server.js';
import { parseAnswer } from '../api-docs/testing/parse-answer.js';
import { renewalAnswerSchema } from './capacity-manager-contract.js';
import { signInThroughCardLink } from './testing/sign-in.js';

let db: Database;
let server: RunningServer;

beforeAll(async () => {
  db = testDatabase(4);
  await updateProgramSettings(db, { changes: { claimPeriodDays: 30, renewalsAllowed: 1 }, actor: 'test' });
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

test('renews a claim once (as the program allows), then refuses with NO_RENEWALS_LEFT; another portal’s claim is not found', async () => {
  const portalId = await createTestPortal(db);
  const other = await createTestPortal(db);
  const registered = await registerContact(db, { portalId, contact: { contactId: 'c-1', website: 'https://renew-api.se' }, registeredBy: 'a@agency.example', channel: 'card' });
  if (!registered.ok) throw new Error('not registered');
  const id = registered.registration.id;
  const session = await signInThroughCardLink(server.url, { portalId, userId: '1', userEmail: 'a@agency.example' });

  const list = (await (await session.fetch('/api/registrations')).json()) as { items: Array<{ id: string; expiresAt: string | null; renewals: number }> };
  expect(list.items.find((item) => item.id === id)).toMatchObject({ expiresAt: expect.any(String), renewals: 0 });

  const renewed = await parseAnswer(await session.fetch(`/api/registrations/${id}/renewal`, { method: 'POST' }), 200, renewalAnswerSchema);
  expect(renewed).toMatchObject({ id, domain: 'renew-api.se', renewals: 1, renewalsLeft: 0 });
  expect(new Date(renewed.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);

  const refused = await session.fetch(`/api/registrations/${id}/renewal`, { method: 'POST' });
  expect(refused.status).toBe(409);
  expect(await refused.json()).toMatchObject({ code: 'NO_RENEWALS_LEFT' });

  const otherSession = await signInThroughCardLink(server.url, { portalId: other, userId: '2', userEmail: 'b@agency.example' });
  expect((await otherSession.fetch(`/api/registrations/${id}/renewal`, { method: 'POST' })).status).toBe(404);
  expect(await db.auditEvent.count({ where: { registrationId: BigInt(id), action: 'registration_renewed' } })).toBe(1);
});
