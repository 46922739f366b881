import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, type HubSpotTestRig } from '../../test/support/hubspot.js';
import { HubSpotDisconnectedError, HubSpotUnavailableError } from './hubspot-errors.js';
import { readContact } from './read-contact.js';

const db = testDatabase();
let rig: HubSpotTestRig;
// Time compressed: HubSpot's 110 per 10 s becomes 110 per second, our budget 100 per second.
const WINDOW_MS = 1000;

beforeAll(async () => {
  rig = await startHubSpotRig({ crmRateLimit: { max: 110, windowMs: WINDOW_MS } });
});
afterAll(async () => {
  await rig.stop();
  await db.$disconnect();
});

describe('HubSpot API through the real @hubspot/api-client', () => {
  it('reads a contact as HubSpot holds it, and null for one it does not have', async () => {
    const app = hubspotProcess(rig, db);
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      const [contact] = rig.fake.contacts.seed(portalId, [
        { email: 'ada@acme.com', firstname: 'Ada', lastname: 'Lovelace', company: 'Acme', website: 'https://acme.com', country: 'Sweden' },
      ]);
      const api = app.hubspot.api.forPortal(portalId, 'interactive');
      expect(await readContact(api, contact!.id)).toEqual({
        contactId: contact!.id,
        website: 'https://acme.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@acme.com',
        company: 'Acme',
        country: 'Sweden',
      });
      expect(await readContact(api, '404404404')).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('reads values holding text PostgreSQL refuses (U+0000, half a surrogate pair) with U+FFFD in their place, one by one and in a batch', async () => {
    const app = hubspotProcess(rig, db);
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      const [contact] = rig.fake.contacts.seed(portalId, [{ email: 'nul@odd.com', company: 'Odd\u0000 AB', lastname: 'Half\udc00', website: 'https://odd.com' }]);
      const api = app.hubspot.api.forPortal(portalId, 'interactive');
      expect(await readContact(api, contact!.id)).toMatchObject({ company: 'Odd\ufffd AB', lastName: 'Half\ufffd', website: 'https://odd.com' });
      const [read] = await api.batchReadContacts([contact!.id], ['company', 'lastname']);
      expect(read!.properties).toMatchObject({ company: 'Odd\ufffd AB', lastname: 'Half\ufffd' });
    } finally {
      await app.close();
    }
  });

  it('maps a merged-away contact read in a batch back to the id asked for, with the survivor it was merged into', async () => {
    const app = hubspotProcess(rig, db);
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      const [survivor, mergedAway, other] = rig.fake.contacts.seed(portalId, [{ email: 'keep@acme.com' }, { email: 'old@acme.com' }, { email: 'other@acme.com' }]);
      rig.fake.contacts.merge(portalId, { primaryId: survivor!.id, mergedId: mergedAway!.id });
      const records = await app.hubspot.api.forPortal(portalId, 'sync').batchReadContacts([mergedAway!.id, other!.id, '404404404'], ['email']);
      expect(records.map((record) => [record.id, record.mergedIntoId, record.properties.email])).toEqual([
        [mergedAway!.id, survivor!.id, 'keep@acme.com'],
        [other!.id, undefined, 'other@acme.com'],
      ]);
      // The property used to map it is not handed to callers that did not ask for it.
      expect(records[0]!.properties).not.toHaveProperty('hs_merged_object_ids');
      // Asking for the survivor and the merged id at once answers both.
      const both = await app.hubspot.api.forPortal(portalId, 'sync').batchReadContacts([survivor!.id, mergedAway!.id], ['email']);
      expect(both.map((record) => [record.id, record.mergedIntoId])).toEqual([
        [survivor!.id, undefined],
        [mergedAway!.id, survivor!.id],
      ]);
    } finally {
      await app.close();
    }
  });

  it('refreshes an expired token once, even when several processes need it at the same moment', async () => {
    const processes = Array.from({ length: 4 }, () => hubspotProcess(rig, db));
    try {
      const portalId = await installedPortal(rig, db, processes[0]!.hubspot);
      const [contact] = rig.fake.contacts.seed(portalId, [{ email: 'x@acme.com' }]);
      rig.fake.tokens.expire();
      const refreshesBefore = rig.fake.requests.all({ kind: 'oauth' }).filter((request) => request.path === '/oauth/2026-03/token').length;
      const reads = await Promise.all(
        processes.flatMap((process) => [1, 2, 3].map(() => process.hubspot.api.forPortal(portalId, 'interactive').getContact(contact!.id, ['email']))),
      );
      expect(reads.every((read) => read?.properties.email === 'x@acme.com')).toBe(true);
      const refreshes = rig.fake.requests.all({ kind: 'oauth' }).filter((request) => request.path === '/oauth/2026-03/token').length - refreshesBefore;
      expect(refreshes).toBe(1);
    } finally {
      await Promise.all(processes.map((process) => process.close()));
    }
  });

  it('keeps three processes together within the portal rate limit', async () => {
    const processes = Array.from({ length: 3 }, () => hubspotProcess(rig, db, { rateLimitWindowMs: WINDOW_MS }));
    try {
      const portalId = await installedPortal(rig, db, processes[0]!.hubspot);
      const [contact] = rig.fake.contacts.seed(portalId, [{ email: 'busy@acme.com' }]);
      const started = Date.now();
      await Promise.all(
        processes.flatMap((process) => Array.from({ length: 80 }, () => process.hubspot.api.forPortal(portalId, 'interactive').getContact(contact!.id, ['email']))),
      );
      const answers = rig.fake.requests.all({ portalId, kind: 'crm' });
      expect(answers.filter((request) => request.status === 429)).toHaveLength(0);
      expect(rig.fake.requests.peakInWindow(portalId, { windowMs: WINDOW_MS })).toBeLessThanOrEqual(100);
      // 240 calls at 100 per window cannot take less than two windows.
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * WINDOW_MS - 50);
    } finally {
      await Promise.all(processes.map((process) => process.close()));
    }
  });

  it('leaves bulk work only part of the budget, so interactive calls still find room', async () => {
    const app = hubspotProcess(rig, db, { rateLimitWindowMs: 60_000 });
    try {
      // No property creation at install: those calls would count in this long window too.
      const portalId = await installedPortal(rig, db, app.hubspot, { withAppProperties: false });
      for (let call = 0; call < 70; call += 1) await app.hubspot.limiter.acquire(portalId, 'bulk');
      const bulkWaits = await Promise.race([app.hubspot.limiter.acquire(portalId, 'bulk').then(() => false), new Promise((resolve) => setTimeout(() => resolve(true), 300))]);
      expect(bulkWaits).toBe(true);
      await app.hubspot.limiter.acquire(portalId, 'interactive');
      expect(await app.hubspot.limiter.inWindow(portalId)).toBe(71);
    } finally {
      await app.close();
    }
  });

  it('waits out a storm of 429s and 5xx answers, then succeeds', async () => {
    const app = hubspotProcess(rig, db);
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      const [contact] = rig.fake.contacts.seed(portalId, [{ email: 'storm@acme.com' }]);
      rig.fake.faults.rateLimitStorm(400);
      expect((await app.hubspot.api.forPortal(portalId, 'sync').getContact(contact!.id, ['email']))?.properties.email).toBe('storm@acme.com');
      rig.fake.faults.failNext(3, { status: 503 });
      expect((await app.hubspot.api.forPortal(portalId, 'sync').getContact(contact!.id, ['email']))?.properties.email).toBe('storm@acme.com');
    } finally {
      rig.fake.faults.clear();
      await app.close();
    }
  });

  it('gives up on a HubSpot that keeps failing, with an error a job can retry on', async () => {
    const app = hubspotProcess(rig, db, { maxAttempts: 3 });
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      rig.fake.faults.failNext(10, { status: 502 });
      await expect(app.hubspot.api.forPortal(portalId, 'sync').getContact('1', ['email'])).rejects.toThrow(HubSpotUnavailableError);
    } finally {
      rig.fake.faults.clear();
      await app.close();
    }
  });

  it('marks a revoked install disconnected instead of retrying forever', async () => {
    const app = hubspotProcess(rig, db);
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      rig.fake.installs.revoke(3_999_001, portalId);
      await expect(app.hubspot.api.forPortal(portalId, 'sync').getContact('1', ['email'])).rejects.toThrow(HubSpotDisconnectedError);
      expect((await db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).installState).toBe('disconnected');
      await expect(app.hubspot.api.forPortal(portalId, 'sync').getContact('1', ['email'])).rejects.toThrow(/install the app again/);
    } finally {
      await app.close();
    }
  });

  it('stores tokens encrypted', async () => {
    const app = hubspotProcess(rig, db);
    try {
      const portalId = await installedPortal(rig, db, app.hubspot);
      const stored = await db.hubSpotInstall.findUniqueOrThrow({ where: { portalId: BigInt(portalId) } });
      const token = await app.hubspot.installs.accessToken(portalId);
      expect(stored.accessToken).not.toContain(token);
      expect(stored.accessToken).toMatch(/^v1\.demo\./);
    } finally {
      await app.close();
    }
  });
});
