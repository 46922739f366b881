// The real HTTP server on a free port, over the test file's database and the run's Redis.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { inject } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { createLogger } from '../../server/observability/logger.js';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { testDatabaseUrl } from './file-database.js';

export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisPrefix'),
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    ...overrides,
  };
}

export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts the server. Without a PORT it takes a free one and sets PUBLIC_URL to match: HubSpot
 * signs the URL it calls, so the server must know its own public address.
 */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<RunningServer> {
  const port = overrides.PORT ?? String(await freePort());
  const config = loadConfig(testEnvironment({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...overrides, PORT: port }));
  return startServer({ config, databaseUrl: config.DATABASE_URL!, logger: createLogger({ level: config.LOG_LEVEL, name: 'test-server' }) });
}
