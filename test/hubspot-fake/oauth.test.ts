import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HubSpotFake, startHubSpotFake } from './index.js';
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

    const tokens = await clientFor(fake).oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, app.clientId, app.clientSecret);
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(tokens.refreshToken).toEqual(expect.any(String));

    // hub_id and scopes are not in the SDK's model: read the raw answer.
    const raw = await fetch(`${fake.url}/oauth/v1/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: tokens.refreshToken }),
    });
    expect(await raw.json()).toMatchObject({ hub_id: chosen.portalId, scopes: SCOPES, token_type: 'bearer', expires_in: 1800 });

    const info = await clientFor(fake).oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: chosen.portalId, appId: app.appId, scopes: SCOPES, hubDomain: chosen.domain, user: chosen.userEmail, expiresIn: 1800 });
  });

  it('installs into the first account when none is chosen, and into ?portalId= when given', async () => {
    const app = registerApp();
    const first = fake.accounts.create();
    const second = fake.accounts.create();
    const defaultTokens = await clientFor(fake).oauth.tokensApi.create('authorization_code', await codeFor(app.clientId), REDIRECT_URI, app.clientId, app.clientSecret);
    const explicitTokens = await clientFor(fake).oauth.tokensApi.create(
      'authorization_code',
      await codeFor(app.clientId, { portalId: String(second.portalId) }),
      REDIRECT_URI,
      app.clientId,
      app.clientSecret,
    );
    expect((await clientFor(fake).oauth.accessTokensApi.get(defaultTokens.accessToken)).hubId).toBe(first.portalId);
    expect((await clientFor(fake).oauth.accessTokensApi.get(explicitTokens.accessToken)).hubId).toBe(second.portalId);
  });

  it('grants optional scopes the app configured, and refuses an install URL whose scopes do not match the app', async () => {
    const app = registerApp({ optionalScopes: ['crm.schemas.contacts.write'] });
    fake.accounts.create();
    const code = await codeFor(app.clientId, { optional_scope: 'crm.schemas.contacts.write' });
    const tokens = await clientFor(fake).oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, app.clientId, app.clientSecret);
    expect((await clientFor(fake).oauth.accessTokensApi.get(tokens.accessToken)).scopes).toContain('crm.schemas.contacts.write');

    const missingRequired = await authorize({ client_id: app.clientId, redirect_uri: REDIRECT_URI, scope: 'oauth' });
    expect(missingRequired.status).toBe(400);
    const wrongRedirect = await authorize({ client_id: app.clientId, redirect_uri: 'https://evil.example/cb', scope: SCOPES.join(' ') });
    expect(wrongRedirect.status).toBe(400);
  });
});

describe('token endpoint errors', () => {
  it('refuses a code used twice with BAD_AUTH_CODE', async () => {
    const app = registerApp();
    fake.accounts.create();
    const code = await codeFor(app.clientId);
    await clientFor(fake).oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, app.clientId, app.clientSecret);
    const error = await apiError(clientFor(fake).oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, app.clientId, app.clientSecret));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'BAD_AUTH_CODE', message: expect.any(String), correlationId: expect.any(String) });
  });

  it('refuses a wrong secret, an unknown client, a different redirect_uri and an expired code', async () => {
    const app = registerApp();
    fake.accounts.create();
    const tokens = clientFor(fake).oauth.tokensApi;
    const wrongSecret = await apiError(tokens.create('authorization_code', await codeFor(app.clientId), REDIRECT_URI, app.clientId, 'not-the-secret'));
    expect(wrongSecret).toMatchObject({ code: 400, body: { status: 'BAD_CLIENT_SECRET' } });
    const unknownClient = await apiError(tokens.create('authorization_code', await codeFor(app.clientId), REDIRECT_URI, 'unknown-client', app.clientSecret));
    expect(unknownClient).toMatchObject({ code: 400, body: { status: 'BAD_CLIENT_ID' } });
    const otherRedirect = await apiError(tokens.create('authorization_code', await codeFor(app.clientId), 'http://localhost:3000/other', app.clientId, app.clientSecret));
    expect(otherRedirect).toMatchObject({ code: 400, body: { status: 'BAD_REDIRECT_URI' } });
    const code = await codeFor(app.clientId);
    now += 11 * 60 * 1000;
    const expired = await apiError(tokens.create('authorization_code', code, REDIRECT_URI, app.clientId, app.clientSecret));
    expect(expired).toMatchObject({ code: 400, body: { status: 'BAD_AUTH_CODE' } });
  });

  it('refuses an unknown refresh token with HubSpot’s BAD_REFRESH_TOKEN body', async () => {
    const app = registerApp();
    const error = await apiError(clientFor(fake).oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, 'na1-unknown'));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({
      status: 'BAD_REFRESH_TOKEN',
      error: 'invalid_grant',
      error_description: 'refresh token is invalid, expired or revoked',
      message: 'refresh token is invalid, expired or revoked',
    });
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

    const refreshed = await clientFor(fake).oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, tokens.refresh_token);
    // HubSpot refresh tokens do not rotate.
    expect(refreshed.refreshToken).toBe(tokens.refresh_token);
    expect(refreshed.accessToken).not.toBe(tokens.access_token);
    const read = await clientFor(fake, refreshed.accessToken).crm.contacts.basicApi.getById(contact!.id);
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
    await clientFor(fake).oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, tokens.refresh_token);
    await expect(clientFor(fake, tokens.access_token).crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });

  it('stops every token of an uninstalled app: 401 on calls, BAD_REFRESH_TOKEN on refresh', async () => {
    const app = registerApp();
    const { portalId } = fake.accounts.create();
    const tokens = fake.installs.install(app.appId, portalId);
    fake.installs.revoke(app.appId, portalId);
    const call = await apiError(clientFor(fake, tokens.access_token).crm.contacts.basicApi.getPage());
    expect(call).toMatchObject({ code: 401, body: { category: 'INVALID_AUTHENTICATION' } });
    const refresh = await apiError(clientFor(fake).oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, tokens.refresh_token));
    expect(refresh).toMatchObject({ code: 400, body: { status: 'BAD_REFRESH_TOKEN' } });
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
