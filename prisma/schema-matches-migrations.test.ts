// schema.prisma is the source of truth; the migrations must build exactly what it declares.
//
// Two databases are compared catalog against catalog: one built by the app's migration runner
// from prisma/migrations/, one built from the SQL that Prisma's own schema engine writes for
// schema.prisma. Every table, column (type, nullability, default), index (columns, uniqueness,
// predicate), constraint and enum must be the same. A change to one side without the other
// fails here, with the difference in the message. A second check asks Prisma's engine itself
// whether the migrations folder still produces the schema (what `prisma migrate dev` checks).
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../server/db/migrate.js';
import { databaseUrlFor } from '../test/support/database-url.js';
import { diffSql, emptyTarget, readMigrationsFolder, schemaTarget } from './schema-engine.js';

const adminUrl = inject('adminDatabaseUrl');
const names = { migrated: `pc_test_${Date.now()}_${process.pid}_migrated`, declared: `pc_test_${Date.now()}_${process.pid}_declared` };
let schemaText: string;

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Everything about the public schema that a migration can change, as sorted lines of text. */
async function describeSchema(url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (client) => {
    const lines = async (sql: string) => (await client.query<{ line: string }>(sql)).rows.map((row) => row.line).sort();
    return {
      tables: await lines(`SELECT tablename AS line FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      columns: await lines(`
        SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
               || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r'
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`),
      // Expression indexes (the collated name sorts of migration 20261124154500) are beyond what
      // schema.prisma can declare, and Prisma's engine leaves them alone: compared elsewhere not.
      indexes: await lines(`
        SELECT indexdef AS line FROM pg_indexes i
        JOIN pg_index x ON x.indexrelid = format('%I.%I', i.schemaname, i.indexname)::regclass
        WHERE i.schemaname = 'public' AND i.tablename <> '_prisma_migrations' AND x.indexprs IS NULL`),
      constraints: await lines(`
        SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`),
      enums: await lines(`
        SELECT t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS line
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`),
      sequences: await lines(`SELECT sequencename || ' ' || data_type AS line FROM pg_sequences WHERE schemaname = 'public'`),
    };
  });
}

beforeAll(async () => {
  schemaText = await readFile(new URL('./schema.prisma', import.meta.url), 'utf8');
  await withClient(adminUrl, async (admin) => {
    for (const name of Object.values(names)) await admin.query(`CREATE DATABASE "${name}"`);
  });
  await migrate(databaseUrlFor(adminUrl, names.migrated));
  const declaredSql = await diffSql(emptyTarget, schemaTarget(schemaText), schemaText, adminUrl);
  await withClient(databaseUrlFor(adminUrl, names.declared), (client) => client.query(declaredSql));
});

afterAll(async () => {
  await withClient(adminUrl, async (admin) => {
    for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
});

describe('prisma/schema.prisma and prisma/migrations', () => {
  it('build the same database: every table, column, type, default, index, constraint and enum', async () => {
    const migrated = await describeSchema(databaseUrlFor(adminUrl, names.migrated));
    const declared = await describeSchema(databaseUrlFor(adminUrl, names.declared));
    expect(migrated.tables.length).toBeGreaterThan(3);
    expect(migrated).toEqual(declared);
  });

  it('leave nothing for Prisma to add: a new migration from the folder would be empty', async () => {
    const sql = await diffSql(await readMigrationsFolder(MIGRATIONS_DIR), schemaTarget(schemaText), schemaText, adminUrl);
    expect(sql.trim()).toMatch(/^(-- This is an empty migration\.)?$/);
  });

  it('would notice a schema change that has no migration', async () => {
    const changed = schemaText.replace('  country               String?', '  country               String?\n  phone                 String?');
    expect(changed).not.toBe(schemaText);
    const sql = await diffSql(await readMigrationsFolder(MIGRATIONS_DIR), schemaTarget(changed), changed, adminUrl);
    expect(sql).toMatch(/ALTER TABLE "contacts" ADD COLUMN\s+"phone" TEXT/);
  });

  it('would notice a drift: a database missing one index does not compare equal', async () => {
    const url = databaseUrlFor(adminUrl, names.declared);
    const before = await describeSchema(url);
    await withClient(url, (client) => client.query('DROP INDEX "registrations_active_domain_key"'));
    const after = await describeSchema(url);
    expect(after.indexes).not.toEqual(before.indexes);
    await withClient(url, (client) => client.query(`CREATE UNIQUE INDEX "registrations_active_domain_key" ON "registrations"("portal_id", "domain") WHERE (status = 'active')`));
    expect(await describeSchema(url)).toEqual(before);
  });
});
