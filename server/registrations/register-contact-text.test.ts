import { afterAll, describe, expect, it } from 'vitest';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { registerContact } from './register-contact.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

// Names are cut to 500 characters, which must never cut a surrogate pair in two: PostgreSQL
// refuses half a pair. (Text from HubSpot arrives storable: hubspot-api.ts, contactRecord.)
describe('registerContact with long names', () => {
  it('cuts a name in the middle of an emoji before the emoji, and registers it', async () => {
    const portalId = await createTestPortal(db);
    const result = await registerContact(db, {
      portalId,
      contact: { contactId: '601', website: 'https://text-cut-emoji.com', firstName: 'Åsa', lastName: 'Berg', company: `${'a'.repeat(499)}😀 AB`, country: 'Sweden' },
      registeredBy: 'jane@agency.example',
      channel: 'card',
    });
    expect(result.ok ? 'ok' : result.refusal).toBe('ok');
    if (result.ok) expect(result.registration.companyName).toBe('a'.repeat(499));
  });
});
