// Who is calling from the card: only what HubSpot's v3 signature vouches for.
//
// HubSpot signs hubspot.fetch requests over method + full URL + body + timestamp with the
// app's client secret. We take the portal and the user from the signed URL's query string,
// where HubSpot's proxy adds them (`portalId`, `userId`, `userEmail`, `appId`; *unconfirmed*,
// see shared/notes/hubspot.md — this module is the one place to change if they move). The card
// never sets these itself, and a name given twice is refused: a user who makes the card's
// worker fetch `?portalId=<another>` would otherwise hope the first of two values wins.
// Nothing in the body or the path says which portal to act for.
import type { NextFunction, Request, Response } from 'express';
import type { AppDependencies } from '../app.js';
import { Problem } from '../http/problem.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignatureV3 } from '../hubspot/request-signature.js';

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

/** Verifies HubSpot's signature; the caller is then `cardCallerOf(res)`. Nothing runs otherwise. */
export function verifyCardRequest(deps: Pick<AppDependencies, 'config'>) {
  return (req: Request, res: Response, next: NextFunction) => {
    // HubSpot signs the URL it called: the public one, not what a proxy forwarded.
    const uri = `${deps.config.publicUrl}${req.originalUrl}`;
    const check = verifySignatureV3(
      {
        method: req.method,
        uri,
        rawBody: req.rawBody ?? '',
        signature: req.header(SIGNATURE_HEADER),
        timestamp: req.header(TIMESTAMP_HEADER),
      },
      deps.config.HUBSPOT_CLIENT_SECRET,
    );
    if (!check.ok) {
      throw new Problem({ status: 401, code: 'SIGNATURE_INVALID', title: 'The request is not signed by HubSpot', detail: `Only the Lead Registration card, through HubSpot, may call this endpoint: ${check.reason}.` });
    }
    const identity = cardCallerFrom(new URL(uri), deps.config.HUBSPOT_APP_ID);
    if (!identity.ok) {
      throw new Problem({ status: 401, code: 'CALLER_UNKNOWN', title: 'The signed request does not say who is calling', detail: `${identity.reason[0]!.toUpperCase()}${identity.reason.slice(1)}.` });
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
