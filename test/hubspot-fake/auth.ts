// Bearer-token authentication for the CRM API, with HubSpot's 401 and 403 bodies.
//
// Accepted: access tokens issued by /oauth/2026-03/token (they expire after expires_in and stop
// working when the app is uninstalled) and private-app style tokens the control API hands out
// (they never expire). A missing or unknown token → 401 INVALID_AUTHENTICATION; an expired one →
// 401 EXPIRED_AUTHENTICATION, "The OAuth token used to make this call expired 3 minute(s) ago."
// (both bodies as observed from HubSpot). A token whose install was revoked → 401
// INVALID_AUTHENTICATION too: what HubSpot answers then is unconfirmed. A token without the
// scope → 403 MISSING_SCOPES.
import type { NextFunction, Request, Response } from 'express';
import { HubSpotHttpError, hubSpotErrorBody } from './errors.js';
import type { AccessToken, FakeState } from './state.js';

export interface AuthContext {
  token: AccessToken;
  portalId: number;
  appId: number;
}

export function authOf(res: Response): AuthContext {
  const auth = res.locals.auth as AuthContext | undefined;
  if (!auth) throw new Error('authOf() used on a route without requireToken()');
  return auth;
}

const CREDENTIALS_NOT_FOUND =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function invalidAuthentication(): HubSpotHttpError {
  return new HubSpotHttpError(401, hubSpotErrorBody({ message: CREDENTIALS_NOT_FOUND, category: 'INVALID_AUTHENTICATION' }));
}

export function expiredAuthentication(expiresAt: number, now: number): HubSpotHttpError {
  return new HubSpotHttpError(
    401,
    hubSpotErrorBody({
      message: `The OAuth token used to make this call expired ${describeAgo(now - expiresAt)} ago.`,
      category: 'EXPIRED_AUTHENTICATION',
      context: { 'expire time': [new Date(expiresAt).toISOString()] },
    }),
  );
}

/** "75 second(s)", "3 minute(s)", "5 hour(s)", "12 day(s)": the largest whole unit, as HubSpot words it. */
export function describeAgo(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  if (seconds < 60) return `${seconds} second(s)`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} minute(s)`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour(s)`;
  return `${Math.floor(hours / 24)} day(s)`;
}

/** The token's state as HubSpot would judge it now; throws the answer HubSpot would give. */
export function checkAccessToken(state: FakeState, raw: string | undefined): AccessToken {
  const token = raw ? state.accessTokens.get(raw) : undefined;
  if (!token || token.revoked) throw invalidAuthentication();
  if (token.kind === 'oauth' && !state.activeInstall(token.appId, token.portalId)) throw invalidAuthentication();
  const now = state.now();
  if (token.expiresAt !== null && now >= token.expiresAt) throw expiredAuthentication(token.expiresAt, now);
  return token;
}

/** Requires a valid bearer token holding `scope`. */
export function requireToken(state: FakeState, scope: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const raw = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    const token = checkAccessToken(state, raw);
    if (!token.scopes.includes(scope)) {
      throw new HubSpotHttpError(
        403,
        hubSpotErrorBody({
          message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
          category: 'MISSING_SCOPES',
          errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
          links: { scopes: 'https://developers.hubspot.com/scopes' },
        }),
      );
    }
    res.locals.auth = { token, portalId: token.portalId, appId: token.appId } satisfies AuthContext;
    next();
  };
}
