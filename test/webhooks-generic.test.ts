// Generic webhook events and events that do not fit, end to end: the fake sends signed batches
// to the real receiver, real workers process what the receiver queued, and the outcome is read
// back from the fake (what HubSpot would show) and from the inbox.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { updatePortalSettings } from '../server/portals/change-portal.js';
import { inGenericForm } from './hubspot-fake/change-events.js';
import { TEST_APP_ID } from './support/hubspot.js';
import { startAppRig, type AppRig } from './support/app-rig.js';

let app: AppRig;
beforeAll(async () => {
  app = await startAppRig();
});
afterEach(() => app.fake.webhooks.setContactEventForm('legacy'));
afterAll(() => app.stopAll());

const POLL = { timeout: 15_000, interval: 50 };

function contactProperty(portalId: number, contactId: string, name: string) {
  return app.fake.contacts.get(portalId, contactId)?.properties[name] ?? null;
}

async function registrations(portalId: number) {
  return app.db.registration.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { id: 'asc' } });
}

async function inbox(portalId: number) {
  return app.db.webhookEvent.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { id: 'asc' } });
}

async function mirror(portalId: number, contactId: string) {
  return app.db.contact.findUnique({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId } } });
}

async function allProcessed(portalId: number) {
  await expect.poll(async () => app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: null } }), POLL).toBe(0);
}

/** What a portal's inbox and registrations show after a new contact with a website, in the given form. */
async function newContactIn(form: 'legacy' | 'generic') {
  app.fake.webhooks.setContactEventForm(form);
  const portalId = await app.installPortal();
  await updatePortalSettings(app.db, { portalId, settings: { autoRegisterNewContacts: true }, actor: 'test' });
  const contact = app.fake.contacts.create(portalId, { email: `ada@${form}-acme.com`, company: 'Acme', website: `https://${form}-acme.com` });
  await expect.poll(() => contactProperty(portalId, contact.id, APP_PROPERTIES.status), POLL).toBe('registered');
  await allProcessed(portalId);
  const rows = await inbox(portalId);
  return {
    sentTypes: rows.map((row) => (row.payload as { subscriptionType: string }).subscriptionType),
    inbox: rows.map((row) => [row.subscriptionType, (row.payload as { propertyName?: string }).propertyName ?? null, row.outcome]),
    registrations: (await registrations(portalId)).map(({ domain, channel, registeredBy, status }) => ({ domain: domain.replace(form, 'FORM'), channel, registeredBy, status })),
  };
}

describe('generic webhook events, end to end', () => {
  it('registers a new contact from object.creation and object.propertyChange exactly as from their contact twins', async () => {
    const legacy = await newContactIn('legacy');
    const generic = await newContactIn('generic');
    expect(legacy.sentTypes.every((type) => type.startsWith('contact.'))).toBe(true);
    expect(generic.sentTypes.every((type) => type.startsWith('object.'))).toBe(true);
    expect(generic.sentTypes).toContain('object.creation');
    expect(generic.sentTypes).toContain('object.propertyChange');
    expect(generic.inbox).toEqual(legacy.inbox);
    expect(generic.registrations).toEqual(legacy.registrations);
    expect(generic.registrations).toEqual([{ domain: 'FORM-acme.com', channel: 'automatic', registeredBy: expect.any(String), status: 'active' }]);
  });

  it('registers a contact when the trigger turns true in a generic object.propertyChange', async () => {
    const portalId = await app.installPortal();
    const [contact] = app.fake.contacts.seed(portalId, [{ email: 'bo@beta-generic.se', website: 'beta-generic.se' }]);
    app.fake.webhooks.setContactEventForm('generic');
    app.fake.contacts.update(portalId, contact!.id, { [APP_PROPERTIES.trigger]: 'true' });
    await expect.poll(() => contactProperty(portalId, contact!.id, APP_PROPERTIES.status), POLL).toBe('registered');
    expect(await registrations(portalId)).toMatchObject([{ domain: 'beta-generic.se', contactId: contact!.id }]);
    const [row] = await inbox(portalId);
    expect(row).toMatchObject({ subscriptionType: 'contact.propertyChange', payload: expect.objectContaining({ subscriptionType: 'object.propertyChange', objectTypeId: '0-1' }) });
  });

  it('marks a contact deleted and restored from generic object.deletion and object.restore', async () => {
    const portalId = await app.installPortal();
    app.fake.webhooks.setContactEventForm('generic');
    const contact = app.fake.contacts.create(portalId, { email: 'cy@gone-generic.com' });
    await expect.poll(async () => (await mirror(portalId, contact.id))?.email, POLL).toBe('cy@gone-generic.com');
    app.fake.contacts.delete(portalId, contact.id);
    await expect.poll(async () => (await mirror(portalId, contact.id))?.deletedAt, POLL).not.toBeNull();
    app.fake.contacts.restore(portalId, contact.id);
    await expect.poll(async () => (await mirror(portalId, contact.id))?.deletedAt, POLL).toBeNull();
  });

  it('stores a company event as ignored; the workers never touch it', async () => {
    const portalId = await app.installPortal();
    const company = { ...inGenericForm(app.fake.webhooks.buildEvent({ appId: TEST_APP_ID, portalId, subscriptionType: 'contact.creation', objectId: 77 })), objectTypeId: '0-2' };
    app.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId, events: [company] });
    await app.fake.webhooks.idle();
    expect(app.fake.webhooks.deliveries({ portalId }).map((attempt) => attempt.status)).toEqual([200]);
    expect(await inbox(portalId)).toMatchObject([{ subscriptionType: 'object.creation', outcome: 'ignored: object type 0-2 is not used' }]);
    expect(await mirror(portalId, '77')).toBeNull();
  });
});

describe('a batch with an event that does not fit, end to end', () => {
  it('answers 200 to every delivery, stores everything once, processes the valid events and marks the other unparsed', async () => {
    const portalId = await app.installPortal();
    const [contact] = app.fake.contacts.seed(portalId, [{ email: 'di@fit-batch.com', website: 'fit-batch.com' }]);
    const trigger = app.fake.webhooks.buildEvent({
      appId: TEST_APP_ID,
      portalId,
      subscriptionType: 'contact.propertyChange',
      objectId: contact!.id,
      propertyName: APP_PROPERTIES.trigger,
      propertyValue: 'true',
    });
    const marker = randomUUID();
    const creation = { ...app.fake.webhooks.buildEvent({ appId: TEST_APP_ID, portalId, subscriptionType: 'contact.creation', objectId: contact!.id }), marker };
    const { eventId: _missing, ...withoutEventId } = creation;
    // HubSpot never sends this; the fake sends what it is given.
    app.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId, events: [trigger, withoutEventId as unknown as typeof trigger], times: 2 });
    await app.fake.webhooks.idle();

    expect(app.fake.webhooks.deliveries({ portalId }).map((attempt) => [attempt.attemptNumber, attempt.status])).toEqual([
      [0, 200],
      [0, 200],
    ]);
    await expect.poll(() => contactProperty(portalId, contact!.id, APP_PROPERTIES.status), POLL).toBe('registered');
    await allProcessed(portalId);
    const rows = await inbox(portalId);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ subscriptionType: 'contact.propertyChange', outcome: expect.not.stringMatching(/^unparsed/) });
    expect(rows[1]).toMatchObject({ eventId: null, outcome: expect.stringMatching(/^unparsed: eventId: /), payload: expect.objectContaining({ marker }) });
    expect(await registrations(portalId)).toHaveLength(1);
  });
});
