// `npm start`: the whole app on one machine with no configuration.
//
// Embedded PostgreSQL (unless DATABASE_URL is set), the local Redis (started if needed and
// installed), migrations, the demo portal and its contacts, then the server; it prints where to
// look. For real use, run `npm run server` and `npm run worker` with DATABASE_URL and REDIS_URL.
import { loadConfig } from '../config/config.js';
import { createDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { resolveDatabase } from '../db/resolve-database.js';
import { createLogger } from '../observability/logger.js';
import { exitOnStartupError, onShutdownSignal } from '../process-lifecycle.js';
import { ensureRedis } from '../queue/local-redis.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { startServer } from '../start-server.js';
import { DEMO_PORTAL_ID, DEMO_PORTAL_NAME, seedDemo } from './seed-demo.js';

try {
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'demo' });
  const database = await resolveDatabase(config);
  const redis = await ensureRedis(config.REDIS_URL);
  await migrate(database.url);

  const db = createDatabase({ url: database.url, poolSize: 4 });
  const seeded = await seedDemo(db);
  const capacity = await getCapacity(db, { portalId: DEMO_PORTAL_ID });
  await db.$disconnect();

  const server = await startServer({ config, databaseUrl: database.url, logger });
  console.log(
    [
      '',
      'Partner Capacity is running (demo mode).',
      '',
      `  App:         ${config.publicUrl}/`,
      `  Readiness:   ${config.publicUrl}/readyz`,
      `  Database:    ${database.embedded ? `embedded PostgreSQL, data in ${config.EMBEDDED_POSTGRES_DIR}/` : 'DATABASE_URL'}`,
      `  Redis:       ${redis.url}${redis.started ? ' (started for this demo)' : ''}`,
      `  Demo portal: ${DEMO_PORTAL_NAME}, id ${DEMO_PORTAL_ID}, gold tier: ${capacity?.used} of ${capacity?.limit} domains registered${seeded.created ? ' (just created)' : ''}`,
      '  Operator:    npm run admin -- portals list',
      '',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  onShutdownSignal(logger, async () => {
    await server.close();
    await redis.stop();
    await database.embedded?.stop();
  });
} catch (error) {
  exitOnStartupError(error);
}
