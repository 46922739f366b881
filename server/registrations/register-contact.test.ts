import { afterAll, describe, expect, it } from 'vitest';
import { contactWithDomain, createTestPortal, newPortalId, testDatabase } from '../../test/support/database.js';
import { setPortalLimit } from '../portals/change-portal.js';
import { deregisterRegistrations } from './deregister-registrations.js';
import { registerContact, type RegisterContactInput } from './register-contact.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

function registration(portalId: number, contact: RegisterContactInput['contact']): RegisterContactInput {
  return { portalId, contact, registeredBy: 'jane@agency.example', channel: 'card' };
}

async function activeCount(portalId: number) {
  return db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } });
}

describe('registerContact', () => {
  it('snapshots the registrable domain and the contact fields, and audits it in the same transaction', async () => {
    const portalId = await createTestPortal(db);
    const result = await registerContact(db, {
      portalId,
      contact: { contactId: '501', website: 'https://WWW.Shop.Acme.co.uk/about', firstName: 'Åsa', lastName: 'Berg', company: 'Acme Ltd', country: 'United Kingdom' },
      registeredBy: 'jane@agency.example',
      channel: 'card',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.registration).toMatchObject({
      domain: 'acme.co.uk',
      status: 'active',
      website: 'https://WWW.Shop.Acme.co.uk/about',
      companyName: 'Acme Ltd',
      contactName: 'Åsa Berg',
      country: 'United Kingdom',
      contactId: '501',
      registeredBy: 'jane@agency.example',
      channel: 'card',
    });
    expect(result.capacity).toMatchObject({ used: 1, limit: 500, remaining: 499, tier: 'gold' });
    const audit = await db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: 'registration_created' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'jane@agency.example', channel: 'card', domain: 'acme.co.uk', contactId: '501' });
    expect(audit[0]!.registrationId?.toString()).toBe(result.registration.id);
  });

  it('refuses a contact without a website, saying how to fix it, and audits the refusal', async () => {
    const portalId = await createTestPortal(db);
    const result = await registerContact(db, registration(portalId, { contactId: '9', website: null }));
    expect(result).toMatchObject({ ok: false, refusal: { code: 'NO_WEBSITE' } });
    if (!result.ok) expect(result.refusal.message).toMatch(/Website URL property/);
    expect(await activeCount(portalId)).toBe(0);
    const refused = await db.auditEvent.findFirst({ where: { portalId: BigInt(portalId), action: 'registration_refused' } });
    expect(refused?.details).toMatchObject({ code: 'NO_WEBSITE' });
  });

  it('refuses an unusable website with the reason', async () => {
    const portalId = await createTestPortal(db);
    const result = await registerContact(db, registration(portalId, { contactId: '9', website: 'http://192.168.1.10/' }));
    expect(result).toMatchObject({ ok: false, refusal: { code: 'INVALID_WEBSITE', details: { reason: 'it is an IP address, not a domain' } } });
  });

  it('registers a domain once: a second contact of the same company is told when and through whom', async () => {
    const portalId = await createTestPortal(db);
    const first = await registerContact(db, registration(portalId, { contactId: '1', website: 'acme.com', firstName: 'Ada', lastName: 'Lovelace' }));
    expect(first.ok).toBe(true);
    const second = await registerContact(db, registration(portalId, { contactId: '2', website: 'https://sales.acme.com' }));
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.refusal.code).toBe('ALREADY_REGISTERED');
    const today = new Date().toISOString().slice(0, 10);
    expect(second.refusal.message).toBe(
      `acme.com is already registered to your portal, since ${today} through contact Ada Lovelace (1). A domain is registered once; nothing more is needed.`,
    );
    expect(await activeCount(portalId)).toBe(1);
  });

  it('refuses the 501st domain for a gold partner, saying used and limit', async () => {
    const portalId = await createTestPortal(db, { tier: 'gold', used: 500 });
    const result = await registerContact(db, registration(portalId, contactWithDomain('one-too-many.com')));
    expect(result).toMatchObject({ ok: false, refusal: { code: 'CAPACITY_FULL', details: { used: 500, limit: 500, tier: 'gold' } } });
    if (!result.ok) expect(result.refusal.message).toMatch(/500 of 500 domains are registered \(gold tier\)\. Deregister/);
    expect(await activeCount(portalId)).toBe(500);
  });

  it.each([
    ['untiered', 50],
    ['silver', 500],
    ['platinum', 500],
    ['diamond', 1000],
  ] as const)('holds a %s partner to %i domains', async (tier, limit) => {
    const portalId = await createTestPortal(db, { tier, used: limit - 1 });
    expect((await registerContact(db, registration(portalId, contactWithDomain(`last-one-${tier}.com`)))).ok).toBe(true);
    const refused = await registerContact(db, registration(portalId, contactWithDomain('over.com')));
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'CAPACITY_FULL', details: { used: limit, limit } } });
  });

  it("lets the operator's override win over the tier", async () => {
    const portalId = await createTestPortal(db, { tier: 'untiered', limitOverride: 52, used: 51 });
    expect((await registerContact(db, registration(portalId, contactWithDomain('fifty-two.com')))).ok).toBe(true);
    expect((await registerContact(db, registration(portalId, contactWithDomain('fifty-three.com')))).ok).toBe(false);
  });

  it('keeps every registration when the limit is lowered below what is used, and refuses new ones', async () => {
    const portalId = await createTestPortal(db, { tier: 'gold', used: 40 });
    await setPortalLimit(db, { portalId, limit: 30, actor: 'operator' });
    expect(await activeCount(portalId)).toBe(40);
    const result = await registerContact(db, registration(portalId, contactWithDomain('no-room.com')));
    expect(result).toMatchObject({ ok: false, refusal: { code: 'CAPACITY_FULL', details: { used: 40, limit: 30 } }, capacity: { remaining: 0 } });
  });

  it('can register again as soon as a deregistration frees a unit', async () => {
    const portalId = await createTestPortal(db, { tier: 'untiered', used: 49 });
    const last = await registerContact(db, registration(portalId, contactWithDomain('fiftieth.com')));
    if (!last.ok) throw new Error('expected the 50th registration to succeed');
    expect((await registerContact(db, registration(portalId, contactWithDomain('waiting.com')))).ok).toBe(false);
    await deregisterRegistrations(db, { portalId, registrationIds: [last.registration.id], deregisteredBy: 'jane@agency.example' });
    expect((await registerContact(db, registration(portalId, contactWithDomain('waiting.com')))).ok).toBe(true);
  });

  it('registers a deregistered domain again as a new registration, keeping the old one as history', async () => {
    const portalId = await createTestPortal(db);
    const first = await registerContact(db, registration(portalId, contactWithDomain('again.com')));
    if (!first.ok) throw new Error('expected a registration');
    await deregisterRegistrations(db, { portalId, registrationIds: [first.registration.id], deregisteredBy: 'jane@agency.example' });
    const second = await registerContact(db, registration(portalId, contactWithDomain('again.com')));
    expect(second.ok).toBe(true);
    const rows = await db.registration.findMany({ where: { portalId: BigInt(portalId), domain: 'again.com' }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => row.status)).toEqual(['deregistered', 'active']);
  });

  it('refuses a portal that has not installed the app', async () => {
    const portalId = newPortalId();
    const result = await registerContact(db, registration(portalId, contactWithDomain('nobody.com')));
    expect(result).toMatchObject({ ok: false, refusal: { code: 'PORTAL_NOT_FOUND' }, capacity: null });
  });
});

describe('registerContact under concurrency', () => {
  it('gives exactly 10 of 100 concurrent registrations to a portal with 10 units left, from several connections', async () => {
    const portalId = await createTestPortal(db, { tier: 'gold', used: 490 });
    // Two clients, two pools: the lock must hold across connections, as across processes.
    const otherProcess = testDatabase(10);
    try {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, n) => registerContact(n % 2 === 0 ? db : otherProcess, registration(portalId, contactWithDomain(`concurrent-${n}.com`)))),
      );
      const successes = results.filter((result) => result.ok);
      const refusals = results.filter((result) => !result.ok);
      expect(successes).toHaveLength(10);
      expect(refusals.every((result) => !result.ok && result.refusal.code === 'CAPACITY_FULL')).toBe(true);
      expect(await activeCount(portalId)).toBe(500);
      const connections = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`;
      expect(connections[0]!.n).toBeGreaterThan(1);
    } finally {
      await otherProcess.$disconnect();
    }
  });

  it('registers a domain once when 20 contacts race for it', async () => {
    const portalId = await createTestPortal(db);
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => registerContact(db, registration(portalId, { contactId: `racer-${n}`, website: 'race.com' }))));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.refusal.code === 'ALREADY_REGISTERED')).toHaveLength(19);
    expect(await activeCount(portalId)).toBe(1);
  });
});
