// Who is calling from the card: only what HubSpot's v3 signature vouches for.
//
// HubSpot signs hubspot.fetch requests over method + full URL + body + timestamp with the
// app's client secret. We take the portal and the user from the signed URL's query string,
// where HubSpot's proxy adds them (`portalId`, `userId`, `userEmail`, `appId`; *unconfirmed*,
// see docs/hubspot-platform.md — this module is the one place to change if they move). The card
// never sets these itself, and a name given twice is refused: a user who makes the card's
// worker fetch `?portalId=<another>` would otherwise hope the first of two values wins.
// Nothing in the body or the path says which portal to act for.
//
// Development (HUBSPOT_DEV_PORTAL_ID and HUBSPOT_DEV_USER_ID set; the configuration refuses them
// in production): `hs project dev` forwards the card's calls to localhost through HubSpot's local
// dev server (@hubspot/ui-extensions-dev-server, proxy/AppProxyService.js and proxy/signing.js),
// which signs the *rewritten localhost URL* — only when CLIENT_SECRET is set in its environment —
// and appends no portal or user. So in that mode the URL as this server received it (Host header)
// is verified too, and a signed call naming nobody acts for the configured portal and user.
//
// At debug level every check logs the URL it verified and the outcome: the first call from a real
// account shows whether HubSpot signs before or after appending its parameters.
import type { NextFunction, Request, Response } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { Problem } from '../http/problem.js';
import type { AppConfig } from '../config/config.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignatureV3, type SignatureCheck } from '../hubspot/request-signature.js';

export interface CardCaller {
  portalId: number;
  userId: string;
  userEmail: string | null;
}

export type CardCallerResult = { ok: true; caller: CardCaller } | { ok: false; reason: string };

const NUMERIC_ID = /^[1-9]\d{0,17}$/;

function single(params: URLSearchParams, name: string): string | null | 'repeated' {
  const values = params.getAll(name);
  if (values.length > 1) return 'repeated';
  return values[0] ?? null;
}

/** The caller named by a signed URL, or why it names none. */
export function cardCallerFrom(signedUrl: URL, appId: number): CardCallerResult {
  const params = signedUrl.searchParams;
  const portalId = single(params, 'portalId');
  const userId = single(params, 'userId');
  const userEmail = single(params, 'userEmail');
  const callerAppId = single(params, 'appId');
  if ([portalId, userId, userEmail, callerAppId].includes('repeated')) return { ok: false, reason: 'the signed URL names the portal, user or app more than once' };
  if (!portalId || !NUMERIC_ID.test(portalId) || !Number.isSafeInteger(Number(portalId))) return { ok: false, reason: 'the signed URL does not name a portal' };
  if (!userId || !NUMERIC_ID.test(userId)) return { ok: false, reason: 'the signed URL does not name a user' };
  if (callerAppId !== null && callerAppId !== String(appId)) return { ok: false, reason: 'the request was made for another app' };
  const email = userEmail && userEmail.length <= 320 && userEmail.includes('@') ? userEmail : null;
  return { ok: true, caller: { portalId: Number(portalId), userId, userEmail: email } };
}

/** The configured development caller, when the server runs in the development mode. */
function developmentCaller(config: AppConfig): CardCaller | null {
  if (config.HUBSPOT_DEV_PORTAL_ID === undefined || config.HUBSPOT_DEV_USER_ID === undefined) return null;
  return { portalId: config.HUBSPOT_DEV_PORTAL_ID, userId: config.HUBSPOT_DEV_USER_ID, userEmail: config.HUBSPOT_DEV_USER_EMAIL ?? null };
}

/** True when the URL names no caller at all (what HubSpot's local dev proxy sends). */
function namesNobody(url: URL): boolean {
  return !['portalId', 'userId', 'userEmail', 'appId'].some((name) => url.searchParams.has(name));
}

/** Verifies HubSpot's signature; the caller is then `cardCallerOf(res)`. Nothing runs otherwise. */
export function verifyCardRequest(deps: Pick<AppDependencies, 'config' | 'logger'>) {
  const devCaller = developmentCaller(deps.config);
  return (req: Request, res: Response, next: NextFunction) => {
    // HubSpot signs the URL it called: the public one, not what a proxy forwarded. In development
    // the local dev proxy signs the localhost URL it called, which is what arrived here.
    const candidates = [`${deps.config.publicUrl}${req.originalUrl}`];
    if (devCaller && req.headers.host) candidates.push(`${req.protocol}://${req.headers.host}${req.originalUrl}`);
    let check: SignatureCheck = { ok: false, reason: 'no URL to verify' };
    let uri = candidates[0]!;
    for (const candidate of candidates) {
      uri = candidate;
      check = verifySignatureV3(
        { method: req.method, uri, rawBody: req.rawBody ?? '', signature: req.header(SIGNATURE_HEADER), timestamp: req.header(TIMESTAMP_HEADER) },
        deps.config.HUBSPOT_CLIENT_SECRET,
      );
      deps.logger.debug({ verifiedUrl: uri, outcome: check.ok ? 'valid' : check.reason }, 'card request signature checked');
      if (check.ok) break;
    }
    if (!check.ok) {
      throw new Problem({
        status: 401,
        code: 'SIGNATURE_INVALID',
        title: 'The request is not signed by HubSpot',
        detail: `Only the Lead Registration card, through HubSpot, may call this endpoint: ${check.reason}.`,
      });
    }
    const signedUrl = new URL(uri);
    const identity = devCaller && namesNobody(signedUrl) ? ({ ok: true, caller: devCaller } as const) : cardCallerFrom(signedUrl, deps.config.HUBSPOT_APP_ID);
    if (!identity.ok) {
      throw new Problem({
        status: 401,
        code: 'CALLER_UNKNOWN',
        title: 'The signed request does not say who is calling',
        detail: `${identity.reason[0]!.toUpperCase()}${identity.reason.slice(1)}.`,
      });
    }
    res.locals.cardCaller = identity.caller;
    next();
  };
}

export function cardCallerOf(res: Response): CardCaller {
  const caller = res.locals.cardCaller as CardCaller | undefined;
  if (!caller) throw new Error('cardCallerOf() used on a route without verifyCardRequest');
  return caller;
}

/** Who registered, as the registration and audit log record it. */
export function cardActor(caller: CardCaller): string {
  return caller.userEmail ?? `hubspot-user:${caller.userId}`;
}
