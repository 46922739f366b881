// `npm run worker`: one worker process. Run as many as needed over the same PostgreSQL and Redis;
// BullMQ hands each job to one of them, and a job a dead worker held is picked up again.
import { loadConfig } from '../server/config/config.js';
import { migrate } from '../server/db/migrate.js';
import { resolveDatabase } from '../server/db/resolve-database.js';
import { createLogger, wantsPrettyLogs } from '../server/observability/logger.js';
import { exitOnStartupError, onShutdownSignal } from '../server/process-lifecycle.js';
import { startWorkers } from './start-workers.js';

try {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker', pretty: wantsPrettyLogs(config.NODE_ENV) });
  const database = await resolveDatabase(config);
  if (config.MIGRATE_ON_START) await migrate(database.url);
  const workers = await startWorkers({ config, databaseUrl: database.url, logger });
  logger.info({ workers: workers.names }, 'workers started');
  onShutdownSignal(logger, async () => {
    await workers.close();
    await database.embedded?.stop();
  });
} catch (error) {
  exitOnStartupError(error);
}
