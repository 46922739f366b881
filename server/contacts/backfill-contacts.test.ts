import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, type HubSpotTestRig } from '../../test/support/hubspot.js';
import { HubSpotUnavailableError } from '../hubspot/hubspot-errors.js';
import { backfillContacts } from './backfill-contacts.js';

const db = testDatabase();
let rig: HubSpotTestRig;
beforeAll(async () => {
  rig = await startHubSpotRig();
});
afterAll(async () => {
  await rig.stop();
  await db.$disconnect();
});

async function pendingBackfill(portalId: number) {
  await db.contactBackfill.create({ data: { portalId: BigInt(portalId) } });
}

describe('backfillContacts', () => {
  it('resumes from the saved cursor after a failure, reading no page twice', async () => {
    const app = hubspotProcess(rig, db, { maxAttempts: 1 });
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      rig.fake.contacts.seed(
        portalId,
        Array.from({ length: 250 }, (_, n) => ({ email: `b${n}@backfill.com`, website: `backfill${n}.com`, firstname: `B${n}` })),
      );
      await pendingBackfill(portalId);
      const pageReads = () => rig.fake.requests.all({ portalId, kind: 'crm' }).filter((request) => request.method === 'GET' && request.path === '/crm/v3/objects/contacts');

      // The third page fails: two pages (200 contacts) are in, and the cursor says where to go on.
      let pages = 0;
      await expect(
        backfillContacts({ db, hubspot: app.hubspot }, portalId, () => {
          pages += 1;
          if (pages === 2) rig.fake.faults.failNext(1, { status: 503 });
        }),
      ).rejects.toThrow(HubSpotUnavailableError);
      const saved = await db.contactBackfill.findUniqueOrThrow({ where: { portalId: BigInt(portalId) } });
      expect(saved).toMatchObject({ status: 'running', contactsSynced: 200 });
      expect(saved.after).not.toBeNull();

      const readsBefore = pageReads().length;
      expect(await backfillContacts({ db, hubspot: app.hubspot }, portalId)).toEqual({ contactsSynced: 250, completed: true });
      const resumed = pageReads().slice(readsBefore);
      expect(resumed).toHaveLength(1);
      expect(resumed[0]!.query.after).toBe(saved.after);
      expect(await db.contact.count({ where: { portalId: BigInt(portalId) } })).toBe(250);
      expect((await db.contactBackfill.findUniqueOrThrow({ where: { portalId: BigInt(portalId) } })).status).toBe('completed');
    } finally {
      await app.close();
    }
  });

  it('leaves newer data alone: a contact changed by a webhook keeps its newer value', async () => {
    const app = hubspotProcess(rig, db);
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      const [contact] = rig.fake.contacts.seed(portalId, [{ email: 'old@backfill.com', website: 'old.com' }]);
      await db.contact.create({
        data: { portalId: BigInt(portalId), contactId: contact!.id, website: 'newer.com', propertyChangedAt: { website: Date.now() + 60_000 } },
      });
      await pendingBackfill(portalId);
      await backfillContacts({ db, hubspot: app.hubspot }, portalId);
      const mirrored = await db.contact.findUniqueOrThrow({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId: contact!.id } } });
      expect(mirrored).toMatchObject({ website: 'newer.com', email: 'old@backfill.com' });
    } finally {
      await app.close();
    }
  });
});
