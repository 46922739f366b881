// GET /api/release-suggestions over HTTP with a real session on the real database: what the
// contact mirror and the claims say becomes ranked suggestions with their reasons, checked
// against the strict answer schema; over the limit exactly the number to release comes first;
// the query is validated; the suggested ids deregister through the usual request.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RunningServer } from '../start-server.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { startTestServer } from '../../test/support/server.js';
import { releaseSuggestionsAnswerSchema, type ReleaseSuggestionsAnswer } from './capacity-manager-contract.js';
import { signInThroughCardLink, type TestSession } from './testing/sign-in.js';

let db: Database;
let server: RunningServer;
let portalId: number;
let session: TestSession;

const DAY = 24 * 3600_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

/** A claim of the portal, its registration back-dated, and what the mirror knows of its contact (null: no mirror row). */
async function claim(
  domain: string,
  { channel = 'card', registeredDaysAgo = 5, contact = {} }: { channel?: 'card' | 'automatic'; registeredDaysAgo?: number; contact?: Record<string, unknown> | null } = {},
) {
  const contactId = `c-${domain}`;
  await registerContact(db, { portalId, contact: { contactId, website: `https://${domain}`, company: domain }, registeredBy: 'ann@agency.example', channel });
  await db.registration.updateMany({ where: { portalId: BigInt(portalId), domain }, data: { registeredAt: daysAgo(registeredDaysAgo) } });
  if (contact) await db.contact.create({ data: { portalId: BigInt(portalId), contactId, lastActivityAt: daysAgo(1), ...contact } });
}

async function suggestions(query = ''): Promise<ReleaseSuggestionsAnswer> {
  const answer = await session.fetch(`/api/release-suggestions${query}`);
  expect(answer.status).toBe(200);
  return releaseSuggestionsAnswerSchema.parse(await answer.json());
}

beforeAll(async () => {
  db = testDatabase(4);
  server = await startTestServer();
  portalId = await createTestPortal(db, { tier: 'untiered' });
  await claim('kept.se');
  await claim('deleted.se', { contact: { deletedAt: new Date() } });
  await claim('merged.se', { contact: { deletedAt: new Date(), mergedIntoContactId: '777' } });
  await claim('unqualified.se', { contact: { leadStatus: 'UNQUALIFIED' } });
  await claim('other-stage.se', { contact: { lifecycleStage: 'other' } });
  await claim('quiet.se', { registeredDaysAgo: 300, contact: { lastActivityAt: daysAgo(120) } });
  await claim('rule.se', { channel: 'automatic', registeredDaysAgo: 40, contact: { lastActivityAt: null } });
  await claim('unseen.se', { registeredDaysAgo: 100, contact: null });
  await claim('busy.se', { registeredDaysAgo: 300, contact: { leadStatus: 'IN_PROGRESS', lastActivityAt: daysAgo(2) } });
  session = await signInThroughCardLink(server.url, { portalId, userId: '42', userEmail: 'ann@agency.example' });
});

afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

describe('GET /api/release-suggestions', () => {
  test('ranks the claims worth releasing with their reasons, and leaves the worked ones out', async () => {
    const answer = await suggestions();
    expect(answer).toMatchObject({ inactivityDays: 90, expiringWithinDays: 14, releaseNeeded: 0, total: 7 });
    expect(answer.items.map((item) => [item.domain, item.reasons.map((reason) => reason.code)])).toEqual([
      ['deleted.se', ['contact_deleted']],
      ['merged.se', ['contact_merged']],
      ['unqualified.se', ['lead_lost']],
      ['other-stage.se', ['lead_lost']],
      ['quiet.se', ['inactive']],
      ['unseen.se', ['inactive']],
      ['rule.se', ['automatic_untouched']],
    ]);
    const quiet = answer.items.find((item) => item.domain === 'quiet.se')!;
    expect(quiet.reasons).toEqual([{ code: 'inactive', idleDays: 120, lastActivityAt: quiet.lastActivityAt }]);
    expect(answer.items.find((item) => item.domain === 'merged.se')!.reasons).toEqual([{ code: 'contact_merged', mergedInto: '777' }]);
    expect(answer.items[0]).toMatchObject({ channel: 'card', registeredBy: 'ann@agency.example', contactUrl: expect.stringContaining('/record/0-1/c-deleted.se') });
  });

  test('sends at most `limit`, best first', async () => {
    expect((await suggestions('?limit=2')).items.map((item) => item.domain)).toEqual(['deleted.se', 'merged.se']);
  });

  test('over a lowered limit: releaseNeeded is what the status bar says, and that many come first', async () => {
    // 9 claims over a limit of 1: 8 over, 9 to release — more than the 7 with a reason.
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 1 } });
    try {
      const answer = await suggestions('?limit=3');
      expect(answer.releaseNeeded).toBe(9);
      expect(answer.items).toHaveLength(9);
      expect(answer.items.slice(7).map((item) => [item.domain, item.reasons])).toEqual([
        ['busy.se', [{ code: 'least_active' }]],
        ['kept.se', [{ code: 'least_active' }]],
      ]);
      expect(answer.total).toBe(7);
    } finally {
      await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: null } });
    }
  });

  test('refuses a bad limit, naming it', async () => {
    for (const query of ['?limit=0', '?limit=1001', '?limit=many']) {
      const answer = await session.fetch(`/api/release-suggestions${query}`);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    }
  });

  test('needs a session', async () => {
    expect((await fetch(`${server.url}/api/release-suggestions`)).status).toBe(401);
  });

  test('the suggested ids deregister through the usual request', async () => {
    const [first, second] = (await suggestions()).items;
    const answer = await session.fetch('/api/deregistrations', {
      method: 'POST',
      body: { selection: { kind: 'registrations', registrationIds: [first!.registrationId, second!.registrationId] } },
    });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toMatchObject({ job: { total: 2 }, notFound: [] });
  });
});
