// `npm run start:server` (compiled) or `npm run server` (sources): one HTTP server process. Run
// as many as needed over the same PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).
import { runProcess } from './runtime/run-process.js';
import { startServer } from './start-server.js';

await runProcess('server', async ({ config, databaseUrl, logger }) => {
  const server = await startServer({ config, databaseUrl, logger });
  logger.info({ url: server.url }, 'listening');
  return () => server.close();
});
