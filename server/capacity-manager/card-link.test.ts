// The card's "Manage your capacity" link: signed, short-lived, single-use.
import { afterAll, expect, inject, test } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createRedis } from '../queue/redis.js';
import { testEnvironment } from '../../test/support/server.js';
import { CARD_LINK_TTL_MS, issueCardLink, redeemCardLink } from './card-link.js';

const config = loadConfig(testEnvironment());
const redis = createRedis({ url: inject('redisUrl') });
const deps = { config, redis };
const identity = { portalId: 123456789, userId: '55', userEmail: 'lena@agency.example' };
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

afterAll(async () => {
  await redis.quit();
});

test('a link opens a session for its portal, user and language once', async () => {
  const token = tokenOf(issueCardLink(deps, identity, 'sv').url);
  expect(await redeemCardLink(deps, token)).toEqual({ ok: true, identity, locale: 'sv' });
  expect(await redeemCardLink(deps, token)).toEqual({ ok: false, reason: 'used' });
});

test('a link is refused once it has expired', async () => {
  const issuedAt = Date.now() - CARD_LINK_TTL_MS - 1;
  const token = tokenOf(issueCardLink(deps, identity, 'en', issuedAt).url);
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
