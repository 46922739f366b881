import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { databaseUrlFor } from '../../test/support/database-url.js';
import { migrate, readMigrations, type Migration } from './migrate.js';

const adminUrl = inject('adminDatabaseUrl');
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `pc_test_${Date.now()}_${process.pid}_m${created.length}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  created.push(name);
  return databaseUrlFor(adminUrl, name);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe('migrate', () => {
  it("applies every migration once and records it in Prisma's own table", async () => {
    const url = await freshDatabase();
    const migrations = await readMigrations();
    expect(await migrate(url)).toEqual({ applied: migrations.map((m) => m.name), alreadyApplied: [] });
    expect(await migrate(url)).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });
    const rows = await query<{ migration_name: string; checksum: string }>(url, 'SELECT migration_name, checksum FROM "_prisma_migrations"');
    expect(rows).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it('is safe when several processes start at once', async () => {
    const url = await freshDatabase();
    const reports = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const total = (await readMigrations()).length;
    expect(reports.flatMap((report) => report.applied)).toHaveLength(total);
    const rows = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0]!.n).toBe(total);
  });

  it('refuses to go on when an applied migration was edited', async () => {
    const url = await freshDatabase();
    const migrations = await readMigrations();
    await migrate(url, migrations);
    const edited: Migration[] = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migrate(url, edited)).rejects.toThrow(/was changed after it was applied.*new migration/);
  });

  it('rolls back a failing migration whole, and names it', async () => {
    const url = await freshDatabase();
    const migrations = await readMigrations();
    const broken: Migration = { name: '99990101000000_broken', sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;', checksum: 'x' };
    await expect(migrate(url, [...migrations, broken])).rejects.toThrow(/Migration 99990101000000_broken failed and was rolled back: .*no_such_table/);
    const tables = await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half_done'");
    expect(tables[0]!.n).toBe(0);
    expect(await migrate(url, migrations)).toMatchObject({ applied: [] });
  });
});
