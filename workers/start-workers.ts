// Starts every worker over one context, and stops them gracefully: each finishes the job (or
// chunk) in hand before the process lets go of the database and Redis.
import type { AppConfig } from '../server/config/config.js';
import type { Logger } from '../server/observability/logger.js';
import { WORKERS } from './all-workers.js';
import { openDependencies } from '../server/runtime/dependencies.js';
import type { RunningWorker, WorkerFactory } from './worker-context.js';

export interface RunningWorkers {
  names: string[];
  close(): Promise<void>;
}

export async function startWorkers({
  config,
  databaseUrl,
  logger,
  workers = WORKERS,
}: {
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  workers?: WorkerFactory[];
}): Promise<RunningWorkers> {
  const context = openDependencies({ config, databaseUrl, logger, role: 'worker' });
  const running: RunningWorker[] = [];
  for (const start of workers) running.push(await start(context));
  let closing: Promise<void> | undefined;
  return {
    names: running.map((worker) => worker.name),
    close() {
      closing ??= (async () => {
        await Promise.allSettled(running.map((worker) => worker.close()));
        await context.close();
      })();
      return closing;
    },
  };
}
