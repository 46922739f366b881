// Capacity Manager sessions: a signed, HttpOnly cookie that names one portal and one user.
//
// The cookie is the whole session (no server-side store), so any number of server processes
// accept it; it is signed with a key derived from SESSION_SECRET and expires after
// SESSION_TTL_MS. Signing out records the session id in PostgreSQL (spent-tokens.ts) until the
// cookie would have expired anyway, so a copied cookie stops working everywhere at once and
// stays refused whatever happens to Redis; checking it costs one primary-key lookup per request.
// Every API call is scoped to the session's portal: nothing the browser sends can name another
// one.
//
// CSRF: the cookie is SameSite=Lax, and every change (POST) must carry the session's CSRF
// token in X-CSRF-Token (the page reads it from GET /api/session) and, when the browser sends
// an Origin, come from this app's origin.
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../runtime/dependencies.js';
import { Problem } from '../http/problem.js';
import { recordPortalUser } from '../portals/portal-roles.js';
import { LOCALES, type Locale } from './locale.js';
import { hmac, sameText, signToken, verifyToken } from './signed-token.js';
import { isTokenSpent, spendToken } from './spent-tokens.js';

export const SESSION_COOKIE = 'pc_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface SessionIdentity {
  portalId: number;
  userId: string;
  userEmail: string | null;
}

export interface Session extends SessionIdentity {
  id: string;
  locale: Locale;
  expiresAt: number;
}

const sessionPayload = z.object({
  sid: z.string().min(16).max(64),
  p: z.number().int().positive(),
  u: z.string().min(1).max(200),
  e: z.string().max(320).nullable(),
  l: z.enum(LOCALES),
  exp: z.number().int(),
});

type SessionDeps = Pick<AppDependencies, 'config' | 'db'>;

function cookieOptions(deps: Pick<AppDependencies, 'config'>) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: deps.config.publicUrl.startsWith('https:'), path: '/' };
}

/**
 * Opens a Capacity Manager session for one portal and user: sets the session cookie on `res`.
 * Called after a card link is redeemed, after HubSpot sign-in (server/install/), and by the
 * demo sign-in. The caller redirects afterwards. The user is remembered as seen in the portal,
 * so its admin can choose them as a manager (portals/portal-roles.ts).
 */
export async function issueSession(res: Response, deps: Pick<AppDependencies, 'config' | 'db'>, identity: SessionIdentity, options: { locale?: Locale } = {}): Promise<void> {
  await recordPortalUser(deps.db, identity);
  const expiresAt = Date.now() + SESSION_TTL_MS;
  const token = signToken(deps.config.SESSION_SECRET, 'session', {
    sid: randomBytes(18).toString('base64url'),
    p: identity.portalId,
    u: identity.userId,
    e: identity.userEmail,
    l: options.locale ?? 'en',
    exp: expiresAt,
  } satisfies z.infer<typeof sessionPayload>);
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(deps), maxAge: SESSION_TTL_MS });
}

/** The named cookie's value from the request (Express 5 has no cookie parser of its own). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The request's session, or null when there is none, it is forged, expired or signed out. */
export async function readSession(req: Request, deps: SessionDeps): Promise<Session | null> {
  const parsed = sessionPayload.safeParse(verifyToken(deps.config.SESSION_SECRET, 'session', readCookie(req, SESSION_COOKIE)));
  if (!parsed.success || parsed.data.exp <= Date.now()) return null;
  const { sid, p, u, e, l, exp } = parsed.data;
  if (await isTokenSpent(deps.db, 'signed_out_session', sid)) return null;
  return { id: sid, portalId: p, userId: u, userEmail: e, locale: l, expiresAt: exp };
}

/** Ends the session everywhere: the cookie is cleared and its id refused until it expires. */
export async function endSession(res: Response, deps: SessionDeps, session: Session): Promise<void> {
  await spendToken(deps.db, 'signed_out_session', session.id, session.expiresAt);
  res.clearCookie(SESSION_COOKIE, cookieOptions(deps));
}

export function csrfTokenFor(deps: Pick<AppDependencies, 'config'>, session: Session): string {
  return hmac(deps.config.SESSION_SECRET, 'csrf', session.id);
}

/** Who did something, as the audit log and registrations record it. */
export function actorOf(session: SessionIdentity): string {
  return session.userEmail ?? `hubspot-user:${session.userId}`;
}

export function sessionOf(res: Response): Session {
  const session = res.locals.session as Session | undefined;
  if (!session) throw new Error('sessionOf() used on a route without requireSession');
  return session;
}

export function signInRequired(deps: Pick<AppDependencies, 'config'>): Problem {
  return new Problem({
    status: 401,
    code: 'SIGN_IN_REQUIRED',
    title: 'Sign in to the Capacity Manager',
    detail: 'Open the Capacity Manager from the Lead Registration card in HubSpot, or sign in with HubSpot.',
    extensions: { signIn: { hubspot: '/oauth/sign-in?returnTo=/', demo: deps.config.DEMO_MODE } },
  });
}

/** Lets the request through only with a valid session; it is then `sessionOf(res)`. */
export function requireSession(deps: SessionDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = await readSession(req, deps);
    if (!session) throw signInRequired(deps);
    res.locals.session = session;
    // Answers carry one portal's data: never cached by anything between the app and the browser.
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/** For changes: the session's CSRF token in the header, and this app's origin when one is sent. */
export function requireCsrf(deps: Pick<AppDependencies, 'config'>) {
  return requireSameSiteChange(deps, {
    header: CSRF_HEADER,
    expectedToken: (res) => csrfTokenFor(deps, sessionOf(res)),
    page: 'the Capacity Manager page',
    reload: 'Reload the Capacity Manager page',
  });
}

/**
 * A change must come from the app's own page: the Origin, when the browser sends one, is this
 * app's, and `header` carries the session's CSRF token. Shared by the Capacity Manager and the
 * program console (each with its own session, header and words).
 */
export function requireSameSiteChange(
  deps: Pick<AppDependencies, 'config'>,
  { header, expectedToken, page, reload }: { header: string; expectedToken: (res: Response) => string; page: string; reload: string },
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== new URL(deps.config.publicUrl).origin && origin !== `${req.protocol}://${req.headers.host}`) {
      throw new Problem({
        status: 403,
        code: 'CROSS_SITE_REQUEST',
        title: 'The request came from another site',
        detail: `Changes are accepted only from ${page} itself. ${reload} and try again.`,
      });
    }
    const given = req.headers[header];
    if (typeof given !== 'string' || !sameText(given, expectedToken(res))) {
      throw new Problem({ status: 403, code: 'CSRF_TOKEN_INVALID', title: 'The request is missing its CSRF token', detail: `${reload} and try again.` });
    }
    next();
  };
}
