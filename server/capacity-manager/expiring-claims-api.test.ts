// Claim expiry in the Capacity Manager's API, through the real server on the real database: the
// list sorted by expiry both ways (claims that never expire last, pages by cursor across them),
// the renewals each row has left, and GET /api/expiring-claims — the claims within the first
// reminder window, soonest first, and whether reminder tasks reach HubSpot.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { updateProgramSettings } from '../program/program-settings.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RunningServer } from '../start-server.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { startTestServer } from '../../test/support/server.js';
import { parseAnswer, parseProblem } from '../api-docs/testing/parse-answer.js';
import { REMINDER_TASK_SCOPES } from '../expiry/expiry-reminders.js';
import { expiringClaimsAnswerSchema, registrationPageSchema } from './capacity-manager-contract.js';
import { signInThroughCardLink, type TestSession } from './testing/sign-in.js';

const DAY = 24 * 3600_000;

let db: Database;
let server: RunningServer;
let portalId: number;
let session: TestSession;

/** A claim of `portal` on `domain`, expiring in `days` (null: never), deregistered when asked. */
async function claim(portal: number, domain: string, days: number | null, { deregistered = false } = {}) {
  const registered = await registerContact(db, {
    portalId: portal,
    contact: { contactId: `c-${domain}`, website: `https://${domain}` },
    registeredBy: 'ann@agency.example',
    channel: 'card',
  });
  if (!registered.ok) throw new Error(`${domain} not registered: ${registered.refusal.message}`);
  await db.registration.update({
    where: { id: BigInt(registered.registration.id) },
    data: {
      expiresAt: days === null ? null : new Date(Date.now() + days * DAY),
      ...(deregistered ? { status: 'deregistered', deregisteredAt: new Date(), deregisteredBy: 'test' } : {}),
    },
  });
}

beforeAll(async () => {
  db = testDatabase(4);
  await updateProgramSettings(db, { changes: { claimPeriodDays: 30, reminderDays: [14, 3], renewalsAllowed: 2 }, actor: 'test' });
  server = await startTestServer();
  portalId = await createTestPortal(db);
  const other = await createTestPortal(db);
  await claim(portalId, 'twenty-days.se', 20);
  await claim(portalId, 'five-days.se', 5);
  await claim(portalId, 'never.se', null);
  await claim(portalId, 'two-days.se', 2);
  await claim(portalId, 'overdue.se', -0.5);
  await claim(portalId, 'gone.se', 1, { deregistered: true });
  await claim(other, 'other-portal.se', 1);
  session = await signInThroughCardLink(server.url, { portalId, userId: '42', userEmail: 'ann@agency.example' });
});

afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

async function listed(query: string) {
  return parseAnswer(await session.fetch(`/api/registrations?${query}`), 200, registrationPageSchema);
}

describe('the registered list sorted by expiry', () => {
  test('soonest first going up, latest first going down; claims that never expire last both ways', async () => {
    const up = await listed('sortBy=expiresAt&sortDirection=asc');
    expect(up.items.map((item) => item.domain)).toEqual(['overdue.se', 'two-days.se', 'five-days.se', 'twenty-days.se', 'never.se']);
    const down = await listed('sortBy=expiresAt&sortDirection=desc');
    expect(down.items.map((item) => item.domain)).toEqual(['twenty-days.se', 'five-days.se', 'two-days.se', 'overdue.se', 'never.se']);
  });

  test('pages by cursor across the claims that never expire, forwards and back', async () => {
    for (const [direction, expected] of [
      ['asc', [['overdue.se', 'two-days.se'], ['five-days.se', 'twenty-days.se'], ['never.se']]],
      ['desc', [['twenty-days.se', 'five-days.se'], ['two-days.se', 'overdue.se'], ['never.se']]],
    ] as const) {
      const base = `sortBy=expiresAt&sortDirection=${direction}&pageSize=2`;
      const first = await listed(base);
      const second = await listed(`${base}&page=2&cursor=${first.nextCursor}`);
      const third = await listed(`${base}&page=3&cursor=${second.nextCursor}`);
      expect([first, second, third].map((page) => page.items.map((item) => item.domain))).toEqual(expected);
      expect(third.nextCursor).toBeNull();
      const back = await listed(`${base}&page=2&cursor=${third.previousCursor}`);
      expect(back.items.map((item) => item.domain)).toEqual(expected[1]);
    }
  });

  test('each row says the renewals it has left; a claim that never expires has none to give', async () => {
    await db.registration.updateMany({ where: { portalId: BigInt(portalId), domain: 'five-days.se' }, data: { renewals: 2 } });
    const page = await listed('sortBy=expiresAt');
    const left = Object.fromEntries(page.items.map((item) => [item.domain, item.renewalsLeft]));
    expect(left).toEqual({ 'overdue.se': 2, 'two-days.se': 2, 'five-days.se': 0, 'twenty-days.se': 2, 'never.se': null });
    await db.registration.updateMany({ where: { portalId: BigInt(portalId), domain: 'five-days.se' }, data: { renewals: 0 } });
  });
});

describe('GET /api/expiring-claims', () => {
  test('the active claims within the first reminder window, soonest first (overdue ones too), nobody else’s', async () => {
    const answer = await parseAnswer(await session.fetch('/api/expiring-claims'), 200, expiringClaimsAnswerSchema);
    expect(answer).toMatchObject({ claimPeriodDays: 30, withinDays: 14, renewalsAllowed: 2, total: 3 });
    expect(answer.items.map((item) => [item.domain, item.renewalsLeft])).toEqual([
      ['overdue.se', 2],
      ['two-days.se', 2],
      ['five-days.se', 2],
    ]);
    const one = await parseAnswer(await session.fetch('/api/expiring-claims?limit=1'), 200, expiringClaimsAnswerSchema);
    expect(one).toMatchObject({ total: 3, items: [{ domain: 'overdue.se' }] });
    await parseProblem(await session.fetch('/api/expiring-claims?limit=0'), 400, 'INVALID_REQUEST');
  });

  test('the window follows the program’s largest reminder day', async () => {
    await updateProgramSettings(db, { changes: { reminderDays: [21, 3] }, actor: 'test' });
    try {
      const answer = await parseAnswer(await session.fetch('/api/expiring-claims'), 200, expiringClaimsAnswerSchema);
      expect(answer).toMatchObject({ withinDays: 21, total: 4 });
      expect(answer.items.at(-1)?.domain).toBe('twenty-days.se');
    } finally {
      await updateProgramSettings(db, { changes: { reminderDays: [14, 3] }, actor: 'test' });
    }
  });

  test('reminder tasks: not without the scopes the install lacks, then granted, then not once HubSpot refused a task', async () => {
    const access = async () => (await parseAnswer(await session.fetch('/api/expiring-claims'), 200, expiringClaimsAnswerSchema)).reminderTasks;
    expect(await access()).toEqual({ granted: false, missingScopes: [...REMINDER_TASK_SCOPES] });

    const installedAt = new Date(Date.now() - DAY);
    await db.hubSpotInstall.create({
      data: { portalId: BigInt(portalId), accessToken: 'x', refreshToken: 'x', accessTokenExpiresAt: new Date(), scopes: ['oauth', 'crm.objects.contacts.write'], installedAt },
    });
    expect(await access()).toEqual({ granted: false, missingScopes: ['crm.objects.owners.read'] });

    await db.hubSpotInstall.update({ where: { portalId: BigInt(portalId) }, data: { scopes: ['oauth', ...REMINDER_TASK_SCOPES] } });
    expect(await access()).toEqual({ granted: true, missingScopes: [] });

    // The reminder job learned otherwise: HubSpot refused the task (403) after the install.
    const twoDays = await db.registration.findFirstOrThrow({ where: { portalId: BigInt(portalId), domain: 'two-days.se' } });
    await db.$executeRaw`INSERT INTO expiry_reminders (registration_id, days_before, outcome, sent_at) VALUES (${twoDays.id}, 3, 'no_scope', now())`;
    expect(await access()).toEqual({ granted: false, missingScopes: [] });

    // Installed again since: the refusal is old news.
    await db.hubSpotInstall.update({ where: { portalId: BigInt(portalId) }, data: { installedAt: new Date(Date.now() + 1000) } });
    expect(await access()).toEqual({ granted: true, missingScopes: [] });
  });
});
