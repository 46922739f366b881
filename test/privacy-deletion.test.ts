// A privacy deletion erases the person everywhere the app keeps data, end to end: HubSpot's
// contact.privacyDeletion reaches the real server and workers, and afterwards no text or JSON
// column of any table in the database holds the person's name or email, while the domain claim,
// its dates and the capacity count stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { updatePortalSettings } from '../server/portals/change-portal.js';
import { findRegistrations } from '../server/registrations/find-registrations.js';
import { startAppRig, type AppRig } from './support/app-rig.js';
import { TEST_APP_ID } from './support/hubspot.js';

let app: AppRig;
beforeAll(async () => {
  app = await startAppRig();
});
afterAll(() => app.stopAll());

const POLL = { timeout: 15_000, interval: 50 };

/** Every text, varchar, json, jsonb or array column of every table, and the rows whose value contains `needle` (any case). */
async function columnsHolding(needles: string[]): Promise<string[]> {
  const columns = await app.db.$queryRaw<Array<{ table_name: string; column_name: string }>>`
    SELECT c.table_name, c.column_name FROM information_schema.columns AS c
    JOIN information_schema.tables AS t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY') OR c.udt_name = 'citext')`;
  expect(columns.length).toBeGreaterThan(20);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    for (const needle of needles) {
      const [row] = await app.db.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`, needle);
      if (row!.n > 0) hits.push(`${table}.${column} holds "${needle}" (${row!.n} rows)`);
    }
  }
  return hits;
}

describe('privacy deletion', () => {
  // HubSpot sends contact changes as contact.* (legacy subscriptions) or object.* with objectTypeId "0-1" (generic ones).
  it.each(['legacy', 'generic'] as const)(
    'erases the contact from the mirror, registration, audit, inbox and write-backs, keeping the claim; the page says "erased contact" (%s events)',
    async (form) => {
      app.fake.webhooks.setContactEventForm(form);
      try {
        await eraseEverywhere(form);
      } finally {
        app.fake.webhooks.setContactEventForm('legacy');
      }
    },
  );
});

async function eraseEverywhere(form: 'legacy' | 'generic') {
  // A domain of each run's own: claims are exclusive across the program, and both runs share the file's database.
  const domain = `acme-rockets-${form}.com`;
  const portalId = await app.installPortal({ tier: 'untiered' });
  await updatePortalSettings(app.db, { portalId, settings: { autoRegisterNewContacts: true }, actor: 'test' });
  const person = { email: `zelphine.q@${domain}`, firstname: 'Zelphine', lastname: 'Quartermaine' };
  const needles = [person.email, person.firstname, person.lastname, 'z.quartermaine@oldmail.example'];
  expect(await columnsHolding(needles)).toEqual([]);

  // Registered by the new-contact rule, with a website whose path names the person.
  const contact = app.fake.contacts.create(portalId, { ...person, company: 'Acme Rockets', website: `https://${domain}/team/zelphine-quartermaine`, country: 'Sweden' });
  await expect.poll(() => app.fake.contacts.get(portalId, contact.id)?.properties[APP_PROPERTIES.status], POLL).toBe('registered');
  // A second contact for the same domain is refused with a message that names her.
  const colleague = app.fake.contacts.create(portalId, { email: `sam@${domain}`, firstname: 'Sam', website: `${domain}` });
  await expect.poll(() => app.fake.contacts.get(portalId, colleague.id)?.properties[APP_PROPERTIES.refusalReason] ?? '', POLL).toContain('Zelphine Quartermaine');
  // An older record of her, merged into the contact.
  const older = app.fake.contacts.create(portalId, { email: 'z.quartermaine@oldmail.example', firstname: 'Zelphine', lastname: 'Quartermaine' });
  app.fake.contacts.merge(portalId, { primaryId: contact.id, mergedId: older.id });
  await expect.poll(async () => (await app.db.contact.findFirst({ where: { portalId: BigInt(portalId), contactId: older.id } }))?.mergedIntoContactId, POLL).toBe(contact.id);
  await app.fake.webhooks.idle();
  // Write-backs still waiting to go out: one of hers, one quoting her.
  await app.db.$executeRaw`
    INSERT INTO contact_write_backs (portal_id, contact_id, properties) VALUES
      (${BigInt(portalId)}, ${contact.id}, ${JSON.stringify({ [APP_PROPERTIES.status]: 'registered' })}::jsonb),
      (${BigInt(portalId)}, ${colleague.id}, ${JSON.stringify({ [APP_PROPERTIES.refusalReason]: `${domain} is already registered through contact Zelphine Quartermaine` })}::jsonb)
    ON CONFLICT (portal_id, contact_id) DO UPDATE SET properties = EXCLUDED.properties`;
  expect((await columnsHolding(needles)).length).toBeGreaterThan(5);
  const sentAs = await app.db.webhookEvent.findFirstOrThrow({ where: { portalId: BigInt(portalId), subscriptionType: 'contact.creation' } });
  expect((sentAs.payload as { subscriptionType: string }).subscriptionType).toBe(form === 'generic' ? 'object.creation' : 'contact.creation');
  const before = await app.db.registration.findFirstOrThrow({ where: { portalId: BigInt(portalId), contactId: contact.id } });

  app.fake.contacts.privacyDelete(portalId, contact.id);
  await expect.poll(async () => (await app.db.registration.findUniqueOrThrow({ where: { id: before.id } })).contactErasedAt, POLL).not.toBeNull();
  await expect.poll(() => app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: null } }), POLL).toBe(0);

  expect(await columnsHolding(needles)).toEqual([]);
  // The claim stays: domain, dates, status, company, country; the capacity it takes.
  const after = await app.db.registration.findUniqueOrThrow({ where: { id: before.id } });
  expect(after).toMatchObject({
    domain: `${domain}`,
    status: 'active',
    registeredAt: before.registeredAt,
    registeredBy: before.registeredBy,
    companyName: 'Acme Rockets',
    country: 'Sweden',
    contactName: null,
    website: `${domain}`,
  });
  expect(await app.db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(1);
  const page = await findRegistrations(app.db, { portalId, status: 'active', search: 'acme rockets' });
  expect(page.items).toMatchObject([{ domain: `${domain}`, contactName: null, contactErased: true }]);
  expect(await app.db.auditEvent.count({ where: { portalId: BigInt(portalId), contactId: contact.id, action: 'registration_created' } })).toBe(1);
  // Nothing waits to be written to a contact HubSpot no longer has.
  expect(await app.db.contactWriteBack.count({ where: { portalId: BigInt(portalId), contactId: contact.id } })).toBe(0);

  // Events that arrive after the deletion bring nothing back.
  app.fake.webhooks.sendBatch({
    appId: TEST_APP_ID,
    portalId,
    events: [
      app.fake.webhooks.buildEvent({
        appId: TEST_APP_ID,
        portalId,
        subscriptionType: 'contact.propertyChange',
        objectId: contact.id,
        propertyName: 'email',
        propertyValue: person.email,
        occurredAt: Date.now() + 60_000,
      }),
    ],
  });
  await app.fake.webhooks.idle();
  await expect.poll(() => app.db.webhookEvent.count({ where: { portalId: BigInt(portalId), processedAt: null } }), POLL).toBe(0);
  expect(await columnsHolding(needles)).toEqual([]);
}
