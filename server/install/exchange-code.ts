// The first step of every OAuth return to the app (an install, a partner's sign-in, an operator's
// console sign-in): the code exchanged for tokens, and who they belong to, from HubSpot's
// introspection. Tokens another app was issued (a misconfigured client id) are refused here.
import type { AppConfig } from '../config/config.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import { HubSpotRequestError } from '../hubspot/hubspot-errors.js';
import type { OAuthTokens, TokenInfo } from '../hubspot/oauth-client.js';

export async function exchangeCodeForThisApp(
  deps: { config: Pick<AppConfig, 'HUBSPOT_APP_ID'>; hubspot: Pick<HubSpot, 'oauth'> },
  { code, redirectUri }: { code: string; redirectUri: string },
): Promise<{ tokens: OAuthTokens; info: TokenInfo }> {
  const tokens = await deps.hubspot.oauth.exchangeCode(code, redirectUri);
  const info = await deps.hubspot.oauth.introspect(tokens.accessToken);
  if (info.appId !== deps.config.HUBSPOT_APP_ID) {
    throw new HubSpotRequestError(
      400,
      `HubSpot issued this token to app ${info.appId}, not to this app (${deps.config.HUBSPOT_APP_ID}). Check HUBSPOT_CLIENT_ID and HUBSPOT_APP_ID.`,
    );
  }
  return { tokens, info };
}
