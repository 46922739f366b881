// `npm run server`: one HTTP server process. Run as many as needed over the same PostgreSQL
// (DATABASE_URL) and Redis (REDIS_URL).
import { loadConfig } from './config/config.js';
import { migrate } from './db/migrate.js';
import { resolveDatabase } from './db/resolve-database.js';
import { createLogger, wantsPrettyLogs } from './observability/logger.js';
import { exitOnStartupError, onShutdownSignal } from './process-lifecycle.js';
import { startServer } from './start-server.js';

try {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'server', pretty: wantsPrettyLogs(config.NODE_ENV) });
  const database = await resolveDatabase(config);
  if (config.MIGRATE_ON_START) {
    const report = await migrate(database.url);
    if (report.applied.length) logger.info({ applied: report.applied }, 'migrations applied');
  }
  const server = await startServer({ config, databaseUrl: database.url, logger });
  logger.info({ url: server.url }, 'listening');
  onShutdownSignal(logger, async () => {
    await server.close();
    await database.embedded?.stop();
  });
} catch (error) {
  exitOnStartupError(error);
}
