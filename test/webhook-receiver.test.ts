// The webhook endpoint at the door: what each event of a batch becomes in the inbox (a contact
// event in either form, another object's event, one that does not fit), and the bad-input table,
// where every row asserts the answer and that nothing was stored. Requests are signed exactly as
// HubSpot signs them (the fake's signer), then spoiled. No workers run here: events to process
// stay unprocessed, which is what these tests look at.
import { randomUUID } from 'node:crypto';
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
    eventId: 1000 + n,
    subscriptionId: 7,
    portalId,
    appId: 3_999_001,
    occurredAt: Date.now(),
    subscriptionType: 'contact.creation',
    attemptNumber: 0,
    objectId: 5000 + n,
    changeSource: 'CRM_UI',
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

async function inbox(portalId: number) {
  return db.webhookEvent.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { id: 'asc' } });
}

/** Inbox rows holding `marker` in their payload: events whose portalId may not have been readable. */
async function rowsMarked(marker: string) {
  return db.webhookEvent.findMany({ where: { payload: { path: ['marker'], equals: marker } }, orderBy: { id: 'asc' } });
}

function event(portalId: number, n: number, fields: Record<string, unknown> = {}) {
  return { ...eventsFor(portalId, n + 1)[n]!, ...fields };
}

/** The same batch as HubSpot's next attempt sends it: every event's attemptNumber goes up, nothing else changes. */
function retried(events: Array<Record<string, unknown>>) {
  return events.map((sent) => ({ ...sent, attemptNumber: 1 }));
}

describe('POST /webhooks/hubspot', () => {
  it('stores a signed batch and answers 200 at once', async () => {
    const portalId = newPortalId();
    const response = await deliver({ body: JSON.stringify(eventsFor(portalId, 3)) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 3, new: 3, unparsed: 0 });
    expect(await stored(portalId)).toBe(3);
  });

  it('stores a batch delivered again only once', async () => {
    const portalId = newPortalId();
    const body = JSON.stringify(eventsFor(portalId, 2));
    expect((await deliver({ body })).status).toBe(200);
    const again = await deliver({ body });
    expect(await again.json()).toEqual({ received: 2, new: 0, unparsed: 0 });
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
    [
      'a badly signed batch with an event that does not fit',
      (p) => ({ body: JSON.stringify([...eventsFor(p), { portalId: p }]), secret: 'someone-elses-secret' }),
      401,
      'INVALID_SIGNATURE',
    ],
    ['malformed JSON, signed', (p) => ({ body: `[{"portalId": ${p}, "eventId": ` }), 400, 'MALFORMED_JSON'],
    ['an object instead of an array, signed', (p) => ({ body: JSON.stringify({ events: eventsFor(p) }) }), 400, 'NOT_AN_EVENT_ARRAY'],
    ['an array holding a number beside a valid event, signed', (p) => ({ body: JSON.stringify([...eventsFor(p), 42]) }), 400, 'NOT_AN_EVENT_ARRAY'],
    ['an array holding null beside a valid event, signed', (p) => ({ body: JSON.stringify([...eventsFor(p), null]) }), 400, 'NOT_AN_EVENT_ARRAY'],
    ['an array holding an array beside a valid event, signed', (p) => ({ body: JSON.stringify([...eventsFor(p), [eventsFor(p)[0]]]) }), 400, 'NOT_AN_EVENT_ARRAY'],
    ['an array holding a string beside a valid event, signed', (p) => ({ body: JSON.stringify([...eventsFor(p), 'contact.creation']) }), 400, 'NOT_AN_EVENT_ARRAY'],
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

describe('POST /webhooks/hubspot: generic events', () => {
  const generic = (portalId: number, n: number, subscriptionType: string, objectTypeId: string, fields: Record<string, unknown> = {}) =>
    event(portalId, n, { subscriptionType, objectTypeId, ...fields });

  it('stores a contacts event of the generic form under its contact twin, with the payload as sent, to process', async () => {
    const portalId = newPortalId();
    const sent = [
      generic(portalId, 0, 'object.creation', '0-1'),
      generic(portalId, 1, 'object.propertyChange', '0-1', { propertyName: 'website', propertyValue: 'acme.com' }),
      generic(portalId, 2, 'object.deletion', '0-1'),
      generic(portalId, 3, 'object.merge', '0-1', { primaryObjectId: 5003, mergedObjectIds: [6000], newObjectId: 5003, numberOfPropertiesMoved: 2 }),
      generic(portalId, 4, 'object.restore', '0-1'),
      // No generic twin: privacy deletions are a hubEvents subscription, sent as contact.privacyDeletion.
      event(portalId, 5, { subscriptionType: 'contact.privacyDeletion' }),
    ];
    const response = await deliver({ body: JSON.stringify(sent) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 6, new: 6, unparsed: 0 });
    const rows = await inbox(portalId);
    expect(rows.map((row) => row.subscriptionType)).toEqual([
      'contact.creation',
      'contact.propertyChange',
      'contact.deletion',
      'contact.merge',
      'contact.restore',
      'contact.privacyDeletion',
    ]);
    expect(rows.map((row) => row.payload)).toEqual(sent);
    expect(rows.map((row) => [row.processedAt, row.outcome])).toEqual(sent.map(() => [null, null]));
    expect(rows.map((row) => row.objectId)).toEqual(['5000', '5001', '5002', '5003', '5004', '5005']);
  });

  it('stores events of other object types marked ignored, so processing never sees them', async () => {
    const portalId = newPortalId();
    const sent = [
      generic(portalId, 0, 'object.creation', '0-2'),
      generic(portalId, 1, 'object.propertyChange', '0-3', { propertyName: 'dealstage', propertyValue: 'closedwon' }),
      event(portalId, 2, { subscriptionType: 'company.creation' }),
      event(portalId, 3),
    ];
    const response = await deliver({ body: JSON.stringify(sent) });
    expect(await response.json()).toEqual({ received: 4, new: 4, unparsed: 0 });
    const rows = await inbox(portalId);
    expect(rows.map((row) => [row.subscriptionType, row.outcome, row.processedAt !== null])).toEqual([
      ['object.creation', 'ignored: object type 0-2 is not used', true],
      ['object.propertyChange', 'ignored: object type 0-3 is not used', true],
      ['company.creation', 'ignored: company.creation is not used', true],
      ['contact.creation', null, false],
    ]);
    expect(rows.map((row) => row.payload)).toEqual(sent);
  });

  it('marks unparsed a generic event that does not say which object type it is about', async () => {
    const portalId = newPortalId();
    const response = await deliver({ body: JSON.stringify([event(portalId, 0, { subscriptionType: 'object.creation' })]) });
    expect(await response.json()).toEqual({ received: 1, new: 1, unparsed: 1 });
    const [row] = await inbox(portalId);
    expect(row).toMatchObject({ outcome: 'unparsed: objectTypeId: required for object.creation events', subscriptionType: 'object.creation' });
    expect(row!.processedAt).not.toBeNull();
  });
});

describe('POST /webhooks/hubspot: an event that does not fit never sinks its batch', () => {
  it('stores the whole batch and answers 200, marking the event without an eventId unparsed and queuing the others', async () => {
    const portalId = newPortalId();
    const { eventId: _dropped, ...withoutEventId } = event(portalId, 1);
    const sent = [event(portalId, 0), withoutEventId, event(portalId, 2)];
    const response = await deliver({ body: JSON.stringify(sent) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 3, new: 3, unparsed: 1 });
    const rows = await inbox(portalId);
    expect(rows.map((row) => row.payload)).toEqual(sent);
    expect(rows.map((row) => row.outcome)).toEqual([null, expect.stringMatching(/^unparsed: eventId: /), null]);
    expect(rows.map((row) => row.processedAt === null)).toEqual([true, false, true]);
    // What could be read of it is kept: the portal, the object, the time.
    expect(rows[1]).toMatchObject({ eventId: null, portalId: BigInt(portalId), objectId: '5001', subscriptionType: 'contact.creation' });
  });

  it('stores a retried batch with an unparsed event only once, even when nothing identifies the event', async () => {
    const portalId = newPortalId();
    const marker = randomUUID();
    const sent = [event(portalId, 0), { marker, attemptNumber: 0 }, event(portalId, 1, { occurredAt: 'yesterday', marker: `${marker}-b` })];
    expect(await (await deliver({ body: JSON.stringify(sent) })).json()).toEqual({ received: 3, new: 3, unparsed: 2 });
    const again = await deliver({ body: JSON.stringify(retried(sent)) });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: 3, new: 0, unparsed: 2 });
    const anonymous = await rowsMarked(marker);
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]).toMatchObject({ portalId: null, eventId: null, subscriptionType: null, outcome: expect.stringMatching(/^unparsed: /) });
    expect(await rowsMarked(`${marker}-b`)).toHaveLength(1);
    expect(await stored(portalId)).toBe(2);
  });

  const unfitting: Array<[string, (portalId: number) => Record<string, unknown>, RegExp]> = [
    ['a text occurredAt', (p) => event(p, 1, { occurredAt: 'yesterday' }), /^unparsed: occurredAt: /],
    ['an eventId too large for the inbox', (p) => event(p, 1, { eventId: '9999999999999999999' }), /^unparsed: eventId: /],
    ['an occurredAt beyond what a date holds', (p) => event(p, 1, { occurredAt: 1e20 }), /^unparsed: occurredAt: /],
    ['a numeric propertyValue', (p) => event(p, 1, { subscriptionType: 'contact.propertyChange', propertyName: 'website', propertyValue: 42 }), /^unparsed: propertyValue: /],
    ['an empty object', () => ({}), /^unparsed: eventId: .*; subscriptionId: /],
    [
      'a U+0000 in a property value',
      (p) => event(p, 1, { subscriptionType: 'contact.propertyChange', propertyName: 'website', propertyValue: 'acme\u0000.com' }),
      /^unparsed: holds U\+0000/,
    ],
    ['an unpaired surrogate in a key', (p) => event(p, 1, { '\ud800': 'x' }), /^unparsed: holds U\+0000 or an unpaired surrogate/],
    // The subscription type is also stored in a column of its own, beside the payload.
    ['a U+0000 in the subscription type', (p) => event(p, 1, { subscriptionType: 'contact.\u0000creation' }), /^unparsed: holds U\+0000/],
    ['an unpaired surrogate in the subscription type', (p) => event(p, 1, { subscriptionType: 'contact.\udc00creation' }), /^unparsed: holds U\+0000 or an unpaired surrogate/],
  ];

  it.each(unfitting)('keeps the batch when one event has %s, marking that one unparsed', async (_what, bad, reason) => {
    const portalId = newPortalId();
    const marker = randomUUID();
    const sent = [event(portalId, 0), { ...bad(portalId), marker }];
    const response = await deliver({ body: JSON.stringify(sent) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 2, new: 2, unparsed: 1 });
    const [valid] = await inbox(portalId);
    expect(valid).toMatchObject({ eventId: 1000n, outcome: null, processedAt: null });
    const [unparsed] = await rowsMarked(marker);
    expect(unparsed?.outcome).toMatch(reason);
    expect(unparsed?.processedAt).not.toBeNull();
  });
});
