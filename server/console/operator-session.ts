// Program console sessions: the operator as a person, named by the email of their HubSpot user.
//
// Kept like Capacity Manager sessions (capacity-manager/session.ts): a signed, HttpOnly cookie
// of its own (another name and another signing key, so neither kind of session ever passes as
// the other), valid on every server process, revoked on sign-out by recording its id in
// PostgreSQL (spent_tokens), so a copied cookie stays refused even after Redis restarts empty.
// Every request checks the email against OPERATOR_EMAILS as configured now: an operator taken
// off the list is out at the next request, whatever cookie they hold. Changes need the
// session's CSRF token and, when the browser sends one, this app's Origin.
//
// The bearer OPERATOR_TOKEN (operator/operator-auth.ts) stays for scripts and the operator API;
// the console never asks a browser for it.
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { LOCALES, type Locale } from '../capacity-manager/locale.js';
import { readCookie, requireSameSiteChange } from '../capacity-manager/session.js';
import { hmac, signToken, verifyToken } from '../capacity-manager/signed-token.js';
import { isTokenSpent, spendToken } from '../capacity-manager/spent-tokens.js';
import type { AppConfig } from '../config/config.js';
import { Problem } from '../http/problem.js';
import type { AppDependencies } from '../runtime/dependencies.js';

export const OPERATOR_SESSION_COOKIE = 'pc_operator_session';
export const OPERATOR_CSRF_HEADER = 'x-csrf-token';
export const OPERATOR_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Who the demo's operator is (demo mode only: DEMO_MODE=true). */
export const DEMO_OPERATOR_EMAIL = 'operator@partner-capacity.example';

export interface OperatorSession {
  id: string;
  email: string;
  locale: Locale;
  expiresAt: number;
}

const payloadSchema = z.object({
  sid: z.string().min(16).max(64),
  e: z.email().max(320),
  l: z.enum(LOCALES),
  exp: z.number().int(),
});

type SessionDeps = Pick<AppDependencies, 'config' | 'db'>;

function cookieOptions(config: Pick<AppConfig, 'publicUrl'>) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: config.publicUrl.startsWith('https:'), path: '/' };
}

/** May this email use the console? One of OPERATOR_EMAILS, or the demo operator in demo mode. */
export function isOperatorEmail(config: Pick<AppConfig, 'OPERATOR_EMAILS' | 'DEMO_MODE'>, email: string | null | undefined): boolean {
  if (!email) return false;
  const normalized = email.trim().toLowerCase();
  return config.OPERATOR_EMAILS.includes(normalized) || (config.DEMO_MODE && normalized === DEMO_OPERATOR_EMAIL);
}

/** A new console session's cookie value (also what the benchmark signs in with). */
export function operatorSessionToken(config: Pick<AppConfig, 'SESSION_SECRET'>, email: string, locale: Locale = 'en'): string {
  return signToken(config.SESSION_SECRET, 'operator-session', {
    sid: randomBytes(18).toString('base64url'),
    e: email.trim().toLowerCase(),
    l: locale,
    exp: Date.now() + OPERATOR_SESSION_TTL_MS,
  } satisfies z.infer<typeof payloadSchema>);
}

/** Opens a console session for an operator (the caller has checked isOperatorEmail). */
export function issueOperatorSession(res: Response, config: Pick<AppConfig, 'SESSION_SECRET' | 'publicUrl'>, email: string, locale: Locale = 'en'): void {
  res.cookie(OPERATOR_SESSION_COOKIE, operatorSessionToken(config, email, locale), { ...cookieOptions(config), maxAge: OPERATOR_SESSION_TTL_MS });
}

/** The request's operator session, or null: none, forged, expired, signed out, or no longer an operator. */
export async function readOperatorSession(req: Request, deps: SessionDeps): Promise<OperatorSession | null> {
  const parsed = payloadSchema.safeParse(verifyToken(deps.config.SESSION_SECRET, 'operator-session', readCookie(req, OPERATOR_SESSION_COOKIE)));
  if (!parsed.success || parsed.data.exp <= Date.now() || !isOperatorEmail(deps.config, parsed.data.e)) return null;
  // Session ids are 18 random bytes, so operator and partner sessions share the signed-out list.
  if (await isTokenSpent(deps.db, 'signed_out_session', parsed.data.sid)) return null;
  return { id: parsed.data.sid, email: parsed.data.e, locale: parsed.data.l, expiresAt: parsed.data.exp };
}

export async function endOperatorSession(res: Response, deps: SessionDeps, session: OperatorSession): Promise<void> {
  await spendToken(deps.db, 'signed_out_session', session.id, session.expiresAt);
  res.clearCookie(OPERATOR_SESSION_COOKIE, cookieOptions(deps.config));
}

export function operatorCsrfTokenFor(config: Pick<AppConfig, 'SESSION_SECRET'>, session: OperatorSession): string {
  return hmac(config.SESSION_SECRET, 'operator-csrf', session.id);
}

export function operatorOf(res: Response): OperatorSession {
  const session = res.locals.operatorSession as OperatorSession | undefined;
  if (!session) throw new Error('operatorOf() used on a route without requireOperatorSession');
  return session;
}

export function operatorSignInRequired(config: Pick<AppConfig, 'DEMO_MODE'>): Problem {
  return new Problem({
    status: 401,
    code: 'OPERATOR_SIGN_IN_REQUIRED',
    title: 'Sign in to the program console',
    detail: "Sign in with HubSpot as one of the program's operators (OPERATOR_EMAILS).",
    extensions: { signIn: { hubspot: '/oauth/operator-sign-in', demo: config.DEMO_MODE } },
  });
}

/** Lets the request through only with an operator session; it is then `operatorOf(res)`. */
export function requireOperatorSession(deps: SessionDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = await readOperatorSession(req, deps);
    if (!session) throw operatorSignInRequired(deps.config);
    res.locals.operatorSession = session;
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/** A change must come from this app's page: its Origin (when sent) and the session's CSRF token. */
export function requireOperatorCsrf(deps: Pick<AppDependencies, 'config'>) {
  return requireSameSiteChange(deps, {
    header: OPERATOR_CSRF_HEADER,
    expectedToken: (res) => operatorCsrfTokenFor(deps.config, operatorOf(res)),
    page: 'the program console',
    reload: 'Reload the program console',
  });
}
