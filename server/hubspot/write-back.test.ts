// The write-back flush against the HubSpot fake through the real @hubspot/api-client, called as
// the contact-write-back worker calls it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, type HubSpotTestRig } from '../../test/support/hubspot.js';
import { createLogger } from '../observability/logger.js';
import { APP_PROPERTIES } from './app-properties.js';
import { flushContactWriteBacks, NOT_IN_HUBSPOT, registeredProperties } from './write-back.js';

const db = testDatabase();
let rig: HubSpotTestRig;
let app: ReturnType<typeof hubspotProcess>;
const logger = createLogger({ level: 'silent', name: 'test' });

beforeAll(async () => {
  rig = await startHubSpotRig();
  app = hubspotProcess(rig, db);
});
afterAll(async () => {
  await app.close();
  await rig.stop();
  await db.$disconnect();
});

async function portalWithPendingWriteBacks(count: number) {
  const portalId = await installedPortal(rig, db, app.hubspot);
  const contacts = rig.fake.contacts.seed(
    portalId,
    Array.from({ length: count }, (_, n) => ({ email: `c${n}@site${n}.com` })),
  );
  const properties = (n: number) => registeredProperties(`site${n}.com`, '2026-11-24T10:00:00.000Z');
  await db.contactWriteBack.createMany({ data: contacts.map((contact, n) => ({ portalId: BigInt(portalId), contactId: contact.id, properties: properties(n) })) });
  return { portalId, contactIds: contacts.map((contact) => contact.id) };
}

const pendingRows = (portalId: number) => db.contactWriteBack.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { contactId: 'asc' } });
const batchUpdates = (portalId: number) =>
  rig.fake.requests
    .all({ portalId })
    .filter((request) => request.path.endsWith('/batch/update'))
    // A request a fault answered was never parsed: no body.
    .map((request) => (request.body as { inputs: Array<{ id: string }> } | undefined)?.inputs.map((input) => input.id) ?? []);
const statusIn = (portalId: number, contactId: string) => rig.fake.contacts.get(portalId, contactId)?.properties[APP_PROPERTIES.status];

describe('flushing write-backs when HubSpot no longer has some contacts', () => {
  // Which answer HubSpot gives a batch update naming a missing contact is unconfirmed: both.
  it.each(['multi-status', 'batch-error'] as const)('writes every other contact in the same flush and records the missing one as not in HubSpot (%s answer)', async (answer) => {
    const { portalId, contactIds } = await portalWithPendingWriteBacks(4);
    const [first, gone, third, alsoGone] = contactIds as [string, string, string, string];
    rig.fake.contacts.delete(portalId, gone);
    rig.fake.contacts.delete(portalId, alsoGone);
    rig.fake.configure({ batchUpdateMissing: answer });
    try {
      const report = await flushContactWriteBacks({ db, api: app.hubspot.api, logger }, portalId);
      expect(report).toMatchObject({ sent: 2, missing: 2 });
    } finally {
      rig.fake.configure({ batchUpdateMissing: 'multi-status' });
    }
    expect([statusIn(portalId, first), statusIn(portalId, third)]).toEqual(['registered', 'registered']);
    expect(batchUpdates(portalId)).toEqual(answer === 'batch-error' ? [contactIds, [first, third]] : [contactIds]);

    const rows = await pendingRows(portalId);
    expect(rows.map((row) => row.contactId).sort()).toEqual([gone, alsoGone].sort());
    for (const row of rows) expect(row).toMatchObject({ lastError: NOT_IN_HUBSPOT, notInHubSpotAt: expect.any(Date) });

    // Recorded, not retried: the next flush sends nothing.
    const again = await flushContactWriteBacks({ db, api: app.hubspot.api, logger }, portalId);
    expect(again).toEqual({ sent: 0, missing: 0, batches: 0 });
    expect(batchUpdates(portalId)).toHaveLength(answer === 'batch-error' ? 2 : 1);
  });

  it('still refuses a batch HubSpot rejects for another reason, without calling the contacts missing', async () => {
    const { portalId } = await portalWithPendingWriteBacks(2);
    rig.fake.faults.failNext(1, { status: 400, pathPrefix: '/crm/v3/objects/contacts/batch/update' });
    const report = await flushContactWriteBacks({ db, api: app.hubspot.api, logger }, portalId);
    expect(report.missing).toBe(0);
    // Refused once, sent again on the next round of the same flush.
    expect(batchUpdates(portalId)).toHaveLength(2);
    expect(await pendingRows(portalId)).toEqual([]);
  });
});
