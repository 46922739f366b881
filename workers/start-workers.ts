// Starts every worker over one context, and stops them gracefully: each finishes the job (or
// chunk) in hand before the process lets go of the database and Redis.
import type { AppConfig } from '../server/config/config.js';
import type { Logger } from '../server/observability/logger.js';
import { startMetricsListener } from '../server/observability/metrics-endpoint.js';
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
  serveMetrics = false,
}: {
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  workers?: WorkerFactory[];
  /** A worker process of its own serves GET /metrics (METRICS_BIND or WORKER_METRICS_PORT); beside a server in one process (the demo), the server does. */
  serveMetrics?: boolean;
}): Promise<RunningWorkers> {
  const context = openDependencies({ config, databaseUrl, logger, role: 'worker' });
  const metrics = serveMetrics ? await startMetricsListener('worker', context) : null;
  if (metrics) logger.info({ url: metrics.url }, 'metrics listening');
  const running: RunningWorker[] = [];
  for (const start of workers) running.push(await start(context));
  let closing: Promise<void> | undefined;
  return {
    names: running.map((worker) => worker.name),
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...running.map((worker) => worker.close()), metrics?.close()]);
        await context.close();
      })();
      return closing;
    },
  };
}
