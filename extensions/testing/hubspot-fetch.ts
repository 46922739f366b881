// hubspot.fetch as HubSpot runs it, for tests: the card's request goes to the app's public URL
// through HubSpot's proxy, which adds who is calling to the query string and signs the request
// (v3) with the app's client secret. Here the "proxy" forwards to the real test server, so the
// card, the signature check and the backend are tested together with nothing mocked but
// HubSpot's transport.
//
// The query parameters HubSpot adds (portalId, userId, userEmail, appId) are *unconfirmed*
// (docs/hubspot-api.md); server/card-api/card-caller.ts reads the same names.
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import { signRequest } from '../../test/hubspot-fake/signing.js';

export interface HubSpotFetchEmulation {
  /** The app's public URL, as listed in app-hsmeta.json's permitted fetch URLs (the server's PUBLIC_URL). */
  publicUrl: string;
  /** Where the test server really listens. */
  serverUrl: string;
  clientSecret: string;
  appId: number;
  portalId: number;
  userId: number;
  userEmail?: string;
  /** Rewrites the signature, to prove a wrongly signed request is refused. */
  tamper?: (headers: Record<string, string>) => Record<string, string>;
}

export type HubSpotFetch = (url: string | URL, options?: HubSpotFetchOptions) => Promise<Response>;

export function emulateHubSpotFetch(emulation: HubSpotFetchEmulation): HubSpotFetch {
  return async (url, options = {}) => {
    const requested = new URL(String(url));
    if (!requested.href.startsWith(`${emulation.publicUrl}/`)) throw new Error(`hubspot.fetch refused ${requested.href}: not a permitted URL of the app`);
    requested.searchParams.append('portalId', String(emulation.portalId));
    requested.searchParams.append('userId', String(emulation.userId));
    if (emulation.userEmail) requested.searchParams.append('userEmail', emulation.userEmail);
    requested.searchParams.append('appId', String(emulation.appId));

    const method = options.method ?? 'GET';
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const signed = signRequest({ method, url: requested.href, body, clientSecret: emulation.clientSecret });
    let headers: Record<string, string> = { ...signed, ...(body ? { 'Content-Type': 'application/json' } : {}) };
    if (emulation.tamper) headers = emulation.tamper(headers);
    const forwarded = `${emulation.serverUrl}${requested.href.slice(emulation.publicUrl.length)}`;
    return fetch(forwarded, { method, headers, body: body || undefined, signal: AbortSignal.timeout(options.timeout ?? 15_000), redirect: 'manual' });
  };
}
