import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HubSpotFake, startHubSpotFake } from './index.js';
import { OAUTH_API_VERSION } from './oauth.js';
import { apiError, clientFor } from './test-support.js';

const REDIRECT_URI = 'http://localhost:3000/oauth/callback';
const SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'];

let now = Date.parse('2026-11-01T10:00:00Z');
let fake: HubSpotFake;

beforeAll(async () => {
  fake = await startHubSpotFake({ clock: () => now });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  now = Date.parse('2026-11-01T10:00:00Z');
});

function registerApp(overrides: { optionalScopes?: string[] } = {}) {
  return fake.apps.register({ redirectUri: REDIRECT_URI, scopes: SCOPES, ...overrides });
}

/** Follows the install link as a user's browser would, and returns where HubSpot sends it back. */
async function authorize(query: Record<string, string>): Promise<{ status: number; location: URL | null; body: string }> {
  const response = await fetch(`${fake.url}/oauth/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : null, body: await response.text() };
}

async function codeFor(clientId: string, extra: Record<string, string> = {}): Promise<string> {
  const answer = await authorize({ client_id: clientId, redirect_uri: REDIRECT_URI, scope: SCOPES.join(' '), ...extra });
  const code = answer.location?.searchParams.get('code');
  if (!code) throw new Error(`No code in ${answer.status} ${answer.body}`);
  return code;
}

// @hubspot/api-client 14 wraps only the v1 OAuth API, so these speak the 2026-03 API directly.
// biome-ignore lint/suspicious/noExplicitAny: answers of several shapes, each checked field by field
async function oauthPost(endpoint: 'token' | 'token/introspect' | 'token/revoke', form: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${fake.url}/oauth/${OAUTH_API_VERSION}/${endpoint}`, { method: 'POST', body: new URLSearchParams(form) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

type AppCredentials = { clientId: string; clientSecret: string };
const exchange = (app: AppCredentials, code: string, redirectUri = REDIRECT_URI) =>
  oauthPost('token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: app.clientId, client_secret: app.clientSecret });
const refresh = (app: AppCredentials, refreshToken: string) =>
  oauthPost('token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: app.clientId, client_secret: app.clientSecret });
const introspect = (app: AppCredentials, token: string, hint = 'access_token') =>
  oauthPost('token/introspect', { token, token_type_hint: hint, client_id: app.clientId, client_secret: app.clientSecret });
const revoke = (app: AppCredentials, token: string) =>
  oauthPost('token/revoke', { token, token_type_hint: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret });

describe('OAuth install flow', () => {
  it('redirects back with a code and the state, then exchanges the code for tokens of the chosen account', async () => {
    const app = registerApp();
    fake.accounts.create();
    const chosen = fake.accounts.create({ name: 'Chosen' });
    fake.oauth.setAuthorizingPortal(chosen.portalId);

    const answer = await authorize({ client_id: app.clientId, redirect_uri: REDIRECT_URI, scope: SCOPES.join(' '), state: 'xyz-123' });
    expect(answer.status).toBe(302);
    expect(`${answer.location?.origin}${answer.location?.pathname}`).toBe(REDIRECT_URI);
    expect(answer.location?.searchParams.get('state')).toBe('xyz-123');
    const code = answer.location?.searchParams.get('code') as string;

    const tokens = await exchange(app, code);
    expect(tokens).toEqual({
      status: 200,
      body: {
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: 1800,
        token_type: 'bearer',
        token_use: 'access_token',
        hub_id: chosen.portalId,
        user_id: chosen.userId,
        scopes: SCOPES,
      },
    });

    const info = await introspect(app, tokens.body.access_token);
    expect(info).toEqual({
      status: 200,
      body: {
        active: true,
        app_id: app.appId,
        client_id: app.clientId,
        hub_id: chosen.portalId,
        hub_domain: chosen.domain,
        scopes: SCOPES,
        token: tokens.body.access_token,
        token_type: 'bearer',
        token_use: 'access_token',
        user: chosen.userEmail,
        user_id: chosen.userId,
        expires_in: 1800,
      },
    });
    const refreshInfo = await introspect(app, tokens.body.refresh_token, 'refresh_token');
    expect(refreshInfo.body).toMatchObject({ active: true, token_use: 'refresh_token', hub_id: chosen.portalId });
    expect(refreshInfo.body).not.toHaveProperty('expires_in');
  });

  it('installs into the first account when none is chosen, and into ?portalId= when given', async () => {
    const app = registerApp();
    const first = fake.accounts.create();
    const second = fake.accounts.create();
    const defaultTokens = await exchange(app, await codeFor(app.clientId));
    const explicitTokens = await exchange(app, await codeFor(app.clientId, { portalId: String(second.portalId) }));
    expect((await introspect(app, defaultTokens.body.access_token)).body.hub_id).toBe(first.portalId);
    expect((await introspect(app, explicitTokens.body.access_token)).body.hub_id).toBe(second.portalId);
  });

  it('grants optional scopes the app configured, and refuses an install URL whose scopes do not match the app', async () => {
    const app = registerApp({ optionalScopes: ['crm.schemas.contacts.write'] });
    fake.accounts.create();
    const tokens = await exchange(app, await codeFor(app.clientId, { optional_scope: 'crm.schemas.contacts.write' }));
    expect((await introspect(app, tokens.body.access_token)).body.scopes).toContain('crm.schemas.contacts.write');

    const missingRequired = await authorize({ client_id: app.clientId, redirect_uri: REDIRECT_URI, scope: 'oauth' });
    expect(missingRequired.status).toBe(400);
    const wrongRedirect = await authorize({ client_id: app.clientId, redirect_uri: 'https://evil.example/cb', scope: SCOPES.join(' ') });
    expect(wrongRedirect.status).toBe(400);
  });
});

describe('token endpoint errors', () => {
  const refusal = (code: string) => ({
    status: 400,
    body: { message: expect.any(String), category: 'VALIDATION_ERROR', correlationId: expect.any(String), errors: [{ message: expect.any(String), code }] },
  });

  it('refuses a code used twice with BAD_AUTH_CODE', async () => {
    const app = registerApp();
    fake.accounts.create();
    const code = await codeFor(app.clientId);
    expect((await exchange(app, code)).status).toBe(200);
    expect(await exchange(app, code)).toEqual(refusal('BAD_AUTH_CODE'));
  });

  it('refuses a wrong secret, an unknown client, a different redirect_uri and an expired code', async () => {
    const app = registerApp();
    fake.accounts.create();
    expect(await exchange({ ...app, clientSecret: 'not-the-secret' }, await codeFor(app.clientId))).toEqual(refusal('BAD_CLIENT_SECRET'));
    expect(await exchange({ ...app, clientId: 'unknown-client' }, await codeFor(app.clientId))).toEqual(refusal('BAD_CLIENT_ID'));
    expect(await exchange(app, await codeFor(app.clientId), 'http://localhost:3000/other')).toEqual(refusal('BAD_REDIRECT_URI'));
    const code = await codeFor(app.clientId);
    now += 11 * 60 * 1000;
    expect(await exchange(app, code)).toEqual(refusal('BAD_AUTH_CODE'));
  });

  it('refuses an unknown refresh token with BAD_REFRESH_TOKEN, in the 2026-03 error shape', async () => {
    const app = registerApp();
    const error = await refresh(app, 'na1-unknown');
    expect(error).toEqual(refusal('BAD_REFRESH_TOKEN'));
    expect(error.body).not.toHaveProperty('status');
  });
});

describe('introspection and revocation', () => {
  it('answers active: false for an unknown, an expired or another app’s token, and refuses wrong client credentials', async () => {
    const app = registerApp();
    const other = registerApp();
    const { portalId } = fake.accounts.create();
    const tokens = fake.installs.install(app.appId, portalId);
    expect(await introspect(app, 'na1-unknown')).toEqual({ status: 200, body: { active: false } });
    expect(await introspect(other, tokens.access_token)).toEqual({ status: 200, body: { active: false } });
    fake.tokens.expire(tokens.access_token);
    expect(await introspect(app, tokens.access_token)).toEqual({ status: 200, body: { active: false } });
    expect((await introspect({ ...app, clientSecret: 'wrong' }, tokens.refresh_token)).status).toBe(400);
  });

  it('revokes a refresh token: it no longer refreshes or introspects, while its access token lives on until it expires', async () => {
    const app = registerApp();
    const { portalId } = fake.accounts.create();
    const tokens = fake.installs.install(app.appId, portalId);
    expect(await revoke(app, tokens.refresh_token)).toEqual({ status: 200, body: undefined });
    expect(await refresh(app, tokens.refresh_token)).toMatchObject({ status: 400, body: { errors: [{ code: 'BAD_REFRESH_TOKEN' }] } });
    expect((await introspect(app, tokens.refresh_token, 'refresh_token')).body).toEqual({ active: false });
    await expect(clientFor(fake, tokens.access_token).crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    // Revoking again, or a token HubSpot never issued, is not an error (RFC 7009).
    expect((await revoke(app, tokens.refresh_token)).status).toBe(200);
    expect((await revoke(app, 'na1-unknown')).status).toBe(200);
  });

  it('answers every retired v1 OAuth path with 404, through the SDK that still wraps them', async () => {
    const app = registerApp();
    const { portalId } = fake.accounts.create();
    const tokens = fake.installs.install(app.appId, portalId);
    const v1Token = await apiError(clientFor(fake).oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, tokens.refresh_token));
    const v1Introspection = await apiError(clientFor(fake).oauth.accessTokensApi.get(tokens.access_token));
    const v1RefreshInfo = await apiError(clientFor(fake).oauth.refreshTokensApi.get(tokens.refresh_token));
    const v1Delete = await apiError(clientFor(fake).oauth.refreshTokensApi.archive(tokens.refresh_token));
    for (const error of [v1Token, v1Introspection, v1RefreshInfo, v1Delete]) {
      expect(error.code).toBe(404);
      expect(error.body).toMatchObject({ message: expect.stringContaining(`/oauth/${OAUTH_API_VERSION}/token`) });
    }
    expect((await introspect(app, tokens.refresh_token, 'refresh_token')).body.active).toBe(true);
  });
});

describe('access token lifetime', () => {
  it('answers 401 EXPIRED_AUTHENTICATION once expires_in has passed, and a refresh brings access back', async () => {
    const app = registerApp();
    const { portalId } = fake.accounts.create();
    const [contact] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const tokens = fake.installs.install(app.appId, portalId);
    await clientFor(fake, tokens.access_token).crm.contacts.basicApi.getById(contact!.id);

    now += 1800 * 1000 + 3 * 60 * 1000;
    const expired = await apiError(clientFor(fake, tokens.access_token).crm.contacts.basicApi.getById(contact!.id));
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({
      status: 'error',
      category: 'EXPIRED_AUTHENTICATION',
      message: 'The OAuth token used to make this call expired 3 minute(s) ago.',
      correlationId: expect.any(String),
    });

    const refreshed = (await refresh(app, tokens.refresh_token)).body;
    // HubSpot refresh tokens do not rotate.
    expect(refreshed.refresh_token).toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const read = await clientFor(fake, refreshed.access_token).crm.contacts.basicApi.getById(contact!.id);
    expect(read.properties.email).toBe('ada@example.com');
  });

  it('expires tokens on demand through the control API, and honours a configured lifetime', async () => {
    fake.configure({ accessTokenTtlSeconds: 60 });
    const app = registerApp();
    const { portalId } = fake.accounts.create();
    const tokens = fake.installs.install(app.appId, portalId);
    expect(tokens.expires_in).toBe(60);
    fake.tokens.expire(tokens.access_token, { agoMs: 75_000 });
    const error = await apiError(clientFor(fake, tokens.access_token).crm.contacts.basicApi.getPage());
    expect(error.body.message).toBe('The OAuth token used to make this call expired 1 minute(s) ago.');
  });

  it('keeps an earlier access token working after a refresh, until it expires', async () => {
    const app = registerApp();
    const { portalId } = fake.accounts.create();
    const tokens = fake.installs.install(app.appId, portalId);
    expect((await refresh(app, tokens.refresh_token)).status).toBe(200);
    await expect(clientFor(fake, tokens.access_token).crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });

  it('stops every token of an uninstalled app: 401 on calls, BAD_REFRESH_TOKEN on refresh', async () => {
    const app = registerApp();
    const { portalId } = fake.accounts.create();
    const tokens = fake.installs.install(app.appId, portalId);
    fake.installs.revoke(app.appId, portalId);
    const call = await apiError(clientFor(fake, tokens.access_token).crm.contacts.basicApi.getPage());
    expect(call).toMatchObject({ code: 401, body: { category: 'INVALID_AUTHENTICATION' } });
    expect(await refresh(app, tokens.refresh_token)).toMatchObject({ status: 400, body: { errors: [{ code: 'BAD_REFRESH_TOKEN' }] } });
  });

  it('answers a missing or unknown bearer token with 401 INVALID_AUTHENTICATION', async () => {
    fake.accounts.create();
    const missing = await apiError(clientFor(fake).crm.contacts.basicApi.getPage());
    const unknown = await apiError(clientFor(fake, 'CO-not-a-token').crm.contacts.basicApi.getPage());
    for (const error of [missing, unknown]) {
      expect(error.code).toBe(401);
      expect(error.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', message: expect.stringContaining('Authentication credentials not found') });
    }
  });

  it('answers 403 MISSING_SCOPES when the token lacks the scope the call needs', async () => {
    const { portalId } = fake.accounts.create();
    const readOnly = fake.tokens.createPrivateAppToken(portalId, { scopes: ['crm.objects.contacts.read'] });
    const error = await apiError(clientFor(fake, readOnly).crm.contacts.batchApi.update({ inputs: [] }));
    expect(error.code).toBe(403);
    expect(error.body).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }] });
  });
});
