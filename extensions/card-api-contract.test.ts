// Keeps the card and its backend in step: the real server's answers in every state the card knows
// match the contract the card is written against (strictly: no missing and no unknown fields).
// That the project declares the card and permits the URL it calls: hubspot-project.test.ts and
// scripts/hubspot-configure.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../server/db/client.js';
import type { HubSpot } from '../server/hubspot/hubspot.js';
import { registerContact } from '../server/registrations/register-contact.js';
import type { RunningServer } from '../server/start-server.js';
import { testDatabase } from '../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, TEST_CLIENT_SECRET, type HubSpotTestRig } from '../test/support/hubspot.js';
import { startTestServer } from '../test/support/server.js';
import { BACKEND_URL } from './src/app/cards/backend.js';
import { CARD_API_PATHS, CARD_PROBLEM_CODES, cardProblemSchema, cardStateSchema, registerAnswerSchema } from './src/app/cards/card-api-contract.js';
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
    emulateHubSpotFetch({ publicUrl: BACKEND_URL, serverUrl: server.url, clientSecret: TEST_CLIENT_SECRET, appId: TEST_APP_ID, portalId: portal, userId: 9, userEmail: 'eva@agency.example' });
  const state = async (contactId: string) => cardStateSchema.parse(await (await cardFetch()(`${BACKEND_URL}${CARD_API_PATHS.state(contactId)}`)).json());
  const register = async (contactId: string) => registerAnswerSchema.parse(await (await cardFetch()(`${BACKEND_URL}${CARD_API_PATHS.register(contactId)}`, { method: 'POST', body: {} })).json());
  const seed = (values: Record<string, string>) => rig.fake.contacts.seed(portalId, [values])[0]!.id;

  test('card states: not registered, registered (this contact, another contact, website changed)', async () => {
    const fresh = seed({ website: 'https://contract-fresh.se' });
    expect((await state(fresh)).registration).toBeNull();
    expect((await state(seed({}))).contact.websiteProblem?.code).toBe('NO_WEBSITE');

    const own = seed({ website: 'https://contract-own.se', firstname: 'Own' });
    await register(own);
    const other = seed({ website: 'https://www.contract-own.se' });
    expect((await state(own)).registration?.throughThisContact).toBe(true);
    expect((await state(other)).registration?.throughThisContact).toBe(false);
    rig.fake.contacts.update(portalId, own, { website: 'https://contract-moved.se' });
    expect((await state(own)).websiteChanged).toBe(true);
  });

  test('register answers: registered and every refusal', async () => {
    expect((await register(seed({ website: 'https://contract-new.se' }))).outcome).toBe('registered');
    expect((await register(seed({}))).refusal?.code).toBe('NO_WEBSITE');
    expect((await register(seed({ website: 'mailto:someone@contract.se' }))).refusal?.code).toBe('INVALID_WEBSITE');
    const first = seed({ website: 'https://contract-twice.se' });
    await register(first);
    expect((await register(seed({ website: 'https://contract-twice.se/other' }))).refusal?.code).toBe('ALREADY_REGISTERED');
    const registered = await db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } });
    for (let n = registered; n < 50; n += 1) {
      await registerContact(db, { portalId, contact: { contactId: `filler-${n}`, website: `https://contract-filler-${n}.se` }, registeredBy: 'test', channel: 'operator' });
    }
    const full = await register(seed({ website: 'https://contract-full.se' }));
    expect(full.refusal?.code).toBe('CAPACITY_FULL');
    expect(full.state.capacity.alertLevel).toBe(100);
  });

  test('error answers the card acts on', async () => {
    const problem = async (response: Response) => cardProblemSchema.parse(await response.json());
    expect((await problem(await cardFetch()(`${BACKEND_URL}${CARD_API_PATHS.state('123456789012')}`))).code).toBe(CARD_PROBLEM_CODES.contactNotFound);
    const unknownPortal = await problem(await cardFetch(portalId + 1)(`${BACKEND_URL}${CARD_API_PATHS.state('1')}`));
    expect(unknownPortal.code).toBe(CARD_PROBLEM_CODES.notConnected);
    expect(unknownPortal.installUrl).toBe(`${BACKEND_URL}/oauth/install`);
  });
});
