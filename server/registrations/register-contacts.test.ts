import { afterAll, describe, expect, it } from 'vitest';
import { contactWithDomain, createTestPortal, testDatabase } from '../../test/support/database.js';
import { allowFreeMailDomain, disallowFreeMailDomain } from '../program/allowed-free-mail-domains.js';
import { registerContacts, type ContactToRegister } from './register-contacts.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

const byRule = (domains: string[]): ContactToRegister[] => domains.map((domain) => ({ contact: contactWithDomain(domain), registeredBy: 'rule: test', channel: 'automatic' }));

describe('registerContacts (a batch)', () => {
  it('applies the rules contact by contact in order: the first ones take the room left, the rest are refused', async () => {
    const portalId = await createTestPortal(db, { tier: 'untiered', used: 45 });
    const results = await registerContacts(db, { portalId, contacts: byRule(Array.from({ length: 8 }, (_, n) => `batch-${n}.com`)) });
    expect(results.map((result) => (result.ok ? 'ok' : result.refusal.code))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'CAPACITY_FULL', 'CAPACITY_FULL', 'CAPACITY_FULL']);
    expect(results[4]).toMatchObject({ ok: true, capacity: { used: 50, remaining: 0 } });
    expect(await db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(50);
    expect(await db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'registration_created' } })).toBe(5);
    expect(await db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'registration_refused' } })).toBe(3);
  });

  it('registers a domain once when two contacts of the batch share it, naming the first', async () => {
    const portalId = await createTestPortal(db);
    const [first, second] = await registerContacts(db, {
      portalId,
      contacts: [
        { contact: { contactId: 'c-1', website: 'shared.com', firstName: 'Ada' }, registeredBy: 'rule', channel: 'automatic' },
        { contact: { contactId: 'c-2', website: 'https://www.shared.com/x' }, registeredBy: 'rule', channel: 'automatic' },
      ],
    });
    expect(first).toMatchObject({ ok: true, registration: { domain: 'shared.com', contactId: 'c-1' } });
    expect(second).toMatchObject({ ok: false, refusal: { code: 'ALREADY_REGISTERED', details: { contactId: 'c-1', contactName: 'Ada', sameContact: false } } });
  });

  it('holds the limit between batches racing from several connections', async () => {
    const portalId = await createTestPortal(db, { tier: 'gold', used: 440 });
    const other = testDatabase(4);
    try {
      const batches = await Promise.all(
        Array.from({ length: 4 }, (_, batch) =>
          registerContacts(batch % 2 ? other : db, { portalId, contacts: byRule(Array.from({ length: 30 }, (_, n) => `race-${batch}-${n}.com`)) }),
        ),
      );
      expect(batches.flat().filter((result) => result.ok)).toHaveLength(60);
      expect(await db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(500);
    } finally {
      await other.$disconnect();
    }
  });
});

describe('free-mail and internet-provider domains', () => {
  const websites = ['https://gmail.com', 'outlook.com', 'www.yahoo.com', 'hotmail.com', 'icloud.com', 'gmx.de', 'web.de', 'https://www.telia.com/'];

  it("refuses each as a registered domain, saying to use the company's website, and audits the refusal", async () => {
    const portalId = await createTestPortal(db);
    const results = await registerContacts(db, {
      portalId,
      contacts: websites.map((website, n) => ({ contact: { contactId: `free-${n}`, website }, registeredBy: 'rule: test', channel: 'automatic' })),
    });
    expect(results.map((result) => (result.ok ? result.registration.domain : [result.refusal.code, result.refusal.details]))).toEqual(
      ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'icloud.com', 'gmx.de', 'web.de', 'telia.com'].map((domain, n) => [
        'FREE_MAIL_DOMAIN',
        { contactId: `free-${n}`, domain },
      ]),
    );
    expect(results[7]).toMatchObject({
      ok: false,
      refusal: {
        message:
          "telia.com belongs to a free e-mail or internet provider, not to the company, so it cannot be registered. Put the company's own website in the contact's Website URL property, then register again.",
      },
    });
    expect(await db.registration.count({ where: { portalId: BigInt(portalId) } })).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: 'registration_refused' }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.domain, (event.details as { code: string }).code])).toEqual(
      results.map((_, n) => [['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'icloud.com', 'gmx.de', 'web.de', 'telia.com'][n], 'FREE_MAIL_DOMAIN']),
    );
  });

  it('registers one the operator allowed for the program, and refuses it again once disallowed', async () => {
    // A domain no other test uses: the allowance is program-wide.
    const website = 'https://www.seznam.cz/';
    const contact = (contactId: string): ContactToRegister => ({ contact: { contactId, website }, registeredBy: 'rule: test', channel: 'automatic' });
    try {
      expect(await allowFreeMailDomain(db, { domain: website, actor: 'operator:test' })).toEqual({ domain: 'seznam.cz', changed: true });
      const [allowed] = await registerContacts(db, { portalId: await createTestPortal(db), contacts: [contact('allowed-1')] });
      expect(allowed).toMatchObject({ ok: true, registration: { domain: 'seznam.cz' } });
    } finally {
      await disallowFreeMailDomain(db, { domain: 'seznam.cz', actor: 'operator:test' });
    }
    const [refused] = await registerContacts(db, { portalId: await createTestPortal(db), contacts: [contact('refused-1')] });
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'FREE_MAIL_DOMAIN' } });
  });
});
