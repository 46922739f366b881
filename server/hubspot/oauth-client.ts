// HubSpot's OAuth token API, in one module: the code exchange, the refresh, introspection and
// revocation, on the date-based endpoints (version in OAUTH_API_VERSION, the one place to change
// when HubSpot publishes a later one, e.g. 2026-09).
//
// HubSpot retires the v1 endpoints (POST /oauth/v1/token, GET /oauth/v1/access-tokens/{t},
// GET|DELETE /oauth/v1/refresh-tokens/{t}) on 2027-02-16. Their successors take every parameter
// in a form-encoded body, never in the path or query, so no secret or token lands in a log:
// - POST /oauth/2026-03/token: grant_type (authorization_code | refresh_token), code,
//   redirect_uri, client_id, client_secret, refresh_token → access_token, refresh_token,
//   expires_in, token_type, token_use, hub_id, user_id, scopes;
// - POST /oauth/2026-03/token/introspect: client_id, client_secret, token, token_type_hint →
//   `active` (false for a token HubSpot does not know or no longer honours) and, when active,
//   app_id, client_id, hub_id, hub_domain, scopes, token, token_type, token_use, user, user_id
//   (and expires_in for access tokens);
// - POST /oauth/2026-03/token/revoke: client_id, client_secret, token, token_type_hint — replaces
//   v1's DELETE of a refresh token. Its success status is not documented: any 2xx is success.
// - errors: {message, category, correlationId, errors?, context?}.
// @hubspot/api-client 14 still wraps only v1, so these are called directly.
//
// Sources: https://developers.hubspot.com/changelog/v1-oauth-api-deprecation
// https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide
// https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens
// https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token
// https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/token-introspect
// https://developers.hubspot.com/docs/api-reference/latest/authentication/oauth-tokens/revoke-token
import { z } from 'zod';
import type { AppConfig } from '../config/config.js';
import { HubSpotRequestError, HubSpotUnavailableError, hubspotMessage } from './hubspot-errors.js';

export const OAUTH_API_VERSION = '2026-03';

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives; always read, never assumed. */
  expiresIn: number;
}

export interface TokenInfo {
  portalId: number;
  userEmail: string | null;
  userId: number | null;
  hubDomain: string | null;
  appId: number;
  scopes: string[];
}

/** HubSpot says the code or refresh token is not (or no longer) good: nothing to retry. */
export class OAuthGrantRejectedError extends HubSpotRequestError {
  override name = 'OAuthGrantRejectedError';
}

export interface OAuthClient {
  exchangeCode(code: string, redirectUri: string): Promise<OAuthTokens>;
  refresh(refreshToken: string): Promise<OAuthTokens>;
  /** What HubSpot knows of a live access token; OAuthGrantRejectedError when it is not active. */
  introspect(accessToken: string): Promise<TokenInfo>;
  /** Revokes a refresh token (the install's access ends when its current access token expires). */
  revokeRefreshToken(refreshToken: string): Promise<void>;
}

const tokenAnswer = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1), expires_in: z.number().int().positive() });

const introspection = z.union([
  z.object({ active: z.literal(false) }),
  z.object({
    active: z.literal(true),
    app_id: z.coerce.number().int(),
    hub_id: z.coerce.number().int(),
    hub_domain: z.string().nullish(),
    user: z.string().nullish(),
    user_id: z.coerce.number().int().nullish(),
    scopes: z.array(z.string()).default([]),
    token_use: z.string().optional(),
  }),
]);

export function createOAuthClient(
  config: Pick<AppConfig, 'HUBSPOT_API_BASE_URL' | 'HUBSPOT_CLIENT_ID' | 'HUBSPOT_CLIENT_SECRET'>,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): OAuthClient {
  const credentials = { client_id: config.HUBSPOT_CLIENT_ID, client_secret: config.HUBSPOT_CLIENT_SECRET };

  /** POSTs a form to one of the token endpoints; 4xx → OAuthGrantRejectedError, the rest → HubSpotUnavailableError. */
  async function post(endpoint: 'token' | 'token/introspect' | 'token/revoke', what: string, form: Record<string, string>): Promise<unknown> {
    const url = new URL(`/oauth/${OAUTH_API_VERSION}/${endpoint}`, config.HUBSPOT_API_BASE_URL);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ ...credentials, ...form }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new HubSpotUnavailableError(`HubSpot's OAuth service did not complete the ${what}: ${(error as Error).message}`);
    }
    const body = parseJson(text);
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      throw new OAuthGrantRejectedError(response.status, `HubSpot refused the ${what}: ${hubspotMessage(body) ?? `HTTP ${response.status}`}`, body);
    }
    if (!response.ok) throw new HubSpotUnavailableError(`HubSpot's OAuth service did not complete the ${what}: HTTP ${response.status} ${hubspotMessage(body) ?? ''}`.trim());
    return body;
  }

  function tokens(answer: unknown, what: string): OAuthTokens {
    const parsed = tokenAnswer.safeParse(answer);
    if (!parsed.success) throw new HubSpotUnavailableError(`HubSpot's answer to the ${what} is not a token answer: ${parsed.error.message}`);
    return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token, expiresIn: parsed.data.expires_in };
  }

  return {
    async exchangeCode(code, redirectUri) {
      const what = 'authorization code exchange';
      return tokens(await post('token', what, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }), what);
    },

    async refresh(refreshToken) {
      const what = 'token refresh';
      return tokens(await post('token', what, { grant_type: 'refresh_token', refresh_token: refreshToken }), what);
    },

    async introspect(accessToken) {
      const what = 'token introspection';
      const parsed = introspection.safeParse(await post('token/introspect', what, { token: accessToken, token_type_hint: 'access_token' }));
      if (!parsed.success) throw new HubSpotUnavailableError(`HubSpot's answer to the ${what} is not an introspection answer: ${parsed.error.message}`);
      const info = parsed.data;
      if (!info.active) throw new OAuthGrantRejectedError(400, 'HubSpot says the access token it just issued is not active; install the app again.');
      return {
        portalId: info.hub_id,
        userEmail: info.user ?? null,
        userId: info.user_id ?? null,
        hubDomain: info.hub_domain ?? null,
        appId: info.app_id,
        scopes: info.scopes,
      };
    },

    async revokeRefreshToken(refreshToken) {
      await post('token/revoke', 'refresh token revocation', { token: refreshToken, token_type_hint: 'refresh_token' });
    },
  };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
