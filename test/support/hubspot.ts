// A HubSpot fake wired to the app for one test file: the app registered in the fake with the
// test config's client id and secret, and helpers to install the app in a portal of both.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type AppConfig } from '../../server/config/config.js';
import type { Database } from '../../server/db/client.js';
import { createHubSpot, type HubSpot, type HubSpotOptions } from '../../server/hubspot/hubspot.js';
import { ensureAppProperties } from '../../server/install/ensure-app-properties.js';
import { createLogger } from '../../server/observability/logger.js';
import { ensurePortal } from '../../server/portals/ensure-portal.js';
import { createRedis, type Redis } from '../../server/queue/redis.js';
import { startHubSpotFake, type HubSpotFake, type HubSpotFakeOptions } from '../hubspot-fake/index.js';
import { newPortalId } from './database.js';
import { testEnvironment } from './server.js';

export const TEST_CLIENT_ID = 'test-client-id';
export const TEST_CLIENT_SECRET = 'test-client-secret-0123456789';
export const TEST_APP_ID = 3_999_001;

export interface HubSpotTestRig {
  fake: HubSpotFake;
  config: AppConfig;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startHubSpotRig(fakeOptions: HubSpotFakeOptions = {}, envOverrides: Record<string, string> = {}): Promise<HubSpotTestRig> {
  const fake = await startHubSpotFake(fakeOptions);
  const env = testEnvironment({
    // A deployment of its own: its queues and sweepers never meet another test file's.
    REDIS_KEY_PREFIX: `${inject('redisPrefix')}-${randomUUID().slice(0, 8)}`,
    HUBSPOT_API_BASE_URL: fake.url,
    HUBSPOT_AUTHORIZE_URL: `${fake.url}/oauth/authorize`,
    HUBSPOT_CLIENT_ID: TEST_CLIENT_ID,
    HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
    HUBSPOT_APP_ID: String(TEST_APP_ID),
    ...envOverrides,
  });
  const config = loadConfig(env);
  fake.apps.register({
    appId: TEST_APP_ID,
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    redirectUri: `${config.publicUrl}/oauth/callback`,
    scopes: config.HUBSPOT_SCOPES.split(' '),
  });
  return { fake, config, env, stop: () => fake.stop() };
}

/** A HubSpot client stack as one app process builds it (its own Redis connection). */
export function hubspotProcess(rig: HubSpotTestRig, db: Database, options: Partial<HubSpotOptions> = {}): { hubspot: HubSpot; redis: Redis; close(): Promise<void> } {
  const redis = createRedis({ url: rig.config.REDIS_URL, cluster: rig.config.REDIS_CLUSTER });
  const hubspot = createHubSpot({ config: rig.config, db, redis, logger: createLogger({ level: 'silent', name: 'test' }), backoffBaseMs: 5, ...options });
  return { hubspot, redis, close: async () => void (await redis.quit()) };
}

/** A portal that installed the app: known to the fake and to the app's database, tokens stored. */
export async function installedPortal(
  rig: HubSpotTestRig,
  db: Database,
  hubspot: HubSpot,
  options: { tier?: 'untiered' | 'silver' | 'gold' | 'platinum' | 'diamond'; withAppProperties?: boolean } = {},
): Promise<number> {
  const portalId = newPortalId();
  rig.fake.accounts.create({ portalId, name: `Portal ${portalId}` });
  await ensurePortal(db, { portalId, tier: options.tier ?? 'gold', actor: 'test' });
  const tokens = rig.fake.installs.install(TEST_APP_ID, portalId);
  await hubspot.installs.save(
    portalId,
    { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresIn: tokens.expires_in },
    { hubDomain: null, installedBy: 'test', scopes: [] },
  );
  if (options.withAppProperties !== false) await ensureAppProperties(hubspot.api.forPortal(portalId, 'interactive'));
  return portalId;
}
