// Everything the app uses to talk to HubSpot, assembled once per process.
import type { AppConfig } from '../config/config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../observability/logger.js';
import type { Redis } from '../queue/redis.js';
import { createHubSpotApi, type HubSpotApi } from './hubspot-api.js';
import { createHubSpotAgent } from './http-agent.js';
import { createHubSpotUsage, type HubSpotUsage } from './hubspot-usage.js';
import { createInstallStore, type InstallStore } from './install-store.js';
import { createOAuthClient, type OAuthClient } from './oauth-client.js';
import { createRateLimiter, type HubSpotRateLimiter } from './rate-limiter.js';
import { createTokenCipher } from './token-cipher.js';

export interface HubSpot {
  oauth: OAuthClient;
  installs: InstallStore;
  api: HubSpotApi;
  limiter: HubSpotRateLimiter;
  usage: HubSpotUsage;
}

export interface HubSpotOptions {
  config: AppConfig;
  db: Database;
  redis: Redis;
  logger: Logger;
  /** Request timeout (socket inactivity), default 10 s. */
  timeoutMs?: number;
  /** Retry tuning, for tests that compress time. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  rateLimitWindowMs?: number;
}

export function createHubSpot({ config, db, redis, logger, timeoutMs = 10_000, maxAttempts, backoffBaseMs, rateLimitWindowMs }: HubSpotOptions): HubSpot {
  const agent = createHubSpotAgent(config.HUBSPOT_API_BASE_URL, timeoutMs);
  const oauth = createOAuthClient(config, { timeoutMs });
  const installs = createInstallStore({ db, redis, keyPrefix: config.REDIS_KEY_PREFIX, cipher: createTokenCipher(config.TOKEN_ENCRYPTION_KEYS), oauth, logger });
  const limiter = createRateLimiter({ redis, keyPrefix: config.REDIS_KEY_PREFIX, limit: config.HUBSPOT_REQUESTS_PER_10S, windowMs: rateLimitWindowMs });
  const usage = createHubSpotUsage({ redis, keyPrefix: config.REDIS_KEY_PREFIX });
  const api = createHubSpotApi({ baseUrl: config.HUBSPOT_API_BASE_URL, agent, installs, limiter, usage, logger, maxAttempts, backoffBaseMs });
  return { oauth, installs, api, limiter, usage };
}
