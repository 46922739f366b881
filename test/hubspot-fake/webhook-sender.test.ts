import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AppInfo, type HubSpotFake, startHubSpotFake } from './index.js';
import { type ReceivedWebhook, type WebhookReceiver, clientFor, startReceiver } from './test-support.js';

let fake: HubSpotFake;
let receiver: WebhookReceiver;

beforeAll(async () => {
  fake = await startHubSpotFake({ webhooks: { retryDelayMs: () => 10 } });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(async () => {
  fake.reset();
  fake.configure({ webhooks: { retryDelayMs: () => 10 } });
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.stop();
});

function installedApp(subscriptions: AppInfo['subscriptions'] extends Array<infer S> ? Array<Omit<S, 'id' | 'active'>> : never = []) {
  const { portalId } = fake.accounts.create();
  const app = fake.apps.register({
    redirectUri: 'http://localhost/cb',
    webhookUrl: receiver.url,
    subscriptions: subscriptions.length > 0 ? subscriptions : [{ subscriptionType: 'contact.propertyChange', propertyName: 'company' }],
  });
  const tokens = fake.installs.install(app.appId, portalId);
  return { portalId, app, tokens };
}

/** Verifies a delivery the way a receiver must: v3 over method + url + raw body + timestamp. */
function verifiesV3(request: ReceivedWebhook, clientSecret: string): boolean {
  const timestamp = request.headers['x-hubspot-request-timestamp'] as string;
  const expected = createHmac('sha256', clientSecret).update(`${request.method}${request.url}${request.rawBody}${timestamp}`).digest();
  const given = Buffer.from(request.headers['x-hubspot-signature-v3'] as string, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhook events for contact changes', () => {
  it('sends a signed contact.propertyChange for a subscribed property a user changed, and nothing for others', async () => {
    const { portalId, app } = installedApp();
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com', company: 'Old' }]);
    const before = Date.now();
    fake.contacts.update(portalId, ada!.id, { company: 'New Co', firstname: 'Ada' });
    await fake.webhooks.idle();

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.events).toEqual([
      {
        eventId: expect.any(Number),
        subscriptionId: app.subscriptions[0]!.id,
        portalId,
        appId: app.appId,
        occurredAt: expect.any(Number),
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: Number(ada!.id),
        changeSource: 'CRM_UI',
        sourceId: expect.stringMatching(/^userId:\d+$/),
        changeFlag: expect.any(String),
        propertyName: 'company',
        propertyValue: 'New Co',
      },
    ]);
    expect(request!.events[0]!.occurredAt).toBeGreaterThanOrEqual(before);

    expect(verifiesV3(request!, app.clientSecret)).toBe(true);
    expect(verifiesV3(request!, 'another-secret')).toBe(false);
    expect(Math.abs(Number(request!.headers['x-hubspot-request-timestamp']) - Date.now())).toBeLessThan(5000);
    expect(request!.headers['x-hubspot-signature-version']).toBe('v1');
    expect(request!.headers['x-hubspot-signature']).toBe(
      createHash('sha256')
        .update(app.clientSecret + request!.rawBody)
        .digest('hex'),
    );
  });

  it('sends propertyChange events for an app’s own batch update, with changeSource INTEGRATION, and only for values that changed', async () => {
    const { portalId, app, tokens } = installedApp();
    const [ada, bob] = fake.contacts.seed(portalId, [{ email: 'ada@example.com', company: 'Same' }, { email: 'bob@example.com' }]);
    await clientFor(fake, tokens.access_token).crm.contacts.batchApi.update({
      inputs: [
        { id: ada!.id, properties: { company: 'Same' } },
        { id: bob!.id, properties: { company: 'Bob Ltd' } },
      ],
    });
    await fake.webhooks.idle();
    expect(receiver.events()).toEqual([
      expect.objectContaining({ objectId: Number(bob!.id), propertyName: 'company', propertyValue: 'Bob Ltd', changeSource: 'INTEGRATION', appId: app.appId }),
    ]);
  });

  it('sends creation, deletion, restore, merge and privacy deletion events with their fields', async () => {
    const { portalId } = installedApp([
      { subscriptionType: 'contact.creation' },
      { subscriptionType: 'contact.deletion' },
      { subscriptionType: 'contact.restore' },
      { subscriptionType: 'contact.merge' },
      { subscriptionType: 'contact.privacyDeletion' },
    ]);
    const created = fake.contacts.create(portalId, { email: 'new@example.com' });
    const [primary, secondary, forgotten] = fake.contacts.seed(portalId, [
      { email: 'p@example.com' },
      { email: 's@example.com', company: 'Acme', website: 'acme.example' },
      { email: 'f@example.com' },
    ]);
    fake.contacts.delete(portalId, created.id);
    fake.contacts.restore(portalId, created.id);
    fake.contacts.merge(portalId, { primaryId: primary!.id, mergedId: secondary!.id });
    fake.contacts.privacyDelete(portalId, forgotten!.id);
    await fake.webhooks.idle();

    const events = receiver.events();
    expect(events.map((event) => event.subscriptionType)).toEqual(['contact.creation', 'contact.deletion', 'contact.restore', 'contact.merge', 'contact.privacyDeletion']);
    expect(events[0]).toMatchObject({ objectId: Number(created.id), changeFlag: 'CREATED', changeSource: 'CRM_UI' });
    expect(events[3]).toMatchObject({
      objectId: Number(primary!.id),
      primaryObjectId: Number(primary!.id),
      mergedObjectIds: [Number(secondary!.id)],
      newObjectId: Number(primary!.id),
      numberOfPropertiesMoved: 2,
    });
    expect(events[4]).toMatchObject({ objectId: Number(forgotten!.id) });
    expect(fake.contacts.get(portalId, forgotten!.id)).toBeUndefined();
  });

  it('sends nothing to an app that was uninstalled, or whose subscription is for another property', async () => {
    const { portalId, app } = installedApp();
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.update(portalId, ada!.id, { website: 'ada.example' });
    fake.installs.revoke(app.appId, portalId);
    fake.contacts.update(portalId, ada!.id, { company: 'After uninstall' });
    await fake.webhooks.idle();
    expect(receiver.received).toHaveLength(0);
  });
});

describe('webhook batching and concurrency', () => {
  it('puts at most 100 events in one request', async () => {
    const { portalId } = installedApp();
    const seeded = fake.contacts.seed(
      portalId,
      Array.from({ length: 250 }, (_, i) => ({ email: `c${i}@example.com` })),
    );
    for (const contact of seeded) fake.contacts.update(portalId, contact.id, { company: `Co ${contact.id}` });
    await fake.webhooks.idle();
    expect(receiver.received.map((request) => request.events.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(new Set(receiver.events().map((event) => event.objectId)).size).toBe(250);
  });

  it('keeps at most 10 requests in flight per account, and reaches 10 when there is work', async () => {
    const { portalId } = installedApp();
    receiver.respondWith(() => ({ status: 200, delayMs: 60 }));
    const seeded = fake.contacts.seed(
      portalId,
      Array.from({ length: 2500 }, (_, i) => ({ email: `c${i}@example.com` })),
    );
    for (const contact of seeded) fake.contacts.update(portalId, contact.id, { company: 'Busy' });
    await fake.webhooks.idle();
    expect(receiver.received).toHaveLength(25);
    expect(receiver.peakConcurrent).toBe(10);
    expect(fake.webhooks.peakInFlight(portalId)).toBe(10);
  });

  it('honours a lower per-app concurrency', async () => {
    const { portalId, app } = installedApp();
    fake.apps.update(app.appId, { maxConcurrentRequests: 2 });
    receiver.respondWith(() => ({ status: 200, delayMs: 30 }));
    const events = Array.from({ length: 6 }, (_, i) => fake.webhooks.buildEvent({ appId: app.appId, portalId, subscriptionType: 'contact.creation', objectId: 1000 + i }));
    for (const event of events) fake.webhooks.sendBatch({ appId: app.appId, portalId, events: [event] });
    await fake.webhooks.idle();
    expect(receiver.received).toHaveLength(6);
    expect(receiver.peakConcurrent).toBe(2);
  });
});

describe('webhook retries', () => {
  it('retries a request answered 500, with attemptNumber counting up and the same events', async () => {
    const { portalId } = installedApp();
    receiver.respondWith((request) => ({ status: request.index < 2 ? 500 : 204 }));
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.update(portalId, ada!.id, { company: 'Retry Co' });
    await fake.webhooks.idle();

    expect(receiver.received.map((request) => request.events[0]!.attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(receiver.received.map((request) => request.events[0]!.eventId)).size).toBe(1);
    const attempts = fake.webhooks.deliveries();
    expect(attempts.map((attempt) => [attempt.attemptNumber, attempt.status, attempt.succeeded])).toEqual([
      [0, 500, false],
      [1, 500, false],
      [2, 204, true],
    ]);
    expect(new Set(attempts.map((attempt) => attempt.deliveryId)).size).toBe(1);
  });

  it('retries on a 4xx too', async () => {
    const { portalId } = installedApp();
    receiver.respondWith((request) => ({ status: request.index === 0 ? 401 : 200 }));
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.update(portalId, ada!.id, { company: 'X' });
    await fake.webhooks.idle();
    expect(receiver.received.map((request) => request.events[0]!.attemptNumber)).toEqual([0, 1]);
  });

  it('gives up on a receiver slower than the timeout and sends the batch again', async () => {
    fake.configure({ webhooks: { timeoutMs: 150 } });
    const { portalId, app } = installedApp();
    receiver.respondWith((request) => ({ status: 200, delayMs: request.index === 0 ? 600 : 0 }));
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.update(portalId, ada!.id, { company: 'Slow' });
    await fake.webhooks.idle();

    const attempts = fake.webhooks.deliveries();
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['timeout', 'answered']);
    expect(attempts[0]!.durationMs).toBeLessThan(600);
    expect(receiver.received.map((request) => request.events[0]!.attemptNumber)).toEqual([0, 1]);
    // Each attempt is signed afresh.
    expect(receiver.received.every((request) => verifiesV3(request, app.clientSecret))).toBe(true);
  });

  it('retries when nothing listens, and stops after maxRetries', async () => {
    fake.configure({ webhooks: { maxRetries: 3 } });
    const { portalId, app } = installedApp();
    const closed = await startReceiver();
    await closed.stop();
    fake.apps.update(app.appId, { webhookUrl: closed.url });
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.update(portalId, ada!.id, { company: 'Nobody home' });
    await fake.webhooks.idle();
    const attempts = fake.webhooks.deliveries();
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['connection-error', 'connection-error', 'connection-error', 'connection-error']);
    expect(attempts.map((attempt) => attempt.attemptNumber)).toEqual([0, 1, 2, 3]);
    expect(attempts.at(-1)?.willRetry).toBe(false);
  });

  it('follows the retry schedule it is given', async () => {
    const delays: number[] = [];
    fake.configure({
      webhooks: {
        maxRetries: 2,
        retryDelayMs: (retry) => {
          delays.push(retry);
          return 20 * retry;
        },
      },
    });
    const { portalId } = installedApp();
    receiver.respondWith(() => ({ status: 503 }));
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.update(portalId, ada!.id, { company: 'Down' });
    await fake.webhooks.idle();
    expect(delays).toEqual([1, 2]);
    const [first, second, third] = fake.webhooks.deliveries();
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(20);
    expect(third!.startedAt - second!.startedAt).toBeGreaterThanOrEqual(40);
  });
});

describe('prepared batches, duplicates and order', () => {
  it('delivers the same prepared batch three times', async () => {
    const { portalId, app } = installedApp();
    const event = fake.webhooks.buildEvent({ appId: app.appId, portalId, subscriptionType: 'contact.propertyChange', objectId: 42, propertyName: 'company', propertyValue: 'Dup' });
    fake.webhooks.sendBatch({ appId: app.appId, portalId, events: [event], times: 3 });
    await fake.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    expect(receiver.received.map((request) => request.events)).toEqual([
      [expect.objectContaining({ eventId: event.eventId, attemptNumber: 0, subscriptionId: app.subscriptions[0]!.id })],
      [expect.objectContaining({ eventId: event.eventId, attemptNumber: 0 })],
      [expect.objectContaining({ eventId: event.eventId, attemptNumber: 0 })],
    ]);
  });

  it('delivers accumulated events newest first when told to', async () => {
    const { portalId } = installedApp();
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.webhooks.pause();
    for (const company of ['First', 'Second', 'Third']) fake.contacts.update(portalId, ada!.id, { company });
    await fake.webhooks.idle(); // paused: held events do not keep idle() waiting
    expect(receiver.received).toHaveLength(0);
    fake.webhooks.setOrder('reversed');
    fake.webhooks.resume();
    await fake.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.events().map((event) => event.propertyValue)).toEqual(['Third', 'Second', 'First']);
  });

  it('records every attempt with its answer and duration', async () => {
    const { portalId } = installedApp();
    receiver.respondWith(() => ({ status: 202, delayMs: 20 }));
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.update(portalId, ada!.id, { company: 'Logged' });
    await fake.webhooks.idle();
    const [attempt] = fake.webhooks.deliveries({ portalId });
    expect(attempt).toMatchObject({ url: receiver.url, status: 202, outcome: 'answered', succeeded: true, attemptNumber: 0 });
    expect(attempt!.durationMs).toBeGreaterThanOrEqual(15);
    expect(JSON.parse(attempt!.body)).toEqual(attempt!.events);
  });
});

describe('the generic form (crmObjects subscriptions)', () => {
  it('sends contact changes as object.* events with objectTypeId "0-1", and privacy deletions as contact.privacyDeletion', async () => {
    const { portalId } = installedApp([
      ...(['contact.creation', 'contact.deletion', 'contact.privacyDeletion', 'contact.merge', 'contact.restore'] as const).map((subscriptionType) => ({ subscriptionType })),
      { subscriptionType: 'contact.propertyChange', propertyName: 'company' },
    ]);
    fake.webhooks.setContactEventForm('generic');
    const ada = fake.contacts.create(portalId, { email: 'ada@example.com' });
    const [bo] = fake.contacts.seed(portalId, [{ email: 'bo@example.com' }]);
    fake.contacts.update(portalId, ada.id, { company: 'Generic Co' });
    fake.contacts.delete(portalId, ada.id);
    fake.contacts.restore(portalId, ada.id);
    fake.contacts.merge(portalId, { primaryId: ada.id, mergedId: bo!.id });
    fake.contacts.privacyDelete(portalId, ada.id);
    await fake.webhooks.idle();
    const events = receiver.events();
    expect(events.map((event) => [event.subscriptionType, event.objectTypeId])).toEqual([
      ['object.creation', '0-1'],
      ['object.propertyChange', '0-1'],
      ['object.deletion', '0-1'],
      ['object.restore', '0-1'],
      ['object.merge', '0-1'],
      ['contact.privacyDeletion', undefined],
    ]);
    expect(events[1]).toMatchObject({ objectId: Number(ada.id), propertyName: 'company', propertyValue: 'Generic Co', changeFlag: 'PROPERTY_CHANGE' });
    expect(events[4]).toMatchObject({ primaryObjectId: Number(ada.id), mergedObjectIds: [Number(bo!.id)] });
  });

  it('goes back to the contact form on reset', async () => {
    fake.webhooks.setContactEventForm('generic');
    fake.reset();
    const { portalId } = installedApp([{ subscriptionType: 'contact.creation' }]);
    fake.contacts.create(portalId, { email: 'ada@example.com' });
    await fake.webhooks.idle();
    expect(receiver.events().map((event) => [event.subscriptionType, event.objectTypeId])).toEqual([['contact.creation', undefined]]);
  });
});
