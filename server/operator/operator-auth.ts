// Operator authentication: the request must carry OPERATOR_TOKEN, compared in constant time.
//
// Programs send `Authorization: Bearer <token>`. Browsers cannot add a bearer header to a page
// they open, so where `browser` is set (the queue dashboard) Basic credentials with the token as
// password work too, and a 401 asks the browser for them.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Problem } from '../http/problem.js';

/** Digests first: timingSafeEqual needs equal lengths, and the digest hides the token's length. */
function sameToken(candidate: string, token: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(candidate), digest(token));
}

function presentedToken(header: string | undefined, allowBasic: boolean): string | null {
  if (!header) return null;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (allowBasic && scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

export function requireOperator(token: string, { browser = false }: { browser?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const presented = presentedToken(req.headers.authorization, browser);
    if (presented !== null && sameToken(presented, token)) return next();
    res.setHeader('WWW-Authenticate', browser ? 'Basic realm="Partner Capacity operator", charset="UTF-8"' : 'Bearer realm="Partner Capacity operator"');
    next(
      new Problem({
        status: 401,
        code: 'OPERATOR_AUTHENTICATION_REQUIRED',
        title: 'Operator authentication required',
        detail: browser
          ? 'Sign in with the operator token as the password (any user name), or send Authorization: Bearer <OPERATOR_TOKEN>.'
          : 'Send Authorization: Bearer <OPERATOR_TOKEN>.',
      }),
    );
  };
}
