// The benchmarks' own database: created fresh on the PostgreSQL at BENCH_DATABASE_ADMIN_URL
// (default: the local server), migrated by the app's runner, dropped at the end.
import pg from 'pg';
import { migrate } from '../server/db/migrate.js';
import { databaseUrlFor } from '../test/support/database-url.js';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const adminUrl = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `pc_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Databases left by runs that were killed go once they are an hour old.
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pc\\_bench\\_%'");
  for (const { datname } of rows) {
    if (Date.now() - Number(datname.split('_')[2]) > 60 * 60 * 1000) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrlFor(adminUrl, name);
  await migrate(url);
  return {
    url,
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * A pool for a benchmark's own baseline SQL. It listens for errors: `pool.end()` answers before
 * its connections have closed, and the database's drop (WITH FORCE) then ends any still open with
 * an error that, unheard, crashed the run after its tables were printed and before its JSON was
 * written (seen once, after `register`).
 */
export function baselinePool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on('error', () => {});
  return pool;
}
