// Each integration test file's own database: a copy of the run's migrated template
// (test/global-setup.ts), made before the file's tests run. Copying a small template takes a
// fraction of a second; migrating would take seconds per file.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { databaseUrlFor } from './database-url.js';

const ENV = 'PC_TEST_DATABASE_URL';

/** The database of the test file running now. */
export function testDatabaseUrl(): string {
  const url = process.env[ENV];
  if (!url) throw new Error('No test database: test/support/file-database-setup.ts runs before integration test files (vitest.config.ts).');
  return url;
}

export async function createFileDatabase(): Promise<void> {
  const template = inject('templateDatabaseName');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  try {
    // Copies can collide with another file's copy starting at the same instant ("source database
    // is being accessed by other users"): that is momentary, so try again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  process.env[ENV] = databaseUrlFor(inject('adminDatabaseUrl'), name);
}
