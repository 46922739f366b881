// The card's "Manage your capacity" link: signed, short-lived, single-use.
import { randomBytes } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { loadConfig } from '../config/config.js';
import { testDatabase } from '../../test/support/database.js';
import { testEnvironment } from '../../test/support/server.js';
import { CARD_LINK_TTL_MS, issueCardLink, redeemCardLink } from './card-link.js';
import { deleteExpiredSpentTokens, spendToken } from './spent-tokens.js';

const config = loadConfig(testEnvironment());
const db = testDatabase(12);
const deps = { config, db };
const identity = { portalId: 123456789, userId: '55', userEmail: 'lena@agency.example' };
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

afterAll(async () => {
  await db.$disconnect();
});

test('a link opens a session for its portal, user and language once', async () => {
  const token = tokenOf(issueCardLink(deps, identity, 'sv').url);
  expect(await redeemCardLink(deps, token)).toEqual({ ok: true, identity, locale: 'sv', search: null });
  expect(await redeemCardLink(deps, token)).toEqual({ ok: false, reason: 'used' });
});

test("a link from a contact's card carries the contact's domain as the page's search", async () => {
  const token = tokenOf(issueCardLink(deps, identity, 'en', { search: 'northwind.se' }).url);
  expect(await redeemCardLink(deps, token)).toMatchObject({ ok: true, search: 'northwind.se' });
});

test('a link is refused once it has expired', async () => {
  const issuedAt = Date.now() - CARD_LINK_TTL_MS - 1;
  const token = tokenOf(issueCardLink(deps, identity, 'en', { now: issuedAt }).url);
  expect(await redeemCardLink(deps, token)).toEqual({ ok: false, reason: 'expired' });
});

test('a link signed with another secret, or changed, is refused', async () => {
  const other = loadConfig(testEnvironment({ SESSION_SECRET: 'another-secret-of-at-least-thirty-two-chars' }));
  expect(await redeemCardLink(deps, tokenOf(issueCardLink({ config: other }, identity, 'en').url))).toEqual({ ok: false, reason: 'invalid' });
  const [payload, signature] = tokenOf(issueCardLink(deps, identity, 'en').url).split('.');
  const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), p: 987654321 })).toString('base64url');
  expect(await redeemCardLink(deps, `${changed}.${signature}`)).toEqual({ ok: false, reason: 'invalid' });
  expect(await redeemCardLink(deps, undefined)).toEqual({ ok: false, reason: 'invalid' });
});

test('of many redemptions of one link at the same moment, exactly one opens a session', async () => {
  const token = tokenOf(issueCardLink(deps, identity, 'en').url);
  const redemptions = await Promise.all(Array.from({ length: 10 }, () => redeemCardLink(deps, token)));
  expect(redemptions.filter((redemption) => redemption.ok)).toHaveLength(1);
  expect(redemptions.filter((redemption) => !redemption.ok && redemption.reason === 'used')).toHaveLength(9);
});

test('a spent token is remembered until it expires; clean-up deletes only expired rows', async () => {
  const token = tokenOf(issueCardLink(deps, identity, 'en').url);
  const nonce = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).n as string;
  await redeemCardLink(deps, token);
  const expiredId = `expired-${randomBytes(12).toString('base64url')}`;
  expect(await spendToken(db, 'signed_out_session', expiredId, Date.now() - 1000)).toBe(true);
  const row = (kind: 'used_card_link' | 'signed_out_session', tokenId: string) => db.spentToken.findUnique({ where: { kind_tokenId: { kind, tokenId } } });
  expect(await deleteExpiredSpentTokens(db)).toBeGreaterThanOrEqual(1);
  expect(await row('signed_out_session', expiredId)).toBeNull();
  expect(await row('used_card_link', nonce)).toMatchObject({ expiresAt: expect.any(Date) });
  expect(await redeemCardLink(deps, token)).toEqual({ ok: false, reason: 'used' });
});
