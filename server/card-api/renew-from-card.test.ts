// The card's Renew over HTTP, signed as HubSpot signs hubspot.fetch, on the real server and
// PostgreSQL: it renews only the signed portal's claim the card shows for the contact, through
// the audited renewal use case, and every refusal is an answer with the card's new state.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { updateProgramSettings } from '../program/program-settings.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RunningServer } from '../start-server.js';
import { CARD_API_PATHS, cardStateAnswerSchema, renewalAnswerSchema, type CardState, type RenewalAnswer } from '../../extensions/src/app/cards/card-api-contract.js';
import { emulateHubSpotFetch } from '../../extensions/testing/hubspot-fetch.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, TEST_CLIENT_SECRET, type HubSpotTestRig } from '../../test/support/hubspot.js';
import { startTestServer } from '../../test/support/server.js';

const PUBLIC_URL = 'https://partner-capacity.test';
const DAY = 24 * 3600 * 1000;

let rig: HubSpotTestRig;
let db: Database;
let server: RunningServer;
let closeHubSpot: () => Promise<void>;
let portalId: number;

beforeAll(async () => {
  rig = await startHubSpotRig();
  db = testDatabase(4);
  await updateProgramSettings(db, { changes: { claimPeriodDays: 30, renewalsAllowed: 2, reminderDays: [14, 3] }, actor: 'test' });
  const process = hubspotProcess(rig, db);
  closeHubSpot = process.close;
  portalId = await installedPortal(rig, db, process.hubspot);
  server = await startTestServer({ ...rig.env, PUBLIC_URL });
});

afterAll(async () => {
  await server?.close();
  await closeHubSpot?.();
  await db?.$disconnect();
  await rig?.stop();
});

const cardFetch = (portal = portalId) =>
  emulateHubSpotFetch({
    publicUrl: PUBLIC_URL,
    serverUrl: server.url,
    clientSecret: TEST_CLIENT_SECRET,
    appId: TEST_APP_ID,
    portalId: portal,
    userId: 501,
    userEmail: 'ann@agency.example',
  });

async function cardState(contactId: string): Promise<CardState> {
  const answer = cardStateAnswerSchema.parse(await (await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.state(contactId)}`)).json());
  if (answer.status !== 'ready') throw new Error(`expected a ready state, got ${answer.status}`);
  return answer.state;
}

async function renew(contactId: string, body: Record<string, unknown>): Promise<RenewalAnswer> {
  const response = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.renew(contactId)}`, { method: 'POST', body });
  expect(response.status).toBe(200);
  return renewalAnswerSchema.parse(await response.json());
}

/** A contact in HubSpot registered to `portal` with its claim ending in `days` days. */
async function registeredExpiringIn(domain: string, days: number, portal = portalId) {
  const [contact] = rig.fake.contacts.seed(portal, [{ website: `https://${domain}` }]);
  const registered = await registerContact(db, {
    portalId: portal,
    contact: { contactId: contact!.id, website: `https://${domain}` },
    registeredBy: 'ann@agency.example',
    channel: 'card',
  });
  if (!registered.ok) throw new Error(`${domain} not registered`);
  await db.registration.update({ where: { id: BigInt(registered.registration.id) }, data: { expiresAt: new Date(Date.now() + days * DAY) } });
  return { contactId: contact!.id, registrationId: registered.registration.id };
}

async function claimOf(registrationId: string) {
  const row = await db.registration.findUniqueOrThrow({ where: { id: BigInt(registrationId) }, select: { expiresAt: true, renewals: true, status: true } });
  const renewalsAudited = await db.auditEvent.count({ where: { registrationId: BigInt(registrationId), action: 'registration_renewed' } });
  return { ...row, renewalsAudited };
}

describe('Renew from the card', () => {
  test('the state says a claim is expiring soon, with the renewals left; a signed Renew extends it one period from now, audited with the HubSpot user', async () => {
    const { contactId, registrationId } = await registeredExpiringIn('renew-card.se', 2);
    const later = await registeredExpiringIn('renew-later.se', 20);
    expect((await cardState(contactId)).registration?.expiry).toMatchObject({ expiringSoon: true, renewalsLeft: 2 });
    expect((await cardState(later.contactId)).registration?.expiry).toMatchObject({ expiringSoon: false, renewalsLeft: 2 });

    const before = Date.now();
    const answer = await renew(contactId, { registrationId });
    if (answer.status !== 'renewed') throw new Error(`expected renewed, got ${JSON.stringify(answer)}`);
    const expiry = answer.state.registration?.expiry;
    expect(expiry).toMatchObject({ expiringSoon: false, renewalsLeft: 1 });
    expect(new Date(expiry!.expiresAt).getTime()).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);
    expect(new Date(expiry!.expiresAt).getTime()).toBeLessThan(Date.now() + 30 * DAY + 1000);

    expect(await claimOf(registrationId)).toMatchObject({ renewals: 1, status: 'active', renewalsAudited: 1, expiresAt: new Date(expiry!.expiresAt) });
    const [audit] = await db.auditEvent.findMany({ where: { registrationId: BigInt(registrationId), action: 'registration_renewed' } });
    expect(audit).toMatchObject({ actor: 'ann@agency.example', portalId: BigInt(portalId) });
  });

  test('bad input is refused and changes nothing: unsigned, no or a malformed registration id, another contact’s or another portal’s claim', async () => {
    const { contactId, registrationId } = await registeredExpiringIn('renew-untouched.se', 5);
    const other = await registeredExpiringIn('renew-other-contact.se', 5);
    const otherPortal = await createTestPortal(db);
    const theirs = await registerContact(db, { portalId: otherPortal, contact: { contactId: 'theirs', website: 'https://renew-theirs.se' }, registeredBy: 'x', channel: 'card' });
    if (!theirs.ok) throw new Error('not registered');
    const untouched = await claimOf(registrationId);

    const unsigned = await fetch(`${server.url}${CARD_API_PATHS.renew(contactId)}?portalId=${portalId}&userId=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ registrationId }),
    });
    expect(unsigned.status).toBe(401);

    for (const body of [{}, { registrationId: 'abc' }, { registrationId: '0' }, { registrationId: Number(registrationId) }]) {
      const response = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.renew(contactId)}`, { method: 'POST', body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const badContact = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.renew('not-a-contact')}`, { method: 'POST', body: { registrationId } });
    expect(badContact.status).toBe(400);

    // The card of this contact names a registration that is not the contact's: nothing renewed.
    for (const wrong of [other.registrationId, theirs.registration.id]) {
      expect(await renew(contactId, { registrationId: wrong })).toMatchObject({
        status: 'refused',
        refusal: { code: 'NOT_REGISTERED' },
        state: { registration: { id: registrationId } },
      });
    }
    expect(await claimOf(registrationId)).toEqual(untouched);
    expect(await claimOf(other.registrationId)).toMatchObject({ renewals: 0, renewalsAudited: 0 });
    expect(await claimOf(theirs.registration.id)).toMatchObject({ renewals: 0, renewalsAudited: 0 });
  });

  test('no renewals left: refused with the sentence, nothing changes, and the state says so', async () => {
    const { contactId, registrationId } = await registeredExpiringIn('renew-exhausted.se', 3);
    expect((await renew(contactId, { registrationId })).status).toBe('renewed');
    expect((await renew(contactId, { registrationId })).status).toBe('renewed');
    const exhausted = await claimOf(registrationId);
    expect(exhausted).toMatchObject({ renewals: 2, renewalsAudited: 2 });

    const refused = await renew(contactId, { registrationId });
    expect(refused).toMatchObject({
      status: 'refused',
      refusal: { code: 'NO_RENEWALS_LEFT', message: expect.stringMatching(/renewed 2 times already/) },
      state: { registration: { id: registrationId, expiry: { renewalsLeft: 0 } } },
    });
    expect(await claimOf(registrationId)).toEqual(exhausted);
  });

  test('a claim of a registration that ended is refused as not registered; without a claim period, there is no expiry and nothing to renew', async () => {
    const ended = await registeredExpiringIn('renew-ended.se', 1);
    await db.registration.update({ where: { id: BigInt(ended.registrationId) }, data: { status: 'deregistered', deregisteredAt: new Date() } });
    expect(await renew(ended.contactId, { registrationId: ended.registrationId })).toMatchObject({
      status: 'refused',
      refusal: { code: 'NOT_REGISTERED' },
      state: { registration: null },
    });

    await updateProgramSettings(db, { changes: { claimPeriodDays: null }, actor: 'test' });
    try {
      const { contactId, registrationId } = await registeredExpiringIn('renew-forever.se', 0);
      await db.registration.update({ where: { id: BigInt(registrationId) }, data: { expiresAt: null } });
      expect((await cardState(contactId)).registration?.expiry).toBeNull();
      expect(await renew(contactId, { registrationId })).toMatchObject({ status: 'refused', refusal: { code: 'NOT_EXPIRING' }, state: { registration: { expiry: null } } });
      expect(await claimOf(registrationId)).toMatchObject({ renewals: 0, renewalsAudited: 0, expiresAt: null });
    } finally {
      await updateProgramSettings(db, { changes: { claimPeriodDays: 30 }, actor: 'test' });
    }
  });
});
