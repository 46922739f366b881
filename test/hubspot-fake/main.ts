// Runs the HubSpot fake on its own, for the demo (`npm start`) or by hand:
//
//   HUBSPOT_FAKE_PORT=4010 tsx test/hubspot-fake/main.ts
//
// Environment: HUBSPOT_FAKE_PORT (default 0: a free port), HUBSPOT_FAKE_HOST (default
// 127.0.0.1), LOG_LEVEL (default info). Prints `HUBSPOT_FAKE_URL=<url>` on stdout once listening,
// so a parent process can read the URL. Everything else goes through the control API (/_fake).
import { pino } from 'pino';
import { startHubSpotFake } from './start-hubspot-fake.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const rawPort = process.env.HUBSPOT_FAKE_PORT ?? '0';
const port = Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  logger.fatal(`HUBSPOT_FAKE_PORT must be a port number (0-65535), got "${rawPort}"`);
  process.exit(1);
}

const fake = await startHubSpotFake({ port, host: process.env.HUBSPOT_FAKE_HOST ?? '127.0.0.1', logger });
process.stdout.write(`HUBSPOT_FAKE_URL=${fake.url}\n`);
logger.info({ url: fake.url }, 'HubSpot fake listening (control API under /_fake)');

const shutdown = (signal: string) => {
  logger.info({ signal }, 'HubSpot fake stopping');
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'HubSpot fake did not stop cleanly');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
