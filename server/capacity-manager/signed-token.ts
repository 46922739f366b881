// Compact signed tokens: a JSON payload and its HMAC-SHA256, both base64url, joined by a dot.
//
// Used for the session cookie and for the card's one-time sign-in links. Each use signs with
// its own key, derived from SESSION_SECRET and the token's purpose, so a token made for one
// purpose never verifies as another (a sign-in link is not a session cookie). Nothing here is
// encrypted: payloads hold ids, never secrets.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'session' | 'card-link' | 'csrf' | 'operator-session' | 'operator-csrf';

function keyFor(secret: string, purpose: TokenPurpose): Buffer {
  return createHmac('sha256', secret).update(`partner-capacity:${purpose}`).digest();
}

export function hmac(secret: string, purpose: TokenPurpose, value: string): string {
  return createHmac('sha256', keyFor(secret, purpose)).update(value).digest('base64url');
}

export function signToken(secret: string, purpose: TokenPurpose, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${hmac(secret, purpose, body)}`;
}

/** The payload when the signature matches, else null. The caller validates its shape and expiry. */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string | undefined): unknown {
  if (!token || token.length > 4096) return null;
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  if (!sameText(signature, hmac(secret, purpose, body))) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** Constant-time comparison of two strings. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
