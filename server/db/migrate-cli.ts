// npm run migrate: applies prisma/migrations/ to DATABASE_URL (or to the embedded demo database).
import { loadConfig } from '../config/config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate } from './migrate.js';

const config = loadConfig();
const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: config.EMBEDDED_POSTGRES_DIR, port: config.EMBEDDED_POSTGRES_PORT });
try {
  const report = await migrate(config.DATABASE_URL ?? embedded!.url);
  console.log(report.applied.length ? `Applied: ${report.applied.join(', ')}` : 'The database is up to date.');
} finally {
  await embedded?.stop();
}
