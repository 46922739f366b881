// The whole app for a test: the HubSpot fake, the real server and real workers (in this
// process) over the run's PostgreSQL and Redis, the app registered in the fake with its webhook
// URL and subscriptions, and portals installed in both.
import { createLogger } from '../../server/observability/logger.js';
import { SUBSCRIBED_CONTACT_PROPERTIES } from '../../server/hubspot/app-properties.js';
import type { HubSpotFakeOptions } from '../hubspot-fake/index.js';
import type { RunningServer } from '../../server/start-server.js';
import { startWorkers, type RunningWorkers } from '../../workers/start-workers.js';
import type { Database } from '../../server/db/client.js';
import { testDatabase } from './database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, type HubSpotTestRig } from './hubspot.js';
import { freePort, startTestServer } from './server.js';

/** What the app subscribes to in HubSpot (the project's webhooks): the fake sends the same. */
export const WATCHED_PROPERTIES = SUBSCRIBED_CONTACT_PROPERTIES;

export interface AppRig extends HubSpotTestRig {
  server: RunningServer;
  workers: RunningWorkers | null;
  db: Database;
  installPortal(options?: Parameters<typeof installedPortal>[3]): Promise<number>;
  stopAll(): Promise<void>;
}

export async function startAppRig({
  fake = {},
  env = {},
  withWorkers = true,
}: {
  fake?: HubSpotFakeOptions;
  env?: Record<string, string>;
  withWorkers?: boolean;
} = {}): Promise<AppRig> {
  const port = await freePort();
  const rig = await startHubSpotRig(fake, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env });
  const server = await startTestServer(rig.env);
  rig.fake.apps.update(TEST_APP_ID, {
    webhookUrl: `${server.url}/webhooks/hubspot`,
    subscriptions: [
      ...['contact.creation', 'contact.deletion', 'contact.privacyDeletion', 'contact.merge', 'contact.restore'].map((subscriptionType) => ({
        subscriptionType: subscriptionType as 'contact.creation',
      })),
      ...WATCHED_PROPERTIES.map((propertyName) => ({ subscriptionType: 'contact.propertyChange' as const, propertyName })),
    ],
  });
  const logger = createLogger({ level: workerLogLevel(), name: 'test-workers' });
  const workers = withWorkers ? await startWorkers({ config: rig.config, databaseUrl: rig.config.DATABASE_URL!, logger }) : null;
  const db = testDatabase();
  const installer = hubspotProcess(rig, db);
  return {
    ...rig,
    server,
    workers,
    db,
    installPortal: (options) => installedPortal(rig, db, installer.hubspot, options),
    async stopAll() {
      await workers?.close();
      await server.close();
      await installer.close();
      await db.$disconnect();
      await rig.stop();
    },
  };
}

/** The workers' log level: silent, unless TEST_WORKER_LOG names one (`TEST_WORKER_LOG=warn npx vitest run …` shows why jobs fail). */
function workerLogLevel(): 'silent' | 'error' | 'warn' | 'info' | 'debug' {
  const wanted = process.env.TEST_WORKER_LOG;
  return wanted === 'error' || wanted === 'warn' || wanted === 'info' || wanted === 'debug' ? wanted : 'silent';
}
