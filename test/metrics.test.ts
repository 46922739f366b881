// GET /metrics from a real server process and a real worker process (started as `npm run server`
// and `npm run worker` start them), after real traffic: signed webhooks from the HubSpot fake,
// HubSpot answering 429, 403 and 503 once each, a duplicate delivery, and card registrations.
// The exposition text is parsed with a Prometheus parser and each counter is checked against
// what the traffic must have moved; the endpoints refuse a scrape without the operator token.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_API_PATHS, registerAnswerSchema } from '../extensions/src/app/cards/card-api-contract.js';
import { emulateHubSpotFetch } from '../extensions/testing/hubspot-fetch.js';
import type { Database } from '../server/db/client.js';
import { updatePortalSettings } from '../server/portals/change-portal.js';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import { WATCHED_PROPERTIES } from './support/app-rig.js';
import { testDatabase } from './support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, TEST_CLIENT_SECRET, type HubSpotTestRig } from './support/hubspot.js';
import { Scrape } from './support/prometheus-scrape.js';
import { freePort, startTestServer } from './support/server.js';

const OPERATOR_TOKEN = 'metrics-test-operator-token-0123456789';
const LONG_POLL = { timeout: 60_000, interval: 200 };

let rig: HubSpotTestRig;
let db: Database;
let installer: ReturnType<typeof hubspotProcess>;
let serverUrl: string;
let workerMetricsUrl: string;
const children: ChildProcess[] = [];

/** Starts `file` as its own Node process and waits for the log line that says it is up. */
async function startProcess(file: string, env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not log "${ready}" within 90 s:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(`"msg":"${ready}"`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${output}`));
    });
  });
  return child;
}

async function scrape(url: string): Promise<Scrape> {
  const answer = await fetch(url, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return Scrape.parse(await answer.text());
}

async function unprocessedEvents(portalIds: number[]): Promise<number> {
  return db.webhookEvent.count({ where: { portalId: { in: portalIds.map(BigInt) }, processedAt: null } });
}

beforeAll(async () => {
  const port = await freePort();
  const workerMetricsPort = await freePort();
  rig = await startHubSpotRig({}, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, OPERATOR_TOKEN });
  db = testDatabase(4);
  installer = hubspotProcess(rig, db);
  const env = { ...rig.env, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '2' };
  await startProcess('server/main.ts', env, 'listening');
  await startProcess('workers/main.ts', { ...env, WORKER_METRICS_PORT: String(workerMetricsPort) }, 'workers started');
  serverUrl = `http://127.0.0.1:${port}`;
  workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
  rig.fake.apps.update(TEST_APP_ID, {
    webhookUrl: `${serverUrl}/webhooks/hubspot`,
    subscriptions: [{ subscriptionType: 'contact.creation' }, ...WATCHED_PROPERTIES.map((propertyName) => ({ subscriptionType: 'contact.propertyChange' as const, propertyName }))],
  });
}, 240_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  await installer?.close();
  await db?.$disconnect();
  await rig?.stop();
});

describe('GET /metrics', () => {
  it('is refused without the operator token, on the server and on the worker', async () => {
    for (const url of [`${serverUrl}/metrics`, workerMetricsUrl]) {
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 'OPERATOR_AUTHENTICATION_REQUIRED' });
      expect((await fetch(url, { headers: { Authorization: 'Bearer not-the-operator-token-at-all' } })).status).toBe(401);
    }
  });

  it('counts webhooks, registrations, refusals, jobs and HubSpot calls as real traffic moves them, with no portal id in any label', async () => {
    // Automatic registration: three contacts with company websites and one on a free-mail
    // domain, the worker's first batch read answered 429 once.
    const automatic = await installedPortal(rig, db, installer.hubspot, { tier: 'diamond' });
    await updatePortalSettings(db, { portalId: automatic, settings: { autoRegisterNewContacts: true }, actor: 'test' });
    rig.fake.faults.failNext(1, { status: 429, pathPrefix: '/crm/v3/objects/contacts/batch/read' });
    for (const website of ['alpha-metrics.com', 'beta-metrics.com', 'gamma-metrics.com', 'gmail.com']) {
      rig.fake.contacts.create(automatic, { email: `someone@${website}`, website });
    }
    await expect.poll(() => db.registration.count({ where: { portalId: BigInt(automatic) } }), LONG_POLL).toBe(3);
    await expect.poll(() => unprocessedEvents([automatic]), LONG_POLL).toBe(0);

    // A portal whose contacts HubSpot refuses to read (403): the job ends at once, its events failed.
    const refusing = await installedPortal(rig, db, installer.hubspot, { tier: 'gold' });
    await updatePortalSettings(db, { portalId: refusing, settings: { autoRegisterNewContacts: true }, actor: 'test' });
    rig.fake.faults.failNext(1, { status: 403, pathPrefix: '/crm/v3/objects/contacts/batch/read' });
    rig.fake.contacts.create(refusing, { email: 'someone@delta-metrics.com', website: 'delta-metrics.com' });
    await rig.fake.webhooks.idle();
    await expect.poll(() => db.webhookEvent.count({ where: { portalId: BigInt(refusing), outcome: { startsWith: 'failed:' } } }), LONG_POLL).toBeGreaterThan(0);
    await expect.poll(() => unprocessedEvents([refusing]), LONG_POLL).toBe(0);
    const failedEvents = await db.webhookEvent.count({ where: { portalId: BigInt(refusing), outcome: { startsWith: 'failed:' } } });

    // HubSpot delivers one batch again, twice: the inbox skips both.
    await rig.fake.webhooks.idle();
    const delivered = rig.fake.webhooks.deliveries({ portalId: automatic })[0]!;
    rig.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId: automatic, events: delivered.events, times: 2 });
    await rig.fake.webhooks.idle();

    // The card: one registration (its contact read answered 503 once, then retried), one refusal.
    const card = await installedPortal(rig, db, installer.hubspot, { tier: 'gold' });
    const [first, second] = rig.fake.contacts.seed(card, [
      { email: 'ann@epsilon-metrics.com', website: 'https://epsilon-metrics.com' },
      { email: 'bo@epsilon-metrics.com', website: 'www.epsilon-metrics.com' },
    ]);
    const cardFetch = emulateHubSpotFetch({
      publicUrl: rig.config.publicUrl,
      serverUrl,
      clientSecret: TEST_CLIENT_SECRET,
      appId: TEST_APP_ID,
      portalId: card,
      userId: 501,
      userEmail: 'ann@agency.example',
    });
    rig.fake.faults.failNext(1, { status: 503, pathPrefix: `/crm/v3/objects/contacts/${first!.id}` });
    const registered = await cardFetch(`${rig.config.publicUrl}${CARD_API_PATHS.register(first!.id)}`, { method: 'POST' });
    expect(registered.status).toBe(201);
    expect(registerAnswerSchema.parse(await registered.json())).toMatchObject({ status: 'registered' });
    const refused = await cardFetch(`${rig.config.publicUrl}${CARD_API_PATHS.register(second!.id)}`, { method: 'POST' });
    expect(registerAnswerSchema.parse(await refused.json())).toMatchObject({ status: 'refused', refusal: { code: 'ALREADY_REGISTERED' } });
    // Every outcome written back to HubSpot: the write-back jobs have run.
    await expect.poll(() => db.contactWriteBack.count({ where: { portalId: { in: [BigInt(automatic), BigInt(card)] } } }), LONG_POLL).toBe(0);

    const attempts = rig.fake.webhooks.deliveries().filter((attempt) => attempt.status === 200);
    const received = attempts.reduce((total, attempt) => total + attempt.events.length, 0);
    const stored = await db.webhookEvent.count({ where: { portalId: { in: [BigInt(automatic), BigInt(refusing)] } } });

    const server = await scrape(`${serverUrl}/metrics`);
    // Webhooks, counted at the receiver.
    expect(server.value('partner_capacity_webhook_events_received_total')).toBe(received);
    expect(server.value('partner_capacity_webhook_events_stored_total')).toBe(stored);
    expect(server.value('partner_capacity_webhook_events_duplicate_total')).toBe(2 * delivered.events.length);
    expect(server.value('partner_capacity_webhook_events_unparsed_total')).toBe(0);
    // Requests by route pattern and status, never by path.
    expect(server.count('partner_capacity_http_request_duration_seconds', { method: 'POST', route: '/webhooks/hubspot', status_code: '200' })).toBe(attempts.length);
    expect(server.count('partner_capacity_http_request_duration_seconds', { route: '/api/card/contacts/:contactId/registration', status_code: '201' })).toBe(1);
    expect(server.count('partner_capacity_http_request_duration_seconds', { route: '/api/card/contacts/:contactId/registration', status_code: '200' })).toBe(1);
    expect(server.count('partner_capacity_http_request_duration_seconds', { route: '/metrics', status_code: '401' })).toBe(2);
    // The card's registrations and refusals; its HubSpot reads on the interactive lane.
    expect(server.value('partner_capacity_registrations_total', { channel: 'card' })).toBe(1);
    expect(server.value('partner_capacity_registration_refusals_total', { channel: 'card', code: 'ALREADY_REGISTERED' })).toBe(1);
    expect(server.value('partner_capacity_hubspot_requests_total', { lane: 'interactive', status_class: '5xx' })).toBe(1);
    expect(server.value('partner_capacity_hubspot_requests_total', { lane: 'interactive', status_class: '2xx' })).toBe(2);
    expect(server.count('partner_capacity_hubspot_limiter_wait_seconds', { lane: 'interactive' })).toBe(3);

    const worker = await scrape(workerMetricsUrl);
    // Every stored event ended processed or failed, by the worker.
    expect(worker.value('partner_capacity_webhook_events_failed_total')).toBe(failedEvents);
    expect(worker.value('partner_capacity_webhook_events_processed_total')).toBe(stored - failedEvents);
    expect(worker.value('partner_capacity_registrations_total', { channel: 'automatic' })).toBe(3);
    expect(worker.value('partner_capacity_registration_refusals_total', { channel: 'automatic', code: 'FREE_MAIL_DOMAIN' })).toBe(1);
    expect(worker.value('partner_capacity_registration_refusals_total')).toBe(1);
    // Jobs: the refused read ended its job at once; the rest completed.
    expect(worker.value('partner_capacity_job_failures_total', { queue: QUEUE_NAMES.webhookEvents, final: 'true' })).toBe(1);
    expect(worker.value('partner_capacity_job_failures_total', { final: 'false' })).toBe(0);
    expect(worker.count('partner_capacity_job_duration_seconds', { queue: QUEUE_NAMES.webhookEvents, outcome: 'completed' })).toBeGreaterThan(0);
    expect(worker.count('partner_capacity_job_duration_seconds', { queue: QUEUE_NAMES.webhookEvents, outcome: 'failed' })).toBe(1);
    expect(worker.count('partner_capacity_job_duration_seconds', { queue: QUEUE_NAMES.contactWriteBack, outcome: 'completed' })).toBeGreaterThan(0);
    // HubSpot on the sync lane: one 429 (the portal paused, so the next call waited), one 403.
    expect(worker.value('partner_capacity_hubspot_requests_total', { lane: 'sync', status_class: '429' })).toBe(1);
    expect(worker.value('partner_capacity_hubspot_requests_total', { lane: 'sync', status_class: '4xx' })).toBe(1);
    expect(worker.value('partner_capacity_hubspot_requests_total', { lane: 'sync', status_class: '2xx' })).toBeGreaterThan(0);
    expect(worker.value('partner_capacity_hubspot_limiter_waits_total', { lane: 'sync' })).toBeGreaterThanOrEqual(1);
    expect(worker.count('partner_capacity_hubspot_limiter_wait_seconds', { lane: 'sync' })).toBe(worker.value('partner_capacity_hubspot_requests_total', { lane: 'sync' }));
    // The worker serves no HTTP traffic of the app's.
    expect(worker.samples('partner_capacity_http_request_duration_seconds')).toEqual([]);

    // Program-wide numbers, read when scraped, from both processes.
    for (const scraped of [server, worker]) {
      for (const queue of Object.values(QUEUE_NAMES)) {
        expect(
          scraped
            .samples('partner_capacity_queue_jobs', { queue })
            .map((sample) => sample.labels?.state)
            .sort(),
        ).toEqual(['active', 'delayed', 'failed', 'prioritized', 'waiting']);
        expect(scraped.samples('partner_capacity_queue_oldest_waiting_job_age_seconds', { queue })).toHaveLength(1);
      }
      expect(scraped.value('partner_capacity_queue_jobs', { queue: QUEUE_NAMES.webhookEvents, state: 'failed' })).toBe(1);
      // This file's database holds this file's portals only: one diamond (3 domains), two gold (1).
      const byTier = (name: string) => Object.fromEntries(scraped.samples(name).map((sample) => [sample.labels.tier, sample.value]));
      expect(byTier('partner_capacity_program_portals')).toEqual({ diamond: 1, gold: 2 });
      expect(byTier('partner_capacity_program_capacity_used_domains')).toEqual({ diamond: 3, gold: 1 });
      expect(byTier('partner_capacity_program_capacity_limit_domains')).toEqual({ diamond: 1000, gold: 1000 });
      expect(scraped.type('partner_capacity_sweeper_recoveries_total')).toBe('counter');
      expect(scraped.value('partner_capacity_metrics_collection_failures_total')).toBe(0);
      // Cardinality: no label carries a portal or contact id.
      const ids = [automatic, refusing, card].map(String).concat(first!.id, second!.id);
      expect(scraped.labelValues().filter((value) => ids.some((id) => value.includes(id)))).toEqual([]);
    }
  }, 120_000);

  it('moves to METRICS_BIND when set: served there without a token, and no longer on the public port', async () => {
    const bindPort = await freePort();
    const server = await startTestServer({ ...rig.env, PORT: '0', OPERATOR_TOKEN, METRICS_BIND: `127.0.0.1:${bindPort}` });
    try {
      const open = await fetch(`http://127.0.0.1:${bindPort}/metrics`);
      expect(open.status).toBe(200);
      const scraped = await Scrape.parse(await open.text());
      expect(scraped.type('partner_capacity_http_request_duration_seconds')).toBe('histogram');
      expect(scraped.samples('partner_capacity_queue_jobs', { queue: QUEUE_NAMES.webhookEvents })).toHaveLength(5);
      const publicPort = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
      expect(publicPort.status).toBe(404);
    } finally {
      await server.close();
    }
    // Closed with the server.
    await expect(fetch(`http://127.0.0.1:${bindPort}/metrics`)).rejects.toThrow();
  });
});
