// Keeps the card and its backend in step: the real server's answers in every state the card knows
// match the contract the card is written against (strictly: no missing and no unknown fields).
// That the project declares the card and permits the URL it calls: hubspot-project.test.ts and
// scripts/hubspot-configure.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../server/db/client.js';
import type { HubSpot } from '../server/hubspot/hubspot.js';
import { updateProgramSettings } from '../server/program/program-settings.js';
import { registerContact } from '../server/registrations/register-contact.js';
import type { RunningServer } from '../server/start-server.js';
import { testDatabase } from '../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, TEST_CLIENT_SECRET, type HubSpotTestRig } from '../test/support/hubspot.js';
import { startTestServer } from '../test/support/server.js';
import { BACKEND_URL } from './src/app/cards/backend.js';
import {
  CARD_API_PATHS,
  CARD_PROBLEM_CODES,
  cardProblemSchema,
  cardStateAnswerSchema,
  registerAnswerSchema,
  renewalAnswerSchema,
  waitlistAnswerSchema,
  type RegisterAnswer,
} from './src/app/cards/card-api-contract.js';
import { createTestPortal } from '../test/support/database.js';
import { emulateHubSpotFetch } from './testing/hubspot-fetch.js';

describe('answers', () => {
  let rig: HubSpotTestRig;
  let db: Database;
  let hubspot: HubSpot;
  let closeHubSpot: () => Promise<void>;
  let server: RunningServer;
  let portalId: number;

  beforeAll(async () => {
    rig = await startHubSpotRig();
    db = testDatabase(4);
    ({ hubspot, close: closeHubSpot } = hubspotProcess(rig, db));
    server = await startTestServer({ ...rig.env, PUBLIC_URL: BACKEND_URL });
    portalId = await installedPortal(rig, db, hubspot, { tier: 'untiered' });
  });

  afterAll(async () => {
    await server?.close();
    await closeHubSpot?.();
    await db?.$disconnect();
    await rig?.stop();
  });

  const cardFetch = (portal = portalId) =>
    emulateHubSpotFetch({
      publicUrl: BACKEND_URL,
      serverUrl: server.url,
      clientSecret: TEST_CLIENT_SECRET,
      appId: TEST_APP_ID,
      portalId: portal,
      userId: 9,
      userEmail: 'eva@agency.example',
    });
  const call = (path: string, options?: { method: 'POST'; body: Record<string, unknown> }, portal = portalId) => cardFetch(portal)(`${BACKEND_URL}${path}`, options);
  const stateAnswer = async (contactId: string, portal = portalId) => {
    const response = await call(CARD_API_PATHS.state(contactId), undefined, portal);
    expect(response.status).toBe(200);
    return cardStateAnswerSchema.parse(await response.json());
  };
  const state = async (contactId: string) => {
    const answer = await stateAnswer(contactId);
    if (answer.status !== 'ready') throw new Error(`expected a ready state, got ${answer.status}`);
    return answer.state;
  };
  const register = async (contactId: string, portal = portalId) => {
    const response = await call(CARD_API_PATHS.register(contactId), { method: 'POST', body: {} }, portal);
    expect(response.status).toBeLessThan(300);
    return registerAnswerSchema.parse(await response.json());
  };
  const refusalOf = (answer: RegisterAnswer) => (answer.status === 'refused' ? answer.refusal : null);
  const seed = (values: Record<string, string>) => rig.fake.contacts.seed(portalId, [values])[0]!.id;

  test('card states: not registered, registered (this contact, another contact, website changed)', async () => {
    const fresh = seed({ website: 'https://contract-fresh.se' });
    expect((await state(fresh)).registration).toBeNull();
    expect((await state(seed({}))).cannotRegister?.code).toBe('NO_WEBSITE');

    const own = seed({ website: 'https://contract-own.se', firstname: 'Own' });
    await register(own);
    const other = seed({ website: 'https://www.contract-own.se' });
    expect((await state(own)).registration?.throughThisContact).toBe(true);
    expect((await state(other)).registration?.throughThisContact).toBe(false);
    rig.fake.contacts.update(portalId, own, { website: 'https://contract-moved.se' });
    expect((await state(own)).websiteChanged).toBe(true);
  });

  test('register answers: registered and every refusal', async () => {
    expect((await register(seed({ website: 'https://contract-new.se' }))).status).toBe('registered');
    expect(refusalOf(await register(seed({})))?.code).toBe('NO_WEBSITE');
    expect(refusalOf(await register(seed({ website: 'mailto:someone@contract.se' })))?.code).toBe('INVALID_WEBSITE');
    const first = seed({ website: 'https://contract-twice.se' });
    await register(first);
    expect(refusalOf(await register(seed({ website: 'https://contract-twice.se/other' })))?.code).toBe('ALREADY_REGISTERED');
    const registered = await db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } });
    for (let n = registered; n < 50; n += 1) {
      await registerContact(db, { portalId, contact: { contactId: `filler-${n}`, website: `https://contract-filler-${n}.se` }, registeredBy: 'test', channel: 'operator' });
    }
    const full = await register(seed({ website: 'https://contract-full.se' }));
    expect(full).toMatchObject({ status: 'refused', refusal: { code: 'CAPACITY_FULL' }, state: { capacity: { alertLevel: 100 } } });
  });

  test('waitlist answers: held, joined (waiting with a place), left, refused for a free domain', async () => {
    const holder = await createTestPortal(db);
    await registerContact(db, { portalId: holder, contact: { contactId: 'h', website: 'https://contract-held.se' }, registeredBy: 'test', channel: 'operator' });
    const waiting = seed({ website: 'https://contract-held.se' });
    expect((await state(waiting)).domainHeld).toMatchObject({ heldUntil: null });
    const waitlist = async (path: string, body: Record<string, unknown> = {}) => {
      const response = await call(path, { method: 'POST', body });
      expect(response.status).toBe(200);
      return waitlistAnswerSchema.parse(await response.json());
    };
    expect(await waitlist(CARD_API_PATHS.joinWaitlist(waiting))).toMatchObject({
      status: 'waiting',
      state: { waitlist: { domain: 'contract-held.se', position: 1, skipCount: 0 } },
    });
    expect(await waitlist(CARD_API_PATHS.leaveWaitlist(waiting), { domain: 'contract-held.se' })).toMatchObject({ status: 'left', state: { waitlist: null } });
    expect(await waitlist(CARD_API_PATHS.joinWaitlist(seed({ website: 'https://contract-free.se' })))).toMatchObject({
      status: 'refused',
      refusal: { code: 'DOMAIN_NOT_HELD' },
      state: { domainHeld: null },
    });
    expect(await waitlist(CARD_API_PATHS.joinWaitlist('123456789012'))).toEqual({ status: 'contact-not-found', contactId: '123456789012' });
  });

  test('renewal answers: a claim expiring soon with renewals left, renewed, refused (no renewals left, no claim period)', async () => {
    await updateProgramSettings(db, { changes: { claimPeriodDays: 30, renewalsAllowed: 1 }, actor: 'test' });
    try {
      // A portal of its own: the one above is full by now.
      const renewing = await installedPortal(rig, db, hubspot, { tier: 'untiered' });
      const contactId = rig.fake.contacts.seed(renewing, [{ website: 'https://contract-renew.se' }])[0]!.id;
      const registered = await register(contactId, renewing);
      if (registered.status !== 'registered') throw new Error(`expected registered, got ${registered.status}`);
      const registrationId = registered.state.registration!.id;
      expect(registered.state.registration?.expiry).toMatchObject({ expiringSoon: false, renewalsLeft: 1 });
      await db.registration.update({ where: { id: BigInt(registrationId) }, data: { expiresAt: new Date(Date.now() + 3 * 24 * 3600 * 1000) } });
      expect(await stateAnswer(contactId, renewing)).toMatchObject({ status: 'ready', state: { registration: { expiry: { expiringSoon: true, renewalsLeft: 1 } } } });
      const renew = async (contact: string, id: string) => {
        const response = await call(CARD_API_PATHS.renew(contact), { method: 'POST', body: { registrationId: id } }, renewing);
        expect(response.status).toBe(200);
        return renewalAnswerSchema.parse(await response.json());
      };
      expect(await renew(contactId, registrationId)).toMatchObject({ status: 'renewed', state: { registration: { expiry: { expiringSoon: false, renewalsLeft: 0 } } } });
      expect(await renew(contactId, registrationId)).toMatchObject({ status: 'refused', refusal: { code: 'NO_RENEWALS_LEFT' } });
      expect(await renew('123456789012', registrationId)).toEqual({ status: 'contact-not-found', contactId: '123456789012' });
      await updateProgramSettings(db, { changes: { claimPeriodDays: null }, actor: 'test' });
      expect(await renew(contactId, registrationId)).toMatchObject({ status: 'refused', refusal: { code: 'NOT_EXPIRING' }, state: { registration: { expiry: null } } });
    } finally {
      await updateProgramSettings(db, { changes: { claimPeriodDays: null, renewalsAllowed: 2 }, actor: 'test' });
    }
  });

  test('expected states are answers (2xx) with an explicit status: not connected, contact not found', async () => {
    expect(await stateAnswer('123456789012')).toEqual({ status: 'contact-not-found', contactId: '123456789012' });
    expect(await register('123456789012')).toEqual({ status: 'contact-not-found', contactId: '123456789012' });
    const notConnected = { status: 'not-connected', installUrl: `${BACKEND_URL}/oauth/install` };
    expect(await stateAnswer('1', portalId + 1)).toEqual(notConnected);
    expect(await register('1', portalId + 1)).toEqual(notConnected);
  });

  test('only a real failure is an HTTP error: HubSpot not answering the contact read', async () => {
    const contactId = seed({ website: 'https://contract-outage.se' });
    rig.fake.faults.failNext(20, { status: 503, pathPrefix: '/crm/v3/objects/contacts' });
    const response = await call(CARD_API_PATHS.register(contactId), { method: 'POST', body: {} });
    expect(response.status).toBe(503);
    expect(cardProblemSchema.parse(await response.json()).code).toBe(CARD_PROBLEM_CODES.hubspotUnavailable);
    rig.fake.faults.clear();
  });
});
