// The card's endpoints over HTTP, signed as HubSpot signs hubspot.fetch: the signature is the
// only way in, the signed portal is the only portal acted for, and a registration snapshots
// the contact as HubSpot holds it at that moment.
import { once } from 'node:events';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import type { RunningServer } from '../start-server.js';
import { CARD_API_PATHS, cardStateAnswerSchema, registerAnswerSchema, type CardState } from '../../extensions/src/app/cards/card-api-contract.js';
import { emulateHubSpotFetch, type HubSpotFetchEmulation } from '../../extensions/testing/hubspot-fetch.js';
import { signRequest } from '../../test/hubspot-fake/signing.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, TEST_CLIENT_SECRET, type HubSpotTestRig } from '../../test/support/hubspot.js';
import { startTestServer } from '../../test/support/server.js';

const PUBLIC_URL = 'https://partner-capacity.test';

let rig: HubSpotTestRig;
let db: Database;
let server: RunningServer;
let closeHubSpot: () => Promise<void>;
let portalId: number;

function cardFetch(overrides: Partial<HubSpotFetchEmulation> = {}) {
  return emulateHubSpotFetch({
    publicUrl: PUBLIC_URL,
    serverUrl: server.url,
    clientSecret: TEST_CLIENT_SECRET,
    appId: TEST_APP_ID,
    portalId,
    userId: 501,
    userEmail: 'ann@agency.example',
    ...overrides,
  });
}

/** The card's state from a GET answer that must be "ready". */
async function readyState(answer: Response): Promise<CardState> {
  expect(answer.status).toBe(200);
  const body = cardStateAnswerSchema.parse(await answer.json());
  if (body.status !== 'ready') throw new Error(`expected a ready state, got ${body.status}`);
  return body.state;
}

async function registrationsOf(portal: number) {
  return db.registration.findMany({ where: { portalId: BigInt(portal) } });
}

beforeAll(async () => {
  rig = await startHubSpotRig();
  db = testDatabase(4);
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

describe('signature', () => {
  test('an unsigned request is refused and registers nothing', async () => {
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://unsigned.se', firstname: 'Una' }]);
    const answer = await fetch(`${server.url}${CARD_API_PATHS.register(contact!.id)}?portalId=${portalId}&userId=1`, { method: 'POST' });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { code: string }).code).toBe('SIGNATURE_INVALID');
    expect(await registrationsOf(portalId)).toEqual([]);
  });

  test('a request signed with another secret, or whose body was changed after signing, is refused', async () => {
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://tampered.se' }]);
    const wrongSecret = await cardFetch({ clientSecret: 'not-the-app-secret-000' })(`${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}`, { method: 'POST', body: {} });
    expect(wrongSecret.status).toBe(401);

    const url = `${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}?portalId=${portalId}&userId=1`;
    const headers = signRequest({ method: 'POST', url, body: '{}', clientSecret: TEST_CLIENT_SECRET });
    const changedBody = await fetch(url.replace(PUBLIC_URL, server.url), { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{"x":1}' });
    expect(changedBody.status).toBe(401);

    const stale = signRequest({ method: 'GET', url, body: '', clientSecret: TEST_CLIENT_SECRET, timestamp: Date.now() - 6 * 60 * 1000 });
    expect((await fetch(url.replace(PUBLIC_URL, server.url), { headers: { ...stale } })).status).toBe(401);
    expect(await registrationsOf(portalId)).toEqual([]);
  });

  test('the signed URL must name the portal and user exactly once', async () => {
    const other = await createTestPortal(db);
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://twice.se' }]);
    // The card's worker asked for ?portalId=<other>; HubSpot appends the real one after it.
    const answer = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}?portalId=${other}`, { method: 'POST', body: { portalId: other } });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { code: string }).code).toBe('CALLER_UNKNOWN');
    expect(await registrationsOf(other)).toEqual([]);
    expect(await registrationsOf(portalId)).toEqual([]);
  });

  test('a portal id in the body is ignored: only the signed portal is acted for', async () => {
    const other = await createTestPortal(db);
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://body-portal.se', company: 'Body Portal AB' }]);
    const answer = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}`, { method: 'POST', body: { portalId: other } });
    expect(answer.status).toBe(201);
    expect((await registrationsOf(other)).length).toBe(0);
    expect((await registrationsOf(portalId)).map((row) => row.domain)).toContain('body-portal.se');
  });
});

describe('registration from the card', () => {
  test('snapshots the contact as HubSpot holds it at the click, not as the mirror remembers it', async () => {
    const [contact] = rig.fake.contacts.seed(portalId, [
      { website: 'https://www.fresh-site.se/about', firstname: 'Fia', lastname: 'Frisk', company: 'Fresh AB', country: 'Sweden' },
    ]);
    // The mirror still has an old website for this contact.
    await db.contact.create({ data: { portalId: BigInt(portalId), contactId: contact!.id, website: 'https://stale-site.se', firstName: 'Fia' } });

    const answer = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}?locale=sv-se`, { method: 'POST', body: {} });
    expect(answer.status).toBe(201);
    const body = registerAnswerSchema.parse(await answer.json());
    expect(body).toMatchObject({ status: 'registered', state: { registration: {} } });
    expect('state' in body && body.state.registration).toMatchObject({
      domain: 'fresh-site.se',
      registeredBy: 'ann@agency.example',
      channel: 'card',
      throughThisContact: true,
      contactName: 'Fia Frisk',
    });

    const [row] = (await registrationsOf(portalId)).filter((registration) => registration.contactId === contact!.id);
    expect(row).toMatchObject({ domain: 'fresh-site.se', companyName: 'Fresh AB', country: 'Sweden', website: 'https://www.fresh-site.se/about' });
    // The outcome is queued to be written back to the contact.
    const pending = await db.contactWriteBack.findUnique({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId: contact!.id } } });
    expect(pending?.properties).toMatchObject({ partner_capacity_status: 'registered', partner_capacity_registered_domain: 'fresh-site.se' });
  });

  test('a second contact of the same domain is refused with who registered it and when', async () => {
    const [first, second] = rig.fake.contacts.seed(portalId, [
      { website: 'https://same-company.se', firstname: 'Sam', lastname: 'First' },
      { website: 'https://shop.same-company.se', firstname: 'Sara', lastname: 'Second' },
    ]);
    expect((await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register(first!.id)}`, { method: 'POST', body: {} })).status).toBe(201);
    const answer = registerAnswerSchema.parse(await (await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register(second!.id)}`, { method: 'POST', body: {} })).json());
    expect(answer).toMatchObject({
      status: 'refused',
      refusal: { code: 'ALREADY_REGISTERED', details: { contactId: first!.id, contactName: 'Sam First', sameContact: false } },
      state: { registration: { contactId: first!.id, throughThisContact: false } },
    });

    // The card's own view of the second contact says the same.
    const state = await readyState(await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.state(second!.id)}`));
    expect(state.registration).toMatchObject({ domain: 'same-company.se', throughThisContact: false });
  });

  test("when the contact's website changes after registration, the registration stays and the card notes it", async () => {
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://before-move.se' }]);
    await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}`, { method: 'POST', body: {} });
    rig.fake.contacts.update(portalId, contact!.id, { website: 'https://after-move.se' });
    const state = await readyState(await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.state(contact!.id)}`));
    expect(state.registration?.domain).toBe('before-move.se');
    expect(state.contact.currentDomain).toBe('after-move.se');
    expect(state.websiteChanged).toBe(true);
  });

  test('a contact HubSpot does not have is an answer the card shows (200, contact-not-found), and registers nothing', async () => {
    const before = (await registrationsOf(portalId)).length;
    const answer = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register('999999999')}`, { method: 'POST', body: {} });
    expect(answer.status).toBe(200);
    expect(registerAnswerSchema.parse(await answer.json())).toEqual({ status: 'contact-not-found', contactId: '999999999' });
    const state = await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.state('999999999')}`);
    expect(state.status).toBe(200);
    expect(cardStateAnswerSchema.parse(await state.json())).toEqual({ status: 'contact-not-found', contactId: '999999999' });
    expect((await registrationsOf(portalId)).length).toBe(before);
  });

  test('a portal whose install was revoked is an answer (200, not-connected) with where to reinstall', async () => {
    const process = hubspotProcess(rig, db);
    const revoked = await installedPortal(rig, db, process.hubspot);
    await process.close();
    const [contact] = rig.fake.contacts.seed(revoked, [{ website: 'https://revoked.se' }]);
    await db.portal.update({ where: { id: BigInt(revoked) }, data: { installState: 'disconnected' } });
    const answer = await cardFetch({ portalId: revoked })(`${PUBLIC_URL}${CARD_API_PATHS.state(contact!.id)}`);
    expect(answer.status).toBe(200);
    expect(cardStateAnswerSchema.parse(await answer.json())).toEqual({ status: 'not-connected', installUrl: `${PUBLIC_URL}/oauth/install` });
    const register = await cardFetch({ portalId: revoked })(`${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}`, { method: 'POST', body: {} });
    expect(registerAnswerSchema.parse(await register.json())).toEqual({ status: 'not-connected', installUrl: `${PUBLIC_URL}/oauth/install` });
    expect(await registrationsOf(revoked)).toEqual([]);
  });
});

describe('Manage your capacity link', () => {
  test("opens a session for the signed portal and user once, on the contact's domain; the same link a second time opens nothing", async () => {
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://link.se' }]);
    // Unregistered, the link opens the whole list; registered, it opens on the domain.
    const before = await readyState(await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.state(contact!.id)}?locale=sv`));
    const unregistered = new URL(before.manageLink.url);
    expect((await fetch(`${server.url}${unregistered.pathname}${unregistered.search}`, { redirect: 'manual' })).headers.get('location')).toBe('/');
    const registered = registerAnswerSchema.parse(await (await cardFetch()(`${PUBLIC_URL}${CARD_API_PATHS.register(contact!.id)}?locale=sv`, { method: 'POST', body: {} })).json());
    if (registered.status !== 'registered') throw new Error(`expected registered, got ${registered.status}`);
    const link = new URL(registered.state.manageLink.url);
    expect(link.origin).toBe(PUBLIC_URL);

    const first = await fetch(`${server.url}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/?search=link.se');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/pc_session=.+HttpOnly/i);

    const session = await fetch(`${server.url}/api/session`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await session.json()).toMatchObject({ portal: { id: portalId }, user: { id: '501', email: 'ann@agency.example' }, locale: 'sv' });

    const second = await fetch(`${server.url}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect(second.headers.get('location')).toBe('/?signIn=link-used');
    expect(second.headers.get('set-cookie')).toBeNull();
  });
});

describe('development with hs project dev', () => {
  // HubSpot's own local dev proxy (@hubspot/ui-extensions-dev-server), the code `hs project dev`
  // runs: it rewrites the card's call to the localhost URL that local.json maps the public URL
  // to, signs that URL only when CLIENT_SECRET is set, and appends no portal or user.
  const DEV_USER = { HUBSPOT_DEV_USER_ID: '777', HUBSPOT_DEV_USER_EMAIL: 'dev@agency.example' };
  let devServer: RunningServer;
  const proxies: Server[] = [];

  beforeAll(async () => {
    devServer = await startTestServer({ ...rig.env, HUBSPOT_DEV_PORTAL_ID: String(portalId), ...DEV_USER });
  });

  afterEach(() => {
    delete process.env.CLIENT_SECRET;
  });

  afterAll(async () => {
    for (const proxy of proxies) await new Promise((resolve) => proxy.close(resolve));
    await devServer?.close();
  });

  /** `hs project dev`'s proxy, mapping the app's public URL to `localServer`; answers as the proxy does. */
  async function devProxy(localServer: RunningServer) {
    const { AppProxyService } = (await import(new URL('../../node_modules/@hubspot/ui-extensions-dev-server/dist/lib/proxy/AppProxyService.js', import.meta.url).href)) as {
      AppProxyService: (options: { localDevUrlMapping: Record<string, string>; logger: Record<string, () => void>; accountId: number; allowedUrls: string[] }) => {
        listen: (port: number, host: string) => Server;
      };
    };
    const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
    const proxy = AppProxyService({ localDevUrlMapping: { [PUBLIC_URL]: localServer.url }, logger: quiet, accountId: portalId, allowedUrls: [PUBLIC_URL] }).listen(0, '127.0.0.1');
    proxies.push(proxy);
    await once(proxy, 'listening');
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/proxy`;
    return async (path: string, method: 'GET' | 'POST', requestBody?: unknown) => {
      const answer = await fetch(proxyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestUri: `${PUBLIC_URL}${path}`, method, requestBody, requestTimeoutMillis: 10_000 }),
      });
      return (await answer.json()) as { status: 'success' | 'error'; responseBody: unknown; category?: string; context: { appServerStatusCode: string[] } };
    };
  }

  test('signed with CLIENT_SECRET and naming nobody, a call acts for the configured development portal and user', async () => {
    process.env.CLIENT_SECRET = TEST_CLIENT_SECRET;
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://dev-proxy.se', firstname: 'Dev' }]);
    const call = await devProxy(devServer);
    const registered = await call(`${CARD_API_PATHS.register(contact!.id)}?locale=en`, 'POST', {});
    expect(registered).toMatchObject({ status: 'success', context: { appServerStatusCode: ['201'] } });
    expect(registerAnswerSchema.parse(registered.responseBody)).toMatchObject({
      status: 'registered',
      state: { registration: { domain: 'dev-proxy.se', registeredBy: 'dev@agency.example' } },
    });
    const state = await call(CARD_API_PATHS.state(contact!.id), 'GET');
    expect(cardStateAnswerSchema.parse(state.responseBody)).toMatchObject({ status: 'ready', state: { registration: { domain: 'dev-proxy.se', throughThisContact: true } } });
  });

  test('without CLIENT_SECRET the proxy signs nothing, and the call is refused', async () => {
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://dev-unsigned.se' }]);
    const answer = await (await devProxy(devServer))(CARD_API_PATHS.register(contact!.id), 'POST', {});
    // The proxy turns our 401 into HubSpot's BAD_GATEWAY wrapper, as it says production does.
    expect(answer).toMatchObject({ status: 'error', category: 'BAD_GATEWAY', context: { appServerStatusCode: ['401'] }, responseBody: { code: 'SIGNATURE_INVALID' } });
    expect((await registrationsOf(portalId)).filter((row) => row.domain === 'dev-unsigned.se')).toEqual([]);
  });

  test("a server not in the development mode refuses the dev proxy's calls", async () => {
    process.env.CLIENT_SECRET = TEST_CLIENT_SECRET;
    const [contact] = rig.fake.contacts.seed(portalId, [{ website: 'https://dev-not-enabled.se' }]);
    const answer = await (await devProxy(server))(CARD_API_PATHS.register(contact!.id), 'POST', {});
    // It signed the localhost URL, which is not the public URL this server verifies.
    expect(answer).toMatchObject({ status: 'error', context: { appServerStatusCode: ['401'] }, responseBody: { code: 'SIGNATURE_INVALID' } });
    expect((await registrationsOf(portalId)).filter((row) => row.domain === 'dev-not-enabled.se')).toEqual([]);
  });
});
