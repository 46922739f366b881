// `npm start`: the whole app on one machine with no configuration.
//
// Embedded PostgreSQL (unless DATABASE_URL is set), the local Redis (started if needed and
// installed), migrations, a HubSpot sandbox (the project's HubSpot fake, unless real HubSpot
// credentials are set) with the demo portal and its contacts, the server and the workers in
// this one process. For real use, run `npm run server` and `npm run worker` with DATABASE_URL,
// REDIS_URL and the HubSpot app's credentials.
import { loadConfig } from '../config/config.js';
import { migrate } from '../db/migrate.js';
import { resolveDatabase } from '../db/resolve-database.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { createLogger, wantsPrettyLogs } from '../observability/logger.js';
import { exitOnStartupError, onShutdownSignal } from '../process-lifecycle.js';
import { ensureRedis } from '../queue/local-redis.js';
import { openDependencies } from '../runtime/dependencies.js';
import { startServer } from '../start-server.js';
import { startWorkers } from '../../workers/start-workers.js';
import { claimDemoPidFile, demoAlreadyRunning } from './demo-already-running.js';
import { startDemoHubSpot } from './demo-hubspot.js';
import { DEMO_PORTAL_ID, DEMO_PORTAL_NAME, seedDemo } from './seed-demo.js';

try {
  const environment = { LOG_LEVEL: 'warn', DEMO_MODE: 'true', ...process.env };
  const useSandbox = !process.env.HUBSPOT_CLIENT_ID;
  const sandboxPort = loadConfig(environment).DEMO_HUBSPOT_PORT;
  const config = loadConfig(
    useSandbox
      ? { ...environment, HUBSPOT_API_BASE_URL: `http://127.0.0.1:${sandboxPort}`, HUBSPOT_AUTHORIZE_URL: `http://127.0.0.1:${sandboxPort}/oauth/authorize` }
      : environment,
  );
  const place = { host: config.HOST, port: config.PORT, publicUrl: config.publicUrl, dataDir: config.EMBEDDED_POSTGRES_DIR };
  const alreadyRunning = await demoAlreadyRunning(place);
  if (alreadyRunning) {
    console.error(alreadyRunning);
    process.exit(1);
  }
  const releasePidFile = claimDemoPidFile(place);
  process.once('exit', releasePidFile);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'demo', pretty: wantsPrettyLogs(config.NODE_ENV) });
  const database = await resolveDatabase(config);
  const redis = await ensureRedis(config.REDIS_URL);
  await migrate(database.url);

  const sandbox = useSandbox ? await startDemoHubSpot(config) : null;
  const server = await startServer({ config, databaseUrl: database.url, logger });
  const workers = await startWorkers({ config, databaseUrl: database.url, logger });

  const context = openDependencies({ config, databaseUrl: database.url, logger, role: 'worker' });
  const seeded = sandbox ? await seedDemo({ ...context, fake: sandbox, appId: config.HUBSPOT_APP_ID }) : null;
  const capacity = seeded ? await getCapacity(context.db, { portalId: DEMO_PORTAL_ID }) : null;
  await context.close();

  console.log(
    [
      '',
      'Partner Capacity is running (demo mode).',
      '',
      `  Capacity Manager: ${config.publicUrl}/   (use the demo sign-in, or "Sign in with HubSpot")`,
      `  Program console:  ${config.publicUrl}/console   (operators: "Open as the demo operator")`,
      `  Install link:     ${config.publicUrl}/oauth/install`,
      `  Readiness:        ${config.publicUrl}/readyz`,
      `  Queue dashboard:  ${config.publicUrl}/operator/queues   (from the console, or Authorization: Bearer ${config.OPERATOR_TOKEN})`,
      `  Database:         ${database.embedded ? `embedded PostgreSQL, data in ${config.EMBEDDED_POSTGRES_DIR}/` : 'DATABASE_URL'}`,
      `  Redis:            ${redis.url}${redis.started ? ' (started for this demo)' : ''}`,
      sandbox
        ? `  HubSpot sandbox:  ${sandbox.url} (the project's HubSpot fake; portal ${DEMO_PORTAL_ID}, ${sandbox.contacts.list(DEMO_PORTAL_ID).length} contacts)`
        : `  HubSpot:          ${config.HUBSPOT_API_BASE_URL}`,
      capacity
        ? `  Demo portal:      ${DEMO_PORTAL_NAME}, ${capacity.tier} tier: ${capacity.used} of ${capacity.limit} domains registered${seeded?.created ? ' (just created)' : ''}`
        : '',
      '  Operator CLI:     npm run admin -- portals list',
      '',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  onShutdownSignal(logger, async () => {
    await workers.close();
    await server.close();
    await sandbox?.stop();
    await redis.stop();
    await database.embedded?.stop();
  });
} catch (error) {
  exitOnStartupError(error);
}
