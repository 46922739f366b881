// `npm run start:worker` (compiled) or `npm run worker` (sources): one worker process. Run as many
// as needed over the same PostgreSQL and Redis; BullMQ hands each job to one of them, and a job a
// dead worker held is picked up again.
import { runProcess } from '../server/runtime/run-process.js';
import { startWorkers } from './start-workers.js';

await runProcess('worker', async ({ config, databaseUrl, logger }) => {
  const workers = await startWorkers({ config, databaseUrl, logger, serveMetrics: true });
  logger.info({ workers: workers.names }, 'workers started');
  return () => workers.close();
});
