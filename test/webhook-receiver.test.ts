// The webhook endpoint's bad-input table: every row asserts the answer and that nothing was
// stored. Requests are signed exactly as HubSpot signs them (the fake's signer), then spoiled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server/start-server.js';
import { signRequest } from './hubspot-fake/index.js';
import { testDatabase, newPortalId } from './support/database.js';
import { TEST_CLIENT_SECRET } from './support/hubspot.js';
import { startTestServer } from './support/server.js';

const db = testDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET });
});
afterAll(async () => {
  await server.close();
  await db.$disconnect();
});

function eventsFor(portalId: number, count = 1) {
  return Array.from({ length: count }, (_, n) => ({
    eventId: 1000 + n, subscriptionId: 7, portalId, appId: 3_999_001, occurredAt: Date.now(), subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 5000 + n, changeSource: 'CRM_UI',
  }));
}

interface Attempt {
  body: string;
  headers?: Record<string, string>;
  signedBody?: string;
  signedPath?: string;
  secret?: string;
  timestamp?: number;
  unsigned?: boolean;
}

async function deliver({ body, headers = {}, signedBody = body, signedPath = '/webhooks/hubspot', secret = TEST_CLIENT_SECRET, timestamp, unsigned }: Attempt) {
  const signature = unsigned ? {} : signRequest({ method: 'POST', url: `${server.url}${signedPath}`, body: signedBody, clientSecret: secret, timestamp });
  return fetch(`${server.url}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json', ...signature, ...headers }, body });
}

async function stored(portalId: number) {
  return db.webhookEvent.count({ where: { portalId: BigInt(portalId) } });
}

describe('POST /webhooks/hubspot', () => {
  it('stores a signed batch and answers 200 at once', async () => {
    const portalId = newPortalId();
    const response = await deliver({ body: JSON.stringify(eventsFor(portalId, 3)) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 3, new: 3 });
    expect(await stored(portalId)).toBe(3);
  });

  it('stores a batch delivered again only once', async () => {
    const portalId = newPortalId();
    const body = JSON.stringify(eventsFor(portalId, 2));
    expect((await deliver({ body })).status).toBe(200);
    const again = await deliver({ body });
    expect(await again.json()).toEqual({ received: 2, new: 0 });
    expect(await stored(portalId)).toBe(2);
  });

  const rows: Array<[string, (portalId: number) => Attempt, number, string]> = [
    ['no signature', (p) => ({ body: JSON.stringify(eventsFor(p)), unsigned: true }), 401, 'INVALID_SIGNATURE'],
    ['a signature without its timestamp', (p) => ({ body: JSON.stringify(eventsFor(p)), headers: { 'X-HubSpot-Request-Timestamp': '' } }), 401, 'INVALID_SIGNATURE'],
    ['a signature made with another secret', (p) => ({ body: JSON.stringify(eventsFor(p)), secret: 'someone-elses-secret' }), 401, 'INVALID_SIGNATURE'],
    ['a stale timestamp (six minutes old)', (p) => ({ body: JSON.stringify(eventsFor(p)), timestamp: Date.now() - 6 * 60 * 1000 }), 401, 'INVALID_SIGNATURE'],
    ['a timestamp in the future', (p) => ({ body: JSON.stringify(eventsFor(p)), timestamp: Date.now() + 10 * 60 * 1000 }), 401, 'INVALID_SIGNATURE'],
    ['a tampered body', (p) => ({ body: JSON.stringify(eventsFor(p)), signedBody: JSON.stringify(eventsFor(p + 1)) }), 401, 'INVALID_SIGNATURE'],
    ['a signature for another URI', (p) => ({ body: JSON.stringify(eventsFor(p)), signedPath: '/webhooks/elsewhere' }), 401, 'INVALID_SIGNATURE'],
    ['malformed JSON, signed', (p) => ({ body: `[{"portalId": ${p}, "eventId": ` }), 400, 'MALFORMED_JSON'],
    ['an object instead of an array, signed', (p) => ({ body: JSON.stringify({ events: eventsFor(p) }) }), 400, 'NOT_AN_EVENT_ARRAY'],
    ['an event without its eventId, signed', (p) => ({ body: JSON.stringify([{ ...eventsFor(p)[0], eventId: undefined }]) }), 400, 'INVALID_EVENT'],
    ['an event with a text occurredAt, signed', (p) => ({ body: JSON.stringify([{ ...eventsFor(p)[0], occurredAt: 'yesterday' }]) }), 400, 'INVALID_EVENT'],
    ['a body over 1 MB, signed', (p) => ({ body: JSON.stringify([...eventsFor(p), { padding: 'x'.repeat(1024 * 1024) }]) }), 413, 'PAYLOAD_TOO_LARGE'],
  ];

  it.each(rows)('refuses %s, storing nothing', async (_what, attempt, status, code) => {
    const portalId = newPortalId();
    const response = await deliver(attempt(portalId));
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code });
    expect(await stored(portalId)).toBe(0);
  });
});
