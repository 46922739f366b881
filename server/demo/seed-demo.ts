// The demo portal: a gold partner with a few hundred contacts in its mirror and some of them
// registered through the same use case the card uses. Runs once; a restart keeps what is there.
import type { Database } from '../db/client.js';
import { ensurePortal } from '../portals/ensure-portal.js';
import { registerContact } from '../registrations/register-contact.js';
import { demoContacts } from './demo-contacts.js';

export const DEMO_PORTAL_ID = 24681357;
export const DEMO_PORTAL_NAME = 'Northwind Digital (demo)';

export interface DemoSeedReport {
  created: boolean;
  contacts: number;
  registrations: number;
}

export async function seedDemo(db: Database, { registrations = 180 }: { registrations?: number } = {}): Promise<DemoSeedReport> {
  const { created } = await ensurePortal(db, { portalId: DEMO_PORTAL_ID, name: DEMO_PORTAL_NAME, tier: 'gold', actor: 'demo' });
  if (!created) return { created, contacts: 0, registrations: 0 };

  const contacts = demoContacts();
  await db.contact.createMany({
    data: contacts.map(({ contactId, email, firstName, lastName, company, website, country }) => ({
      portalId: BigInt(DEMO_PORTAL_ID),
      contactId,
      email,
      firstName,
      lastName,
      company,
      website,
      country,
      sourceUpdatedAt: new Date(),
    })),
    skipDuplicates: true,
  });
  let registered = 0;
  for (const [index, contact] of contacts.slice(0, registrations).entries()) {
    const result = await registerContact(db, {
      portalId: DEMO_PORTAL_ID,
      contact,
      registeredBy: index % 3 === 0 ? 'rule: Register as partner lead' : 'alex@northwind.example',
      channel: index % 3 === 0 ? 'automatic' : 'card',
    });
    if (result.ok) registered += 1;
  }
  return { created, contacts: contacts.length, registrations: registered };
}
