import { afterAll, describe, expect, it } from 'vitest';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { registerContact } from './register-contact.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

// HubSpot's API is JSON: a property can carry any character JSON can escape, and PostgreSQL
// stores neither U+0000 nor half of a surrogate pair. Names are also cut to 500 characters,
// which must never cut a pair in two.
describe('registerContact with text PostgreSQL cannot store as sent', () => {
  it.each([
    ['a name cut in the middle of an emoji', { company: `${'a'.repeat(499)}😀 AB` }, { companyName: 'a'.repeat(499) }],
    ['a U+0000', { company: 'Acme\u0000 AB' }, { companyName: 'Acme\ufffd AB' }],
    ['an unpaired surrogate', { lastName: 'Berg\udc00' }, { contactName: 'Åsa Berg\ufffd' }],
  ])('registers a contact with %s, storing it readable', async (what, fields, expected) => {
    const portalId = await createTestPortal(db);
    // One domain per case: claims are exclusive across the program's partners.
    const website = `https://text-${what.replace(/\W+/g, '-')}.com`;
    const result = await registerContact(db, {
      portalId,
      contact: { contactId: '601', website, firstName: 'Åsa', lastName: 'Berg', company: 'Acme AB', country: 'Sweden', ...fields },
      registeredBy: 'jane@agency.example',
      channel: 'card',
    });
    expect(result.ok ? 'ok' : result.refusal).toBe('ok');
    if (result.ok) expect(result.registration).toMatchObject(expected);
  });

  it.each([
    ['a U+0000', 'https://acme\u0000-text.com'],
    ['an unpaired surrogate', 'https://acme\udc00-text.com'],
  ])('refuses a website holding %s as not a website, and audits the refusal', async (_what, website) => {
    const portalId = await createTestPortal(db);
    const result = await registerContact(db, { portalId, contact: { contactId: '602', website }, registeredBy: 'jane@agency.example', channel: 'card' });
    expect(result.ok ? 'ok' : result.refusal.code).toBe('INVALID_WEBSITE');
    expect(await db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'registration_refused' } })).toBe(1);
  });
});
