// The real HTTP server on an ephemeral port, over the test run's database and Redis.
import { inject } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { createLogger } from '../../server/observability/logger.js';
import { startServer, type RunningServer } from '../../server/start-server.js';

export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisPrefix'),
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    ...overrides,
  };
}

export async function startTestServer(overrides: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig(testEnvironment(overrides));
  return startServer({ config, databaseUrl: config.DATABASE_URL!, logger: createLogger({ level: config.LOG_LEVEL, name: 'test-server' }) });
}
