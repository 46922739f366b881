// Signing out and using a card link are promises that must hold whatever happens to Redis: the
// server runs on a redis-server of the test's own, which is restarted empty in between.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../config/config.js';
import type { RunningServer } from '../start-server.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { startOwnRedis, type OwnRedis } from '../../test/support/redis-server.js';
import { startTestServer, testEnvironment } from '../../test/support/server.js';
import { issueCardLink } from './card-link.js';
import { signInThroughCardLink } from './testing/sign-in.js';

const db = testDatabase(2);
let redis: OwnRedis;
let server: RunningServer;

beforeAll(async () => {
  redis = await startOwnRedis();
  server = await startTestServer({ REDIS_URL: redis.url });
});

afterAll(async () => {
  await server?.close();
  await redis?.stop();
  await db.$disconnect();
});

async function restartRedisEmpty() {
  await redis.stop();
  await redis.start();
}

test('a signed-out session stays refused after Redis restarts empty', async () => {
  const portalId = await createTestPortal(db);
  const session = await signInThroughCardLink(server.url, { portalId, userId: '7', userEmail: 'ola@partner.example' });
  expect((await session.fetch('/api/session')).status).toBe(200);
  expect((await session.fetch('/api/sign-out', { method: 'POST', body: {} })).status).toBe(204);
  expect((await session.fetch('/api/session')).status).toBe(401);

  await restartRedisEmpty();
  expect((await session.fetch('/api/session')).status).toBe(401);
  expect((await session.fetch('/api/registrations')).status).toBe(401);
});

test('a used card link opens nothing after Redis restarts empty', async () => {
  const portalId = await createTestPortal(db);
  const config = loadConfig(testEnvironment());
  const link = new URL(issueCardLink({ config }, { portalId, userId: '8', userEmail: 'kim@partner.example' }, 'en').url);
  const open = () => fetch(`${server.url}${link.pathname}${link.search}`, { redirect: 'manual' });

  const first = await open();
  expect(first.status).toBe(303);
  expect(first.headers.get('set-cookie')).toMatch(/^pc_session=/);
  expect(first.headers.get('location')).toBe('/');

  await restartRedisEmpty();
  const second = await open();
  expect(second.status).toBe(303);
  expect(second.headers.get('set-cookie')).toBeNull();
  expect(second.headers.get('location')).toBe('/?signIn=link-used');
});
