// The app under benchmark, in a process of its own:
//   `app`          — the real server (signature, validation, inbox insert, queue), env config;
//   `app+workers`  — the same with the workers in the process (end-to-end runs);
//   `bare`         — a bare Express endpoint that only parses the same JSON (the baseline).
// Prints `LISTENING <url>` once ready.
import express from 'express';
import { loadConfig } from '../server/config/config.js';
import { createLogger } from '../server/observability/logger.js';
import { startServer } from '../server/start-server.js';
import { startWorkers } from '../workers/start-workers.js';

const mode = process.argv[2];
if (mode === 'bare') {
  const app = express();
  app.post('/webhooks/hubspot', express.json({ limit: '1mb' }), (req, res) => {
    res.status(200).json({ received: Array.isArray(req.body) ? req.body.length : 0 });
  });
  const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`LISTENING http://127.0.0.1:${process.env.PORT}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const config = loadConfig();
  const logger = createLogger({ level: 'silent', name: 'bench' });
  const server = await startServer({ config, databaseUrl: config.DATABASE_URL!, logger });
  const workers = mode === 'app+workers' ? await startWorkers({ config, databaseUrl: config.DATABASE_URL!, logger }) : null;
  console.log(`LISTENING ${server.url}`);
  process.on('SIGTERM', () => void Promise.all([workers?.close(), server.close()]).then(() => process.exit(0)));
}
