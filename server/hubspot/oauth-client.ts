// HubSpot's OAuth endpoints, in one module: the code exchange, the refresh and introspection.
//
// They are the v1 endpoints that @hubspot/api-client wraps; HubSpot deprecates them on
// 2027-02-16 for `/oauth/2026-03/token` (shared/notes/hubspot.md). Everything token-related
// goes through here, so that switch is a change to this file alone.
import { Client } from '@hubspot/api-client';
import type http from 'node:http';
import type { AppConfig } from '../config/config.js';
import { HubSpotRequestError, HubSpotUnavailableError, hubspotMessage, isApiException } from './hubspot-errors.js';

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
  introspect(accessToken: string): Promise<TokenInfo>;
}

export function createOAuthClient(config: Pick<AppConfig, 'HUBSPOT_API_BASE_URL' | 'HUBSPOT_CLIENT_ID' | 'HUBSPOT_CLIENT_SECRET'>, agent?: http.Agent): OAuthClient {
  const client = new Client({ basePath: config.HUBSPOT_API_BASE_URL, numberOfApiCallRetries: 0, httpAgent: agent });

  async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isApiException(error) && error.code >= 400 && error.code < 500) {
        throw new OAuthGrantRejectedError(error.code, `HubSpot refused the ${what}: ${hubspotMessage(error.body) ?? error.message}`, error.body);
      }
      throw new HubSpotUnavailableError(`HubSpot's OAuth service did not complete the ${what}: ${(error as Error).message}`);
    }
  }

  return {
    async exchangeCode(code, redirectUri) {
      const answer = await call('authorization code exchange', () =>
        client.oauth.tokensApi.create('authorization_code', code, redirectUri, config.HUBSPOT_CLIENT_ID, config.HUBSPOT_CLIENT_SECRET),
      );
      return { accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresIn: answer.expiresIn };
    },
    async refresh(refreshToken) {
      const answer = await call('token refresh', () =>
        client.oauth.tokensApi.create('refresh_token', undefined, undefined, config.HUBSPOT_CLIENT_ID, config.HUBSPOT_CLIENT_SECRET, refreshToken),
      );
      return { accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresIn: answer.expiresIn };
    },
    async introspect(accessToken) {
      const info = await call('token introspection', () => client.oauth.accessTokensApi.get(accessToken));
      return {
        portalId: Number(info.hubId),
        userEmail: info.user ?? null,
        userId: info.userId ?? null,
        hubDomain: info.hubDomain ?? null,
        appId: Number(info.appId),
        scopes: info.scopes ?? [],
      };
    },
  };
}
