// The lead status, lifecycle stage and last activity that Suggestions rank by, mirrored end to
// end: a user changes them in HubSpot (the fake), the signed webhooks reach the real server, the
// real workers apply them to the mirror on the real PostgreSQL — newest value wins per property,
// whatever order the events arrive in — and the backfill brings in what was there before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillContacts } from '../server/contacts/backfill-contacts.js';
import { SALES_PROPERTIES } from '../server/hubspot/app-properties.js';
import { startAppRig, type AppRig } from './support/app-rig.js';
import { hubspotProcess, TEST_APP_ID } from './support/hubspot.js';

let app: AppRig;
beforeAll(async () => {
  app = await startAppRig();
});
afterAll(() => app.stopAll());

const POLL = { timeout: 15_000, interval: 50 };

async function mirror(portalId: number, contactId: string) {
  return app.db.contact.findUnique({
    where: { portalId_contactId: { portalId: BigInt(portalId), contactId } },
    select: { leadStatus: true, lifecycleStage: true, lastActivityAt: true },
  });
}

function propertyEvent(portalId: number, contactId: string, propertyName: string, propertyValue: string, occurredAt: number) {
  return app.fake.webhooks.buildEvent({ appId: TEST_APP_ID, portalId, subscriptionType: 'contact.propertyChange', objectId: contactId, propertyName, propertyValue, occurredAt });
}

async function processed(portalId: number, count: number) {
  await app.fake.webhooks.idle();
  await expect.poll(() => app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: { not: null } } }), POLL).toBe(count);
}

describe('lead status, lifecycle stage and last activity in the mirror', () => {
  it('follows what a user changes in HubSpot', async () => {
    const portalId = await app.installPortal();
    const contact = app.fake.contacts.create(portalId, { email: 'ann@quiet-lead.com', website: 'quiet-lead.com', lifecyclestage: 'lead' });
    await expect.poll(async () => (await mirror(portalId, contact.id))?.lifecycleStage, POLL).toBe('lead');

    app.fake.contacts.update(portalId, contact.id, {
      [SALES_PROPERTIES.leadStatus]: 'BAD_TIMING',
      [SALES_PROPERTIES.lifecycleStage]: 'other',
      [SALES_PROPERTIES.lastActivity]: '2026-03-02T10:15:00.000Z',
    });
    await expect
      .poll(() => mirror(portalId, contact.id), POLL)
      .toEqual({ leadStatus: 'BAD_TIMING', lifecycleStage: 'other', lastActivityAt: new Date('2026-03-02T10:15:00.000Z') });

    // Cleared in HubSpot: cleared in the mirror.
    app.fake.contacts.update(portalId, contact.id, { [SALES_PROPERTIES.leadStatus]: '' });
    await expect.poll(async () => (await mirror(portalId, contact.id))?.leadStatus, POLL).toBeNull();
  });

  it('keeps the newest value of each property when older events arrive later', async () => {
    const portalId = await app.installPortal();
    const [contact] = app.fake.contacts.seed(portalId, [{ email: 'bo@order-sales.com', website: 'order-sales.com' }]);
    const now = Date.now();
    // A webhook's datetime may come as epoch milliseconds; the record as ISO 8601.
    const newerActivity = Date.parse('2026-11-01T08:00:00.000Z');
    app.fake.webhooks.sendBatch({
      appId: TEST_APP_ID,
      portalId,
      events: [
        propertyEvent(portalId, contact!.id, SALES_PROPERTIES.leadStatus, 'UNQUALIFIED', now),
        propertyEvent(portalId, contact!.id, SALES_PROPERTIES.lastActivity, String(newerActivity), now),
      ],
    });
    await processed(portalId, 2);
    expect(await mirror(portalId, contact!.id)).toMatchObject({ leadStatus: 'UNQUALIFIED', lastActivityAt: new Date(newerActivity) });

    app.fake.webhooks.sendBatch({
      appId: TEST_APP_ID,
      portalId,
      events: [
        propertyEvent(portalId, contact!.id, SALES_PROPERTIES.leadStatus, 'OPEN', now - 60_000),
        propertyEvent(portalId, contact!.id, SALES_PROPERTIES.lastActivity, '2026-01-01T08:00:00.000Z', now - 60_000),
        propertyEvent(portalId, contact!.id, SALES_PROPERTIES.lifecycleStage, 'salesqualifiedlead', now - 60_000),
      ],
    });
    await processed(portalId, 5);
    // The stale lead status and activity lost; the lifecycle stage, never set before, was taken.
    expect(await mirror(portalId, contact!.id)).toEqual({ leadStatus: 'UNQUALIFIED', lifecycleStage: 'salesqualifiedlead', lastActivityAt: new Date(newerActivity) });
  });

  it('brings in the values contacts already had through the backfill', async () => {
    const portalId = await app.installPortal();
    const [worked, idle] = app.fake.contacts.seed(portalId, [
      { email: 'cy@worked.com', website: 'worked.com', hs_lead_status: 'IN_PROGRESS', lifecyclestage: 'opportunity', notes_last_updated: '2026-11-20T12:00:00.000Z' },
      { email: 'di@idle.com', website: 'idle.com' },
    ]);
    const process = hubspotProcess(app, app.db);
    try {
      await app.db.contactBackfill.upsert({ where: { portalId: BigInt(portalId) }, create: { portalId: BigInt(portalId) }, update: {} });
      await backfillContacts({ db: app.db, hubspot: process.hubspot }, portalId);
    } finally {
      await process.close();
    }
    expect(await mirror(portalId, worked!.id)).toEqual({ leadStatus: 'IN_PROGRESS', lifecycleStage: 'opportunity', lastActivityAt: new Date('2026-11-20T12:00:00.000Z') });
    expect(await mirror(portalId, idle!.id)).toEqual({ leadStatus: null, lifecycleStage: null, lastActivityAt: null });
  });
});
