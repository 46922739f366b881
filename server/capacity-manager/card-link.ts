// "Manage your capacity": the card's link into the Capacity Manager, already signed in.
//
// The link carries a signed token naming the portal and user that HubSpot's signature vouched
// for when the card asked for it. It is short-lived (CARD_LINK_TTL_MS) and single-use: redeeming
// it records its nonce in PostgreSQL (spent-tokens.ts, kept until the link expires), so a link
// copied from a browser history or a log opens nothing a second time, whichever server process
// sees it and whatever happens to Redis.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppDependencies } from '../runtime/dependencies.js';
import { LOCALES, type Locale } from './locale.js';
import type { SessionIdentity } from './session.js';
import { signToken, verifyToken } from './signed-token.js';
import { spendToken } from './spent-tokens.js';

export const CARD_LINK_PATH = '/capacity-manager/open';
export const CARD_LINK_TTL_MS = 10 * 60 * 1000;

const linkPayload = z.object({
  n: z.string().min(16).max(64),
  p: z.number().int().positive(),
  u: z.string().min(1).max(200),
  e: z.string().max(320).nullable(),
  l: z.enum(LOCALES),
  /** What the page searches for when it opens: the contact's domain. */
  s: z.string().max(255).optional(),
  exp: z.number().int(),
});

export interface CardLink {
  url: string;
  expiresAt: string;
}

export interface CardLinkOptions {
  /** The page opens searching for this (the card's contact's domain). */
  search?: string | null;
  now?: number;
}

export function issueCardLink(deps: Pick<AppDependencies, 'config'>, identity: SessionIdentity, locale: Locale, { search, now = Date.now() }: CardLinkOptions = {}): CardLink {
  const expiresAt = now + CARD_LINK_TTL_MS;
  const token = signToken(deps.config.SESSION_SECRET, 'card-link', {
    n: randomBytes(18).toString('base64url'),
    p: identity.portalId,
    u: identity.userId,
    e: identity.userEmail,
    l: locale,
    ...(search ? { s: search } : {}),
    exp: expiresAt,
  } satisfies z.infer<typeof linkPayload>);
  return { url: `${deps.config.publicUrl}${CARD_LINK_PATH}?token=${token}`, expiresAt: new Date(expiresAt).toISOString() };
}

export type CardLinkRedemption = { ok: true; identity: SessionIdentity; locale: Locale; search: string | null } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Checks the link and uses it up; a second redemption of the same link is refused. */
export async function redeemCardLink(deps: Pick<AppDependencies, 'config' | 'db'>, token: string | undefined, now = Date.now()): Promise<CardLinkRedemption> {
  const parsed = linkPayload.safeParse(verifyToken(deps.config.SESSION_SECRET, 'card-link', token));
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const link = parsed.data;
  if (link.exp <= now) return { ok: false, reason: 'expired' };
  if (!(await spendToken(deps.db, 'used_card_link', link.n, link.exp))) return { ok: false, reason: 'used' };
  return { ok: true, identity: { portalId: link.p, userId: link.u, userEmail: link.e }, locale: link.l, search: link.s ?? null };
}
