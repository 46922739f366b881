// HubSpot's OAuth endpoints: the install (authorize) redirect, the token endpoint, and token
// metadata. Token handling lives in this one module so that the move from the v1 endpoints
// (deprecated on 2027-02-16) to /oauth/2026-03/* is one change here too.
//
// - GET /oauth/authorize auto-approves: it installs the app into an account and redirects back
//   with `code` and `state`. The account is, in order: the `portalId` query parameter (a fake-only
//   extension), the one chosen with `oauth.setAuthorizingPortal`, the first account created.
// - POST /oauth/v1/token (form-encoded) exchanges a code (single use) or a refresh token. HubSpot
//   refresh tokens do not rotate: refreshing answers the same refresh token with a new access
//   token; earlier access tokens keep working until they expire.
// - Errors answer 400 `{ status: "BAD_…", message, correlationId, error, error_description }`.
//   The BAD_REFRESH_TOKEN body is HubSpot's documented one; the other statuses are seen in the
//   wild (BAD_AUTH_CODE, BAD_CLIENT_ID, BAD_CLIENT_SECRET, BAD_REDIRECT_URI, BAD_GRANT_TYPE) but
//   their message texts here are unconfirmed.
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { checkAccessToken } from './auth.js';
import { HubSpotHttpError, hubSpotErrorBody } from './errors.js';
import type { AccessToken, Account, App, FakeState } from './state.js';

type OAuthStatus = 'BAD_GRANT_TYPE' | 'BAD_CLIENT_ID' | 'BAD_CLIENT_SECRET' | 'BAD_AUTH_CODE' | 'BAD_REDIRECT_URI' | 'BAD_REFRESH_TOKEN';

const OAUTH_ERRORS: Record<OAuthStatus, { message: string; error: string }> = {
  BAD_GRANT_TYPE: { message: 'missing or unknown grant type', error: 'unsupported_grant_type' },
  BAD_CLIENT_ID: { message: 'missing or invalid client id', error: 'invalid_client' },
  BAD_CLIENT_SECRET: { message: 'missing or invalid client secret', error: 'invalid_client' },
  BAD_AUTH_CODE: { message: 'missing or unknown auth code', error: 'invalid_grant' },
  BAD_REDIRECT_URI: { message: 'redirect_uri does not match the redirect_uri the code was issued for', error: 'invalid_grant' },
  BAD_REFRESH_TOKEN: { message: 'refresh token is invalid, expired or revoked', error: 'invalid_grant' },
};

function oauthError(status: OAuthStatus): HubSpotHttpError {
  const { message, error } = OAUTH_ERRORS[status];
  return new HubSpotHttpError(400, { status, message, correlationId: randomUUID(), error, error_description: message });
}

export interface TokenResponse {
  token_type: 'bearer';
  refresh_token: string;
  access_token: string;
  expires_in: number;
  hub_id: number;
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
    token_type: 'bearer',
    refresh_token: refreshToken,
    access_token: accessToken.token,
    expires_in: state.settings.accessTokenTtlSeconds,
    hub_id: accessToken.portalId,
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

  const token = (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = single(body.grant_type);
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') throw oauthError('BAD_GRANT_TYPE');
    const clientId = single(body.client_id);
    const app = clientId ? state.appByClientId(clientId) : undefined;
    if (!app) throw oauthError('BAD_CLIENT_ID');
    if (single(body.client_secret) !== app.clientSecret) throw oauthError('BAD_CLIENT_SECRET');

    if (grantType === 'authorization_code') {
      const code = state.authorizationCodes.get(single(body.code) ?? '');
      if (!code || code.used || code.appId !== app.appId || state.now() >= code.expiresAt) throw oauthError('BAD_AUTH_CODE');
      if (single(body.redirect_uri) !== code.redirectUri) throw oauthError('BAD_REDIRECT_URI');
      code.used = true;
      if (!state.activeInstall(app.appId, code.portalId)) throw oauthError('BAD_AUTH_CODE');
      const refreshToken = state.issueRefreshToken(app.appId, code.portalId, code.scopes);
      const accessToken = state.issueAccessToken({ kind: 'oauth', portalId: code.portalId, appId: app.appId, scopes: code.scopes, ttlSeconds: state.settings.accessTokenTtlSeconds });
      res.json(tokenResponse(state, accessToken, refreshToken.token));
      return;
    }

    const refreshToken = state.refreshTokens.get(single(body.refresh_token) ?? '');
    if (!refreshToken || refreshToken.revoked || refreshToken.appId !== app.appId || !state.activeInstall(app.appId, refreshToken.portalId)) {
      throw oauthError('BAD_REFRESH_TOKEN');
    }
    const accessToken = state.issueAccessToken({
      kind: 'oauth',
      portalId: refreshToken.portalId,
      appId: app.appId,
      scopes: refreshToken.scopes,
      ttlSeconds: state.settings.accessTokenTtlSeconds,
    });
    res.json(tokenResponse(state, accessToken, refreshToken.token));
  };
  router.post('/oauth/v1/token', form, token);
  // The date-versioned successor takes the same form parameters (shape assumed identical).
  router.post('/oauth/2026-03/token', form, token);

  router.get('/oauth/v1/access-tokens/:token', (req: Request, res: Response) => {
    const known = state.accessTokens.get(req.params.token as string);
    // Unknown → 404; expired or uninstalled → the same 401 as an API call (both unconfirmed).
    if (!known) throw new HubSpotHttpError(404, hubSpotErrorBody({ message: 'Token not found', category: 'OBJECT_NOT_FOUND' }));
    const accessToken = checkAccessToken(state, known.token);
    const account = state.requireAccount(accessToken.portalId);
    res.json({
      token: accessToken.token,
      user: account.installingUserEmail,
      hub_domain: account.domain,
      scopes: accessToken.scopes,
      hub_id: accessToken.portalId,
      app_id: accessToken.appId,
      expires_in: expiresInSeconds(state, accessToken),
      user_id: account.installingUserId,
      token_type: 'access',
      is_private_distribution: false,
    });
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req: Request, res: Response) => {
    const refreshToken = state.refreshTokens.get(req.params.token as string);
    if (!refreshToken || refreshToken.revoked) throw new HubSpotHttpError(404, hubSpotErrorBody({ message: 'Token not found', category: 'OBJECT_NOT_FOUND' }));
    const account = state.requireAccount(refreshToken.portalId);
    res.json({
      token: refreshToken.token,
      user: account.installingUserEmail,
      hub_domain: account.domain,
      scopes: refreshToken.scopes,
      hub_id: refreshToken.portalId,
      client_id: state.requireApp(refreshToken.appId).clientId,
      user_id: account.installingUserId,
      token_type: 'refresh',
    });
  });

  // Deletes only the refresh token: access tokens issued with it keep working until they expire.
  router.delete('/oauth/v1/refresh-tokens/:token', (req: Request, res: Response) => {
    const refreshToken = state.refreshTokens.get(req.params.token as string);
    if (!refreshToken) throw new HubSpotHttpError(404, hubSpotErrorBody({ message: 'Token not found', category: 'OBJECT_NOT_FOUND' }));
    refreshToken.revoked = true;
    res.status(204).end();
  });

  return router;
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
