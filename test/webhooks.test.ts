// HubSpot's webhooks end to end: the fake sends signed batches to the real server, real
// workers process them on the real PostgreSQL and Redis, and the outcome is read back from
// the fake (what HubSpot would show) and from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { updatePortalSettings } from '../server/portals/change-portal.js';
import { RULE_NEW_CONTACTS, RULE_TRIGGER } from '../server/webhooks/process-webhook-events.js';
import { TEST_APP_ID } from './support/hubspot.js';
import { startAppRig, type AppRig } from './support/app-rig.js';
import { fillCapacity } from './support/database.js';

let app: AppRig;
beforeAll(async () => {
  app = await startAppRig();
});
afterAll(() => app.stopAll());

const POLL = { timeout: 15_000, interval: 50 };

function contactProperty(portalId: number, contactId: string, name: string) {
  return app.fake.contacts.get(portalId, contactId)?.properties[name] ?? null;
}

async function mirror(portalId: number, contactId: string) {
  return app.db.contact.findUnique({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId } } });
}

async function registrations(portalId: number) {
  return app.db.registration.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { id: 'asc' } });
}

async function autoRegisteringPortal(options: Parameters<AppRig['installPortal']>[0] = {}) {
  const portalId = await app.installPortal(options);
  await updatePortalSettings(app.db, { portalId, settings: { autoRegisterNewContacts: true }, actor: 'test' });
  return portalId;
}

/**
 * Changes made in HubSpot on a clock the test moves (`advance(ms)`), with webhooks held until
 * they are all made, then delivered in the given order.
 */
async function inHubSpotTime<T>(changes: (advance: (ms: number) => void) => Promise<T>, order: 'in-order' | 'reversed' = 'in-order'): Promise<T> {
  let offset = 0;
  const start = Date.now();
  app.fake.configure({ clock: () => start + offset });
  app.fake.webhooks.pause();
  app.fake.webhooks.setOrder(order);
  try {
    return await changes((ms) => {
      offset += ms;
    });
  } finally {
    app.fake.configure({ clock: () => Date.now() });
    app.fake.webhooks.resume();
    app.fake.webhooks.setOrder('in-order');
  }
}

describe('webhooks, end to end', () => {
  it('registers a new contact with a website when the portal asks for it, and writes the outcome back', async () => {
    const portalId = await autoRegisteringPortal();
    const contact = app.fake.contacts.create(portalId, {
      email: 'ada@acme.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Acme',
      website: 'https://www.acme.com/about',
      country: 'Sweden',
    });
    await expect.poll(() => contactProperty(portalId, contact.id, APP_PROPERTIES.status), POLL).toBe('registered');
    expect(contactProperty(portalId, contact.id, APP_PROPERTIES.registeredDomain)).toBe('acme.com');
    const [registration] = await registrations(portalId);
    expect(registration).toMatchObject({
      domain: 'acme.com',
      channel: 'automatic',
      registeredBy: RULE_NEW_CONTACTS,
      contactId: contact.id,
      companyName: 'Acme',
      contactName: 'Ada Lovelace',
      country: 'Sweden',
    });
    expect((await mirror(portalId, contact.id))?.website).toBe('https://www.acme.com/about');
  });

  it('registers contacts whose values hold characters PostgreSQL refuses, alongside the others of their batch', async () => {
    // HubSpot's JSON can carry U+0000 and half a surrogate pair (whether HubSpot ever stores
    // them is not known): one such contact failed its whole webhook job on every retry (mirror
    // write, snapshot, refusal audit, write-back).
    const portalId = await autoRegisteringPortal();
    const odd = app.fake.contacts.create(portalId, { email: 'nul@odd.com', firstname: 'Nul', company: 'Odd\u0000 AB', website: 'https://odd-text.com' });
    const half = app.fake.contacts.create(portalId, { email: 'half@half.com', lastname: 'Half\udc00', website: 'https://half-text.com' });
    const broken = app.fake.contacts.create(portalId, { email: 'web@broken.com', website: 'https://broken\u0000-text.com' });
    const plain = app.fake.contacts.create(portalId, { email: 'ada@plain-text.com', website: 'https://plain-text.com' });
    for (const contact of [odd, half, plain]) await expect.poll(() => contactProperty(portalId, contact.id, APP_PROPERTIES.status), POLL).toBe('registered');
    await expect.poll(() => contactProperty(portalId, broken.id, APP_PROPERTIES.status), POLL).toBe('refused');
    const byDomain = new Map((await registrations(portalId)).map((registration) => [registration.domain, registration]));
    expect(byDomain.get('odd-text.com')).toMatchObject({ companyName: 'Odd\ufffd AB' });
    expect(byDomain.get('half-text.com')).toMatchObject({ contactName: 'Half\ufffd' });
    expect((await mirror(portalId, odd.id))?.company).toBe('Odd\ufffd AB');
  });

  it('registers a contact when "Register as partner lead" turns true', async () => {
    const portalId = await app.installPortal();
    const contact = app.fake.contacts.create(portalId, { email: 'bo@beta.se', website: 'beta.se' });
    await expect.poll(async () => (await mirror(portalId, contact.id))?.website, POLL).toBe('beta.se');
    expect(await registrations(portalId)).toHaveLength(0);
    app.fake.contacts.update(portalId, contact.id, { [APP_PROPERTIES.trigger]: 'true' });
    await expect.poll(() => contactProperty(portalId, contact.id, APP_PROPERTIES.status), POLL).toBe('registered');
    expect(await registrations(portalId)).toMatchObject([{ domain: 'beta.se', registeredBy: RULE_TRIGGER }]);
  });

  it('registers a contact created with a website, ticked a second later and edited again, when one batch brings it all', async () => {
    const portalId = await app.installPortal();
    const contact = await inHubSpotTime(async (advance) => {
      const created = app.fake.contacts.create(portalId, { email: 'g@late-tick.com', firstname: 'Gus', website: 'late-tick.com' });
      advance(1000);
      app.fake.contacts.update(portalId, created.id, { [APP_PROPERTIES.trigger]: 'true' });
      advance(1000);
      app.fake.contacts.update(portalId, created.id, { company: 'Late Tick AB' });
      return created;
    });
    await expect.poll(() => contactProperty(portalId, contact.id, APP_PROPERTIES.status), POLL).toBe('registered');
    expect(await registrations(portalId)).toMatchObject([{ domain: 'late-tick.com', registeredBy: RULE_TRIGGER, companyName: 'Late Tick AB' }]);
    expect(app.fake.webhooks.deliveries({ portalId }).filter((delivery) => delivery.events.length > 0)).toHaveLength(1);
  });

  it('registers the same contact once when the backlog of its events arrives one event a job, after the fact', async () => {
    const portalId = await autoRegisteringPortal();
    app.fake.configure({ webhooks: { maxEventsPerRequest: 1 } });
    try {
      const contact = await inHubSpotTime(async (advance) => {
        const created = app.fake.contacts.create(portalId, { email: 'h@backlog.com', website: 'backlog.com' });
        advance(1000);
        app.fake.contacts.update(portalId, created.id, { [APP_PROPERTIES.trigger]: 'true' });
        advance(1000);
        app.fake.contacts.update(portalId, created.id, { website: 'https://backlog.com/contact', company: 'Backlog' });
        return created;
      }, 'reversed');
      await app.fake.webhooks.idle();
      await expect.poll(() => app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: null } }), POLL).toBe(0);
      expect(app.fake.webhooks.deliveries({ portalId }).length).toBeGreaterThanOrEqual(5);
      await expect.poll(() => contactProperty(portalId, contact.id, APP_PROPERTIES.status), POLL).toBe('registered');
      expect(await registrations(portalId)).toMatchObject([{ domain: 'backlog.com', contactId: contact.id }]);
      // Jobs with events of the contact ran at the same moment; one answered, none asked twice.
      expect(await app.db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'registration_refused' } })).toBe(0);
    } finally {
      app.fake.configure({ webhooks: { maxEventsPerRequest: 100 } });
    }
  });

  it('treats ticking again after unticking as a new request: a refusal for lack of room, then a registration once there is room', async () => {
    const portalId = await app.installPortal({ tier: 'untiered' });
    await fillCapacity(app.db, portalId, 50);
    const [contact] = app.fake.contacts.seed(portalId, [{ email: 'i@again.com', website: 'again.com' }]);
    app.fake.contacts.update(portalId, contact!.id, { [APP_PROPERTIES.trigger]: 'true' });
    await expect.poll(() => contactProperty(portalId, contact!.id, APP_PROPERTIES.status), POLL).toBe('refused');
    // Room again; an edit of the still-ticked contact is no new request.
    await app.db.registration.updateMany({
      where: { portalId: BigInt(portalId), contactId: { startsWith: 'seed-' } },
      data: { status: 'deregistered', deregisteredAt: new Date() },
    });
    app.fake.contacts.update(portalId, contact!.id, { company: 'Again AB' });
    await expect.poll(async () => (await mirror(portalId, contact!.id))?.company, POLL).toBe('Again AB');
    await app.fake.webhooks.idle();
    expect(await registrations(portalId).then((rows) => rows.filter((row) => row.contactId === contact!.id))).toHaveLength(0);
    app.fake.contacts.update(portalId, contact!.id, { [APP_PROPERTIES.trigger]: 'false' });
    await expect.poll(async () => (await mirror(portalId, contact!.id))?.registerAsPartnerLead, POLL).toBe(false);
    app.fake.contacts.update(portalId, contact!.id, { [APP_PROPERTIES.trigger]: 'true' });
    await expect.poll(() => contactProperty(portalId, contact!.id, APP_PROPERTIES.status), POLL).toBe('registered');
    expect((await registrations(portalId)).filter((row) => row.contactId === contact!.id)).toMatchObject([{ domain: 'again.com', registeredBy: RULE_TRIGGER }]);
    expect(await app.db.auditEvent.count({ where: { portalId: BigInt(portalId), contactId: contact!.id, action: 'registration_refused' } })).toBe(1);
  });

  it('waits while another job answers a contact and then answers what is left; takes over a claim a dead job left', async () => {
    const portalId = await app.installPortal();
    const [abandoned, busy] = app.fake.contacts.seed(portalId, [
      { email: 'j@abandoned.com', website: 'abandoned.com' },
      { email: 'k@busy.com', website: 'busy.com' },
    ]);
    const claim = (contactId: string, at: Date | null) =>
      app.db.contact.upsert({
        where: { portalId_contactId: { portalId: BigInt(portalId), contactId } },
        create: { portalId: BigInt(portalId), contactId, ruleClaimedAt: at },
        update: { ruleClaimedAt: at },
      });
    await claim(abandoned!.id, new Date(Date.now() - 120_000));
    await claim(busy!.id, new Date());
    app.fake.contacts.update(portalId, abandoned!.id, { [APP_PROPERTIES.trigger]: 'true' });
    app.fake.contacts.update(portalId, busy!.id, { [APP_PROPERTIES.trigger]: 'true' });
    await expect.poll(() => contactProperty(portalId, abandoned!.id, APP_PROPERTIES.status), POLL).toBe('registered');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(contactProperty(portalId, busy!.id, APP_PROPERTIES.status)).toBeNull();
    // The other job finishes without answering this tick (it planned before it): ours answers it.
    await claim(busy!.id, null);
    await expect.poll(() => contactProperty(portalId, busy!.id, APP_PROPERTIES.status), POLL).toBe('registered');
    expect((await registrations(portalId)).map((registration) => registration.domain).sort()).toEqual(['abandoned.com', 'busy.com']);
  });

  it('keeps the registered domain when the website changes afterwards, while the mirror follows', async () => {
    const portalId = await autoRegisteringPortal();
    const contact = app.fake.contacts.create(portalId, { email: 'c@first.com', website: 'first.com' });
    await expect.poll(() => contactProperty(portalId, contact.id, APP_PROPERTIES.status), POLL).toBe('registered');
    app.fake.contacts.update(portalId, contact.id, { website: 'https://second.com' });
    await expect.poll(async () => (await mirror(portalId, contact.id))?.website, POLL).toBe('https://second.com');
    expect(await registrations(portalId)).toMatchObject([{ domain: 'first.com', website: 'first.com', status: 'active' }]);
    expect(contactProperty(portalId, contact.id, APP_PROPERTIES.registeredDomain)).toBe('first.com');
  });

  it('registers once when the same batch is delivered three times', async () => {
    const portalId = await app.installPortal();
    const [contact] = app.fake.contacts.seed(portalId, [{ email: 'd@dup.com', website: 'dup.com' }]);
    const event = app.fake.webhooks.buildEvent({
      appId: TEST_APP_ID,
      portalId,
      subscriptionType: 'contact.propertyChange',
      objectId: contact!.id,
      propertyName: APP_PROPERTIES.trigger,
      propertyValue: 'true',
    });
    app.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId, events: [event], times: 3 });
    await app.fake.webhooks.idle();
    await expect.poll(() => contactProperty(portalId, contact!.id, APP_PROPERTIES.status), POLL).toBe('registered');
    expect(await registrations(portalId)).toHaveLength(1);
    expect(await app.db.webhookEvent.count({ where: { portalId: BigInt(portalId) } })).toBe(1);
  });

  it('applies events by when they happened: an older event never overwrites newer data', async () => {
    const portalId = await app.installPortal();
    const [contact] = app.fake.contacts.seed(portalId, [{ email: 'e@order.com', website: 'start.com' }]);
    const now = Date.now();
    const newer = app.fake.webhooks.buildEvent({
      appId: TEST_APP_ID,
      portalId,
      subscriptionType: 'contact.propertyChange',
      objectId: contact!.id,
      propertyName: 'website',
      propertyValue: 'newest.com',
      occurredAt: now,
    });
    const older = app.fake.webhooks.buildEvent({
      appId: TEST_APP_ID,
      portalId,
      subscriptionType: 'contact.propertyChange',
      objectId: contact!.id,
      propertyName: 'website',
      propertyValue: 'stale.com',
      occurredAt: now - 60_000,
    });
    app.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId, events: [newer] });
    await app.fake.webhooks.idle();
    await expect.poll(async () => (await mirror(portalId, contact!.id))?.website, POLL).toBe('newest.com');
    app.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId, events: [older] });
    await app.fake.webhooks.idle();
    await expect.poll(async () => app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: { not: null } } }), POLL).toBe(2);
    expect((await mirror(portalId, contact!.id))?.website).toBe('newest.com');
  });

  it('moves the mirror and the registration to the surviving contact on a merge, keeping the snapshot', async () => {
    const portalId = await autoRegisteringPortal();
    const loser = app.fake.contacts.create(portalId, { email: 'old@merge.com', firstname: 'Old', website: 'merge.com' });
    await expect.poll(() => contactProperty(portalId, loser.id, APP_PROPERTIES.status), POLL).toBe('registered');
    const [survivor] = app.fake.contacts.seed(portalId, [{ email: 'new@merge.com', firstname: 'New', website: 'other.com' }]);
    app.fake.contacts.merge(portalId, { primaryId: survivor!.id, mergedId: loser.id });
    await expect.poll(async () => (await registrations(portalId))[0]?.contactId, POLL).toBe(survivor!.id);
    expect((await registrations(portalId))[0]).toMatchObject({ domain: 'merge.com', contactName: 'Old', status: 'active' });
    const merged = await mirror(portalId, loser.id);
    expect(merged?.mergedIntoContactId).toBe(survivor!.id);
    expect(merged?.deletedAt).not.toBeNull();
  });

  it('marks a deleted contact, brings it back on restore, and erases personal data on a privacy deletion', async () => {
    const portalId = await app.installPortal();
    const contact = app.fake.contacts.create(portalId, { email: 'f@gone.com', firstname: 'Fay', website: 'gone.com' });
    await expect.poll(async () => (await mirror(portalId, contact.id))?.email, POLL).toBe('f@gone.com');
    app.fake.contacts.delete(portalId, contact.id);
    await expect.poll(async () => (await mirror(portalId, contact.id))?.deletedAt, POLL).not.toBeNull();
    app.fake.contacts.restore(portalId, contact.id);
    await expect.poll(async () => (await mirror(portalId, contact.id))?.deletedAt, POLL).toBeNull();
    app.fake.contacts.privacyDelete(portalId, contact.id);
    await expect.poll(async () => (await mirror(portalId, contact.id))?.email, POLL).toBeNull();
    expect((await mirror(portalId, contact.id))?.firstName).toBeNull();
  });

  it('gives exactly 10 of 200 new contacts to a portal with 10 units left, and writes 190 refusals back', async () => {
    const portalId = await autoRegisteringPortal({ tier: 'untiered' });
    await fillCapacity(app.db, portalId, 40);
    const contacts = Array.from({ length: 200 }, (_, n) => app.fake.contacts.create(portalId, { email: `p${n}@bulk${n}.com`, website: `bulk${n}.com` }));
    const statuses = () => contacts.map((contact) => contactProperty(portalId, contact.id, APP_PROPERTIES.status));
    await expect.poll(() => statuses().filter((status) => status !== null).length, { timeout: 60_000, interval: 200 }).toBe(200);
    expect(statuses().filter((status) => status === 'registered')).toHaveLength(10);
    expect(statuses().filter((status) => status === 'refused')).toHaveLength(190);
    expect(await app.db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(50);
    const refusal = contacts.map((contact) => contactProperty(portalId, contact.id, APP_PROPERTIES.refusalReason)).find((reason) => reason);
    expect(refusal).toMatch(/50 of 50 domains are registered \(untiered tier\)/);
    expect(app.fake.requests.peakInWindow(portalId, { windowMs: 10_000 })).toBeLessThanOrEqual(100);
  });

  it('stores and ignores events for a portal that has not installed the app', async () => {
    const portalId = 987_654_321;
    app.fake.accounts.create({ portalId });
    const event = app.fake.webhooks.buildEvent({ appId: TEST_APP_ID, portalId, subscriptionType: 'contact.creation', objectId: 42 });
    app.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId, events: [event] });
    await app.fake.webhooks.idle();
    await expect.poll(async () => (await app.db.webhookEvent.findFirst({ where: { portalId: BigInt(portalId) } }))?.outcome, POLL).toBe('ignored: unknown portal');
    const delivery = app.fake.webhooks.deliveries().find((attempt) => attempt.portalId === portalId);
    expect(delivery?.status).toBe(200);
  });
});
