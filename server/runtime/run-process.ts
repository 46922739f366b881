// How every long-running process of the app starts and stops (the server, a worker; the demo
// and the CLI share the first steps): read and check the configuration, make the logger, find
// the database (DATABASE_URL, or the embedded demo one), apply pending migrations when
// MIGRATE_ON_START says so, run, and on SIGTERM/SIGINT stop gracefully once. A configuration
// error is one clear message and exit code 78 (EX_CONFIG).
import { loadConfig, type AppConfig } from '../config/config.js';
import { migrate } from '../db/migrate.js';
import { resolveDatabase, type ResolvedDatabase } from '../db/resolve-database.js';
import { createLogger, wantsPrettyLogs, type Logger } from '../observability/logger.js';
import { exitOnStartupError, onShutdownSignal } from '../process-lifecycle.js';

export interface ProcessStart {
  config: AppConfig;
  logger: Logger;
  /** The PostgreSQL URL this process uses. */
  databaseUrl: string;
}

export interface PrepareOptions {
  env?: NodeJS.ProcessEnv;
  /** A command-line tool: its output is for people, so it logs only warnings, as plain JSON, and never migrates. */
  commandLine?: boolean;
}

/** Configuration, logger and a migrated database: what every process needs before it runs. */
export async function prepareProcess(name: string, { env = process.env, commandLine = false }: PrepareOptions = {}): Promise<ProcessStart & { database: ResolvedDatabase }> {
  const config = loadConfig(env);
  const logger = commandLine ? createLogger({ level: 'warn', name }) : createLogger({ level: config.LOG_LEVEL, name, pretty: wantsPrettyLogs(config.NODE_ENV) });
  const database = await resolveDatabase(config);
  if (config.MIGRATE_ON_START && !commandLine) {
    const report = await migrate(database.url);
    if (report.applied.length) logger.info({ applied: report.applied }, 'migrations applied');
  }
  return { config, logger, databaseUrl: database.url, database };
}

/**
 * Runs a long-lived process: `run` starts its work and returns how to stop it; a signal stops
 * it, then the embedded database if this process started one.
 */
export async function runProcess(name: string, run: (start: ProcessStart) => Promise<() => Promise<void>>): Promise<void> {
  try {
    const { database, ...start } = await prepareProcess(name);
    const stop = await run(start);
    onShutdownSignal(start.logger, async () => {
      await stop();
      await database.embedded?.stop();
    });
  } catch (error) {
    exitOnStartupError(error);
  }
}
