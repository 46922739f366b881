// Once per test run: a migrated template database, and a Redis key prefix of its own.
//
// Tests run against the real PostgreSQL and Redis of the machine (see
// docs/development-environment.md); a run creates `pc_test_<time>_<pid>`, applies the migrations
// with the app's own runner, and every test file then gets a copy of it of its own
// (test/support/file-database.ts): a deployment is one database, and program-wide settings
// (exclusive claims, the claim period) must not leak from one file into another running beside
// it. The run drops them all afterwards. Databases left behind by runs that were killed are
// dropped once they are a day old.
import pg from 'pg';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { migrate } from '../server/db/migrate.js';
import { databaseUrlFor } from './support/database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template each test file copies (never connect to it: a copy needs it idle). */
    templateDatabaseName: string;
    adminDatabaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}

const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export default async function setup(project: TestProject) {
  const adminDatabaseUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = `${Date.now()}_${process.pid}`;
  const databaseName = `pc_test_${runId}`;
  const redisPrefix = `pc-test-${runId}`;

  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`The tests need PostgreSQL at ${adminDatabaseUrl} (set TEST_DATABASE_ADMIN_URL): ${(error as Error).message}`);
  }
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pc\\_test\\_%'");
  for (const { datname } of rows) {
    const createdAt = Number(datname.split('_')[2]);
    if (Date.now() - createdAt > STALE_AFTER_MS) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();

  await migrate(databaseUrlFor(adminDatabaseUrl, databaseName));

  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`The tests need Redis at ${redisUrl} (set TEST_REDIS_URL): ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }

  project.provide('templateDatabaseName', databaseName);
  project.provide('adminDatabaseUrl', adminDatabaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('redisPrefix', redisPrefix);

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminDatabaseUrl });
    await cleanup.connect();
    const copies = await cleanup.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${databaseName}%`]);
    for (const { datname } of copies.rows) await cleanup.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await cleanup.end();
    const redisCleanup = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redisCleanup.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      if (keys.length) await redisCleanup.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redisCleanup.disconnect();
  };
}
