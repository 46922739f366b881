// Installing the app through HubSpot's OAuth, end to end: our install link, HubSpot's consent
// (the fake approves), our callback; then the portal, its encrypted tokens, its contact
// properties in HubSpot, the backfilled mirror and a signed-in session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { HubSpotDisconnectedError } from '../server/hubspot/hubspot-errors.js';
import { OAUTH_API_VERSION } from '../server/hubspot/oauth-client.js';
import { disconnectPortal } from '../server/install/disconnect-portal.js';
import { newPortalId } from './support/database.js';
import { startAppRig, type AppRig } from './support/app-rig.js';
import { hubspotProcess, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './support/hubspot.js';

let app: AppRig;
beforeAll(async () => {
  app = await startAppRig();
});
afterAll(() => app.stopAll());

async function get(url: string) {
  return fetch(url, { redirect: 'manual' });
}

/** Our install link → HubSpot's consent page → back to our callback. */
async function runInstall(portalId: number, start = '/oauth/install') {
  const toHubSpot = await get(`${app.server.url}${start}`);
  expect(toHubSpot.status).toBe(302);
  const consent = new URL(toHubSpot.headers.get('location')!);
  expect(consent.origin + consent.pathname).toBe(`${app.fake.url}/oauth/authorize`);
  consent.searchParams.set('portalId', String(portalId));
  const back = await get(consent.toString());
  expect(back.status).toBe(302);
  const callback = back.headers.get('location')!;
  return { consent, callback, answer: await get(callback) };
}

describe('install through OAuth', () => {
  it('stores the portal and its encrypted tokens, creates the contact properties, backfills contacts and signs the user in', async () => {
    const portalId = newPortalId();
    app.fake.accounts.create({ portalId, name: 'Install Co' });
    app.fake.contacts.seed(
      portalId,
      Array.from({ length: 230 }, (_, n) => ({ email: `c${n}@install${n}.com`, website: `install${n}.com`, company: `Company ${n}` })),
    );

    const { consent, answer } = await runInstall(portalId);
    expect(consent.searchParams.get('scope')).toBe(app.config.HUBSPOT_SCOPES);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${app.config.publicUrl}/oauth/callback`);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/');
    expect(answer.headers.get('set-cookie')).toMatch(/pc_session=.+HttpOnly/i);

    const portal = await app.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) }, include: { install: true } });
    expect(portal).toMatchObject({ tier: 'untiered', installState: 'installed', uiDomain: 'app.hubspot.com' });
    expect(portal.install?.accessToken).toMatch(/^v1\./);
    expect(portal.install?.scopes).toEqual(app.config.HUBSPOT_SCOPES.split(' '));
    for (const name of Object.values(APP_PROPERTIES)) expect(app.fake.properties.get(portalId, name), name).toBeTruthy();

    await expect.poll(async () => (await app.db.contactBackfill.findUnique({ where: { portalId: BigInt(portalId) } }))?.status, { timeout: 30_000 }).toBe('completed');
    expect(await app.db.contact.count({ where: { portalId: BigInt(portalId) } })).toBe(230);
  });

  it("an EU-hosted account: stores HubSpot's interface host for it (app-eu1.hubspot.com), for links to its records", async () => {
    const portalId = newPortalId();
    app.fake.accounts.create({ portalId, dataHostingLocation: 'eu1' });
    await runInstall(portalId);
    expect((await app.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).uiDomain).toBe('app-eu1.hubspot.com');
  });

  it("lets the signed-in user read and change the portal's new-contact rule, with CSRF protection", async () => {
    const portalId = newPortalId();
    app.fake.accounts.create({ portalId });
    const { answer } = await runInstall(portalId);
    const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
    const api = (path: string, init: RequestInit = {}) => fetch(`${app.server.url}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...init.headers } });
    expect(await (await api('/api/settings')).json()).toEqual({ autoRegisterNewContacts: false });
    const withoutCsrf = await api('/api/settings', { method: 'PATCH', body: JSON.stringify({ autoRegisterNewContacts: true }) });
    expect(withoutCsrf.status).toBe(403);
    const { csrfToken } = (await (await api('/api/session')).json()) as { csrfToken: string };
    const invalid = await api('/api/settings', { method: 'PATCH', headers: { 'x-csrf-token': csrfToken }, body: JSON.stringify({ autoRegisterNewContacts: 'yes' }) });
    expect(invalid.status).toBe(400);
    expect((await app.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).autoRegisterNewContacts).toBe(false);
    const changed = await api('/api/settings', { method: 'PATCH', headers: { 'x-csrf-token': csrfToken }, body: JSON.stringify({ autoRegisterNewContacts: true }) });
    expect(await changed.json()).toEqual({ autoRegisterNewContacts: true });
    expect(await app.db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'portal_settings_changed' } })).toBe(1);
    expect((await fetch(`${app.server.url}/api/settings`)).status).toBe(401);
  });

  it('makes the installing HubSpot user the partner’s admin (user id and email, audited); later passes through OAuth keep that admin', async () => {
    const portalId = newPortalId();
    const account = app.fake.accounts.create({ portalId });
    await runInstall(portalId);
    const expected = { role: 'admin', userId: String(account.userId), email: account.userEmail.toLowerCase() };
    expect(await app.db.portalUserRole.findMany({ where: { portalId: BigInt(portalId) }, select: { role: true, userId: true, email: true } })).toEqual([expected]);
    expect(await app.db.auditEvent.findFirst({ where: { portalId: BigInt(portalId), action: 'portal_admin_set' } })).toMatchObject({ actor: 'install' });
    await runInstall(portalId, '/oauth/sign-in');
    await runInstall(portalId);
    expect(await app.db.portalUserRole.findMany({ where: { portalId: BigInt(portalId) }, select: { role: true, userId: true, email: true } })).toEqual([expected]);
    expect(await app.db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'portal_admin_set' } })).toBe(1);
  });

  it('is idempotent: installing again keeps the portal, its tier and the properties', async () => {
    const portalId = newPortalId();
    app.fake.accounts.create({ portalId });
    await runInstall(portalId);
    await app.db.portal.update({ where: { id: BigInt(portalId) }, data: { tier: 'gold' } });
    const again = await runInstall(portalId, '/oauth/sign-in?returnTo=/registrations');
    expect(again.answer.headers.get('location')).toBe('/registrations');
    expect((await app.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).tier).toBe('gold');
  });

  it('refuses a callback whose state it did not issue, or issued and already used, creating nothing', async () => {
    const portalId = newPortalId();
    app.fake.accounts.create({ portalId });
    const { callback, answer } = await runInstall(portalId);
    expect(answer.status).toBe(302);
    const replay = await get(callback);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
    const forged = new URL(callback);
    forged.searchParams.set('state', 'made-up-state');
    const other = newPortalId();
    expect((await get(forged.toString())).status).toBe(400);
    expect(await app.db.portal.findUnique({ where: { id: BigInt(other) } })).toBeNull();
  });

  it("uses only HubSpot's 2026-03 OAuth endpoints, with every secret in the form body: install, token refresh and disconnect never call a v1 path", async () => {
    const portalId = newPortalId();
    app.fake.accounts.create({ portalId });
    const [contact] = app.fake.contacts.seed(portalId, [{ email: 'ada@oauth.example' }]);
    app.fake.requests.clear();
    await runInstall(portalId);
    // Another process of the app finds the access token expired and refreshes it.
    const worker = hubspotProcess(app, app.db);
    try {
      app.fake.tokens.expire();
      expect((await worker.hubspot.api.forPortal(portalId, 'interactive').getContact(contact!.id, ['email']))?.properties.email).toBe('ada@oauth.example');
      await disconnectPortal({ db: app.db, hubspot: worker.hubspot }, { portalId, actor: 'operator:test' });
    } finally {
      await worker.close();
    }

    const oauthCalls = app.fake.requests.all({ kind: 'oauth' }).filter((request) => request.path !== '/oauth/authorize');
    expect(oauthCalls.map((request) => `${request.method} ${request.path} ${(request.body as Record<string, string>).grant_type ?? ''}`.trim())).toEqual([
      `POST /oauth/${OAUTH_API_VERSION}/token authorization_code`,
      `POST /oauth/${OAUTH_API_VERSION}/token/introspect`,
      `POST /oauth/${OAUTH_API_VERSION}/token refresh_token`,
      `POST /oauth/${OAUTH_API_VERSION}/token/revoke`,
    ]);
    for (const request of oauthCalls) {
      expect(request.status, request.path).toBe(200);
      expect(request.query).toEqual({});
      expect(request.body).toMatchObject({ client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET });
    }
    expect(app.fake.requests.all().filter((request) => request.path.startsWith('/oauth/v1'))).toEqual([]);
  });

  it('disconnecting a portal revokes its refresh token at HubSpot and stops calls to HubSpot; installing again reconnects it', async () => {
    const portalId = newPortalId();
    app.fake.accounts.create({ portalId });
    await runInstall(portalId);
    const worker = hubspotProcess(app, app.db);
    try {
      const stored = await app.db.hubSpotInstall.findUniqueOrThrow({ where: { portalId: BigInt(portalId) } });
      expect(await disconnectPortal({ db: app.db, hubspot: worker.hubspot }, { portalId, actor: 'operator:test' })).toEqual({ wasConnected: true });
      expect((await app.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).installState).toBe('disconnected');
      await expect(worker.hubspot.api.forPortal(portalId, 'interactive').getContact('1', ['email'])).rejects.toBeInstanceOf(HubSpotDisconnectedError);

      // HubSpot no longer honours the refresh token the app held.
      const revoke = app.fake.requests.all({ kind: 'oauth' }).find((request) => request.path.endsWith('/token/revoke'))!;
      const revoked = (revoke.body as { token: string }).token;
      expect(stored.refreshToken).not.toContain(revoked);
      const introspection = await fetch(`${app.fake.url}/oauth/${OAUTH_API_VERSION}/token/introspect`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, token: revoked, token_type_hint: 'refresh_token' }),
      });
      expect(await introspection.json()).toEqual({ active: false });
      // Disconnecting again is harmless.
      expect(await disconnectPortal({ db: app.db, hubspot: worker.hubspot }, { portalId, actor: 'operator:test' })).toEqual({ wasConnected: false });
    } finally {
      await worker.close();
    }
    await runInstall(portalId);
    expect((await app.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).installState).toBe('installed');
  });

  it('says why when HubSpot did not grant access', async () => {
    const answer = await get(`${app.server.url}/oauth/callback?error=access_denied&error_description=The+user+declined`);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ code: 'OAUTH_DENIED', detail: expect.stringMatching(/access_denied.*The user declined/) });
  });

  it('refuses to send a user anywhere but this app after sign-in', async () => {
    for (const target of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const answer = await get(`${app.server.url}/oauth/sign-in?returnTo=${encodeURIComponent(target)}`);
      expect(answer.status, target).toBe(400);
    }
  });
});
