// `npm run check:build` (run by .ci/run after `npm run build`): the compiled app, as production
// runs it — `node dist/...`, NODE_ENV=production, no tsx — against a real PostgreSQL and Redis.
//
// It creates a database of its own, runs the compiled migration command, adds a portal with the
// compiled operator CLI, starts one compiled server and one compiled worker, waits for /readyz,
// sends one webhook batch signed as HubSpot signs it (v3), and waits until the worker has applied
// it to the contact mirror. Everything it started is stopped and its database dropped, pass or fail.
//
// Uses TEST_DATABASE_ADMIN_URL and TEST_REDIS_URL like `npm test` (defaults: the machine's own).
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runId = `${Date.now()}_${process.pid}`;
const databaseName = `pc_build_check_${runId}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const port = 3900 + Math.floor(Math.random() * 90);
const publicUrl = `http://127.0.0.1:${port}`;
const clientSecret = randomBytes(24).toString('hex');
const portalId = 90_000_001;
const appId = 4242;

const env = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: String(port),
  PUBLIC_URL: publicUrl,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: `pc-build-check-${runId}`,
  MIGRATE_ON_START: 'false',
  LOG_LEVEL: 'warn',
  HUBSPOT_CLIENT_ID: 'build-check-client',
  HUBSPOT_CLIENT_SECRET: clientSecret,
  HUBSPOT_APP_ID: String(appId),
  TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  SESSION_SECRET: randomBytes(32).toString('hex'),
  OPERATOR_TOKEN: randomBytes(24).toString('hex'),
};

const children = [];
const step = (text) => console.log(`check:build: ${text}`);

function runCompiled(file, args = []) {
  const result = spawnSync(process.execPath, [file, ...args], { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node ${file} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function startCompiled(file) {
  const child = spawn(process.execPath, [file], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return child;
}

async function until(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** HubSpot's v3 signature: Base64 HMAC-SHA256 of method + URI + body + timestamp, keyed with the client secret. */
function signV3(method, uri, body, timestamp) {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`).digest('base64');
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${databaseName}"`);
const db = new pg.Client({ connectionString: databaseUrl });
let failed = false;
try {
  for (const file of ['dist/server/main.js', 'dist/workers/main.js', 'dist/server/admin/cli.js', 'dist/server/db/migrate-cli.js']) {
    if (!existsSync(`${root}${file}`)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  }
  runCompiled('dist/server/db/migrate-cli.js');
  step('migrations applied by the compiled migration command');
  runCompiled('dist/server/admin/cli.js', ['portals', 'create', String(portalId), '--tier', 'gold', '--name', 'Build check']);
  step('portal created by the compiled operator CLI');

  startCompiled('dist/server/main.js');
  startCompiled('dist/workers/main.js');
  await until('GET /readyz to answer 200', async () => (await fetch(`${publicUrl}/readyz`)).status === 200);
  step('compiled server ready (PostgreSQL and Redis answer)');

  const contactId = '7001';
  const body = JSON.stringify([
    {
      eventId: 1,
      subscriptionId: 11,
      portalId,
      appId,
      occurredAt: Date.now(),
      subscriptionType: 'contact.propertyChange',
      attemptNumber: 0,
      objectId: Number(contactId),
      changeSource: 'CRM',
      propertyName: 'firstname',
      propertyValue: 'Compiled',
    },
  ]);
  const timestamp = String(Date.now());
  const uri = `${publicUrl}/webhooks/hubspot`;
  const answer = await fetch(uri, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3('POST', uri, body, timestamp), 'x-hubspot-request-timestamp': timestamp },
    body,
  });
  if (answer.status !== 200) throw new Error(`the signed webhook got ${answer.status}: ${await answer.text()}`);
  step('signed webhook accepted');

  await db.connect();
  const outcome = await until('the compiled worker to process the event', async () => {
    const { rows } = await db.query('SELECT outcome FROM webhook_events WHERE portal_id = $1 AND processed_at IS NOT NULL', [portalId]);
    return rows[0]?.outcome;
  });
  const { rows } = await db.query('SELECT 1 FROM contacts WHERE portal_id = $1 AND contact_id = $2', [portalId, contactId]);
  if (!rows.length) throw new Error(`the event was processed ("${outcome}") but contact ${contactId} is not in the mirror`);
  step(`webhook processed end to end by the compiled worker (outcome "${outcome}"); contact mirrored`);
} catch (error) {
  failed = true;
  console.error(`check:build FAILED: ${error.message}`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  await db.end().catch(() => {});
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
}
process.exit(failed ? 1 : 0);
