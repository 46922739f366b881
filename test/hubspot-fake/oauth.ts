// HubSpot's OAuth endpoints: the install (authorize) redirect and the 2026-03 token API. Token
// handling lives in this one module, as it does in the app (server/hubspot/oauth-client.ts).
//
// - GET /oauth/authorize auto-approves: it installs the app into an account and redirects back
//   with `code` and `state`. The account is, in order: the `portalId` query parameter (a fake-only
//   extension), the one chosen with `oauth.setAuthorizingPortal`, the first account created.
// - POST /oauth/2026-03/token (form body: grant_type, code, redirect_uri, client_id,
//   client_secret, refresh_token) exchanges a code (single use) or a refresh token →
//   `{access_token, refresh_token, expires_in, token_type, token_use, hub_id, user_id, scopes}`.
//   HubSpot refresh tokens do not rotate: refreshing answers the same refresh token with a new
//   access token; earlier access tokens keep working until they expire.
// - POST /oauth/2026-03/token/introspect (form body: client_id, client_secret, token,
//   token_type_hint) → `{active: false}` for a token that is unknown, expired, revoked or another
//   app's; for a live one `{active: true, app_id, client_id, hub_id, hub_domain, scopes, token,
//   token_type, token_use, user, user_id}` and, for access tokens, `expires_in`.
// - POST /oauth/2026-03/token/revoke (same form body) revokes a refresh token; access tokens
//   issued with it keep working until they expire (as v1's DELETE did). Answers 200 with no body
//   for any token, as RFC 7009 asks (HubSpot's success status is unconfirmed).
// - Errors: `{message, category, correlationId, errors?, context?}` (HubSpot's documented 2026-03
//   error shape). The HTTP status (400) and the per-reason `errors[].code` (BAD_AUTH_CODE,
//   BAD_REFRESH_TOKEN, …, v1's `status` values) are unconfirmed.
// - The v1 endpoints (/oauth/v1/token, /oauth/v1/access-tokens/{t}, /oauth/v1/refresh-tokens/{t})
//   stopped on 2027-02-16: they answer 404 naming their successor, so an app that still calls
//   them fails its tests.
//
// Sources: developers.hubspot.com/changelog/v1-oauth-api-deprecation,
// developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide,
// developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens,
// …/2026-03/authentication/oauth-tokens/token-introspect and
// …/latest/authentication/oauth-tokens/revoke-token.
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { HubSpotHttpError, hubSpotErrorBody } from './errors.js';
import type { AccessToken, Account, App, FakeState, RefreshToken } from './state.js';

/** The date-based version of HubSpot's OAuth API the fake speaks. */
export const OAUTH_API_VERSION = '2026-03';

type OAuthRefusal = 'BAD_GRANT_TYPE' | 'BAD_CLIENT_ID' | 'BAD_CLIENT_SECRET' | 'BAD_AUTH_CODE' | 'BAD_REDIRECT_URI' | 'BAD_REFRESH_TOKEN' | 'BAD_TOKEN';

const OAUTH_REFUSALS: Record<OAuthRefusal, string> = {
  BAD_GRANT_TYPE: 'missing or unknown grant type',
  BAD_CLIENT_ID: 'missing or invalid client id',
  BAD_CLIENT_SECRET: 'missing or invalid client secret',
  BAD_AUTH_CODE: 'missing or unknown auth code',
  BAD_REDIRECT_URI: 'redirect_uri does not match the redirect_uri the code was issued for',
  BAD_REFRESH_TOKEN: 'refresh token is invalid, expired or revoked',
  BAD_TOKEN: 'token is required',
};

function oauthError(reason: OAuthRefusal): HubSpotHttpError {
  const message = OAUTH_REFUSALS[reason];
  return new HubSpotHttpError(400, { message, category: 'VALIDATION_ERROR', correlationId: randomUUID(), errors: [{ message, code: reason }] });
}

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'bearer';
  token_use: 'access_token';
  hub_id: number;
  user_id: number;
  scopes: string[];
}

/** Installs the app and issues its first tokens: what a completed OAuth flow leaves behind. */
export function installWithTokens(state: FakeState, app: App, account: Account, scopes: string[]): TokenResponse {
  state.install(app.appId, account.portalId, scopes);
  const refreshToken = state.issueRefreshToken(app.appId, account.portalId, scopes);
  const accessToken = state.issueAccessToken({ kind: 'oauth', portalId: account.portalId, appId: app.appId, scopes, ttlSeconds: state.settings.accessTokenTtlSeconds });
  return tokenResponse(state, accessToken, refreshToken.token);
}

function tokenResponse(state: FakeState, accessToken: AccessToken, refreshToken: string): TokenResponse {
  return {
    access_token: accessToken.token,
    refresh_token: refreshToken,
    expires_in: state.settings.accessTokenTtlSeconds,
    token_type: 'bearer',
    token_use: 'access_token',
    hub_id: accessToken.portalId,
    user_id: state.requireAccount(accessToken.portalId).installingUserId,
    scopes: accessToken.scopes,
  };
}

function splitScopes(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/[\s+]+/).filter(Boolean) : [];
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The install page's refusals are HTML pages at HubSpot; the fake answers JSON with the reason. */
function authorizeRefusal(message: string): HubSpotHttpError {
  return new HubSpotHttpError(400, hubSpotErrorBody({ message, category: 'VALIDATION_ERROR' }));
}

export function oauthRouter(state: FakeState): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false });

  router.get('/oauth/authorize', (req: Request, res: Response) => {
    const clientId = single(req.query.client_id);
    const app = clientId ? state.appByClientId(clientId) : undefined;
    if (!app) throw authorizeRefusal(`Unknown client_id ${clientId ?? '(missing)'}`);
    const redirectUri = single(req.query.redirect_uri);
    if (!redirectUri) throw authorizeRefusal('redirect_uri is required');
    if (app.redirectUris.length > 0 && !app.redirectUris.includes(redirectUri)) {
      throw authorizeRefusal(`redirect_uri ${redirectUri} is not one of the app's redirect URLs`);
    }
    const requested = splitScopes(single(req.query.scope));
    const missing = app.requiredScopes.filter((scope) => !requested.includes(scope));
    const unknown = requested.filter((scope) => !app.requiredScopes.includes(scope) && !app.optionalScopes.includes(scope));
    if (missing.length > 0 || unknown.length > 0) {
      throw authorizeRefusal(
        `Mismatch between the scopes in the install URL and the app's configured scopes (missing: ${missing.join(' ') || 'none'}; not configured: ${unknown.join(' ') || 'none'})`,
      );
    }
    const optional = splitScopes(single(req.query.optional_scope)).filter((scope) => app.optionalScopes.includes(scope));
    const scopes = [...new Set([...requested, ...optional])];

    const account = chooseAccount(state, single(req.query.portalId));
    state.install(app.appId, account.portalId, scopes);
    const code = randomUUID();
    state.authorizationCodes.set(code, {
      code,
      appId: app.appId,
      portalId: account.portalId,
      redirectUri,
      scopes,
      expiresAt: state.now() + state.settings.authorizationCodeTtlMs,
      used: false,
    });
    const location = new URL(redirectUri);
    location.searchParams.set('code', code);
    const stateParam = single(req.query.state);
    if (stateParam !== undefined) location.searchParams.set('state', stateParam);
    res.redirect(302, location.toString());
  });

  /** The app whose client id and secret the form body carries. */
  function clientApp(body: Record<string, unknown>): App {
    const clientId = single(body.client_id);
    const app = clientId ? state.appByClientId(clientId) : undefined;
    if (!app) throw oauthError('BAD_CLIENT_ID');
    if (single(body.client_secret) !== app.clientSecret) throw oauthError('BAD_CLIENT_SECRET');
    return app;
  }

  const formBody = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
  const path = (endpoint: string) => `/oauth/${OAUTH_API_VERSION}/${endpoint}`;

  router.post(path('token'), form, (req: Request, res: Response) => {
    const body = formBody(req);
    const grantType = single(body.grant_type);
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') throw oauthError('BAD_GRANT_TYPE');
    const app = clientApp(body);

    if (grantType === 'authorization_code') {
      const code = state.authorizationCodes.get(single(body.code) ?? '');
      if (!code || code.used || code.appId !== app.appId || state.now() >= code.expiresAt) throw oauthError('BAD_AUTH_CODE');
      if (single(body.redirect_uri) !== code.redirectUri) throw oauthError('BAD_REDIRECT_URI');
      code.used = true;
      if (!state.activeInstall(app.appId, code.portalId)) throw oauthError('BAD_AUTH_CODE');
      const refreshToken = state.issueRefreshToken(app.appId, code.portalId, code.scopes);
      const accessToken = state.issueAccessToken({
        kind: 'oauth',
        portalId: code.portalId,
        appId: app.appId,
        scopes: code.scopes,
        ttlSeconds: state.settings.accessTokenTtlSeconds,
      });
      res.json(tokenResponse(state, accessToken, refreshToken.token));
      return;
    }

    const refreshToken = liveRefreshToken(state, app, single(body.refresh_token));
    if (!refreshToken) throw oauthError('BAD_REFRESH_TOKEN');
    const accessToken = state.issueAccessToken({
      kind: 'oauth',
      portalId: refreshToken.portalId,
      appId: app.appId,
      scopes: refreshToken.scopes,
      ttlSeconds: state.settings.accessTokenTtlSeconds,
    });
    res.json(tokenResponse(state, accessToken, refreshToken.token));
  });

  router.post(path('token/introspect'), form, (req: Request, res: Response) => {
    const body = formBody(req);
    const app = clientApp(body);
    const token = single(body.token);
    if (!token) throw oauthError('BAD_TOKEN');
    const hint = single(body.token_type_hint);
    // The hint orders the look-up; a token of the other kind is still found (RFC 7662).
    const access = hint === 'refresh_token' ? undefined : liveAccessToken(state, app, token);
    const refresh = access ? undefined : liveRefreshToken(state, app, token);
    const lateAccess = !access && !refresh && hint === 'refresh_token' ? liveAccessToken(state, app, token) : undefined;
    const accessToken = access ?? lateAccess;
    const found = accessToken ?? refresh;
    if (!found) {
      res.json({ active: false });
      return;
    }
    const account = state.requireAccount(found.portalId);
    res.json({
      active: true,
      app_id: app.appId,
      client_id: app.clientId,
      hub_id: account.portalId,
      hub_domain: account.domain,
      scopes: found.scopes,
      token: found.token,
      token_type: 'bearer',
      token_use: accessToken ? 'access_token' : 'refresh_token',
      user: account.installingUserEmail,
      user_id: account.installingUserId,
      ...(accessToken ? { expires_in: expiresInSeconds(state, accessToken) } : {}),
    });
  });

  // Revokes only the refresh token: access tokens issued with it keep working until they expire.
  router.post(path('token/revoke'), form, (req: Request, res: Response) => {
    const body = formBody(req);
    const app = clientApp(body);
    const token = single(body.token);
    if (!token) throw oauthError('BAD_TOKEN');
    const refreshToken = state.refreshTokens.get(token);
    if (refreshToken && refreshToken.appId === app.appId) refreshToken.revoked = true;
    res.status(200).end();
  });

  router.use('/oauth/v1', () => {
    throw new HubSpotHttpError(
      404,
      hubSpotErrorBody({
        message: `The v1 OAuth API was retired on 2027-02-16. Use POST /oauth/${OAUTH_API_VERSION}/token, /token/introspect and /token/revoke.`,
        category: 'OBJECT_NOT_FOUND',
      }),
    );
  });

  return router;
}

/** A refresh token of this app that still works (its install active, not revoked). */
function liveRefreshToken(state: FakeState, app: App, token: string | undefined): RefreshToken | undefined {
  const refreshToken = token ? state.refreshTokens.get(token) : undefined;
  if (!refreshToken || refreshToken.revoked || refreshToken.appId !== app.appId || !state.activeInstall(app.appId, refreshToken.portalId)) return undefined;
  return refreshToken;
}

/** An OAuth access token of this app that still works (not expired, revoked or uninstalled). */
function liveAccessToken(state: FakeState, app: App, token: string): AccessToken | undefined {
  const accessToken = state.accessTokens.get(token);
  if (accessToken?.kind !== 'oauth' || accessToken.revoked || accessToken.appId !== app.appId) return undefined;
  if (accessToken.expiresAt !== null && state.now() >= accessToken.expiresAt) return undefined;
  if (!state.activeInstall(app.appId, accessToken.portalId)) return undefined;
  return accessToken;
}

function expiresInSeconds(state: FakeState, token: AccessToken): number {
  // Private-app tokens never expire; a year stands in for "not soon".
  if (token.expiresAt === null) return 365 * 24 * 60 * 60;
  return Math.max(0, Math.floor((token.expiresAt - state.now()) / 1000));
}

function chooseAccount(state: FakeState, portalIdParam: string | undefined): Account {
  if (portalIdParam !== undefined) {
    const account = state.accounts.get(Number(portalIdParam));
    if (!account) throw authorizeRefusal(`No account ${portalIdParam}`);
    return account;
  }
  if (state.authorizingPortalId !== null) {
    const account = state.accounts.get(state.authorizingPortalId);
    if (account) return account;
  }
  const first = state.accounts.values().next();
  if (first.done) throw authorizeRefusal('The HubSpot fake has no account to install into: create one first');
  return first.value;
}
