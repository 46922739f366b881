import { afterAll, describe, expect, it } from 'vitest';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { ERASED_CONTACT, eraseContactPersonalData } from './erase-contact-personal-data.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

let nextEventId = 1;

async function arrange() {
  const portalId = await createTestPortal(db);
  const portal = BigInt(portalId);
  await db.contact.createMany({
    data: [
      {
        portalId: portal,
        contactId: '1',
        email: 'ada@lovelace.example',
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: 'Engines Ltd',
        website: 'https://engines.example/ada-lovelace',
        country: 'UK',
      },
      { portalId: portal, contactId: '2', email: 'a.lovelace@old.example', firstName: 'Ada', lastName: 'Lovelace', mergedIntoContactId: '1' },
      { portalId: portal, contactId: '3', email: 'charles@babbage.example', firstName: 'Charles', lastName: 'Babbage' },
    ],
  });
  const registration = await db.registration.create({
    data: {
      portalId: portal,
      domain: 'engines.example',
      website: 'https://engines.example/ada-lovelace',
      companyName: 'Engines Ltd',
      contactName: 'Ada Lovelace',
      country: 'UK',
      contactId: '1',
      searchText: 'engines.example\nengines ltd\nada lovelace\nuk',
      registeredBy: 'rule',
      channel: 'automatic',
    },
  });
  const quote = 'engines.example is already registered to your portal, since 2026-01-01 through contact Ada Lovelace (1).';
  await db.auditEvent.createMany({
    data: [
      {
        portalId: portal,
        action: 'registration_created',
        actor: 'rule',
        registrationId: registration.id,
        domain: 'engines.example',
        contactId: '1',
        details: { website: 'https://engines.example/ada-lovelace' },
      },
      {
        portalId: portal,
        action: 'registration_refused',
        actor: 'rule',
        domain: 'engines.example',
        contactId: '3',
        details: { code: 'ALREADY_REGISTERED', message: quote, contactName: 'Ada Lovelace', contactId: '1' },
      },
    ],
  });
  const event = (objectId: string, propertyName: string, propertyValue: string) => ({
    portalId: portal,
    subscriptionId: 1n,
    eventId: BigInt(nextEventId++),
    occurredAt: new Date(),
    subscriptionType: 'contact.propertyChange',
    objectId,
    payload: { portalId, objectId: Number(objectId), subscriptionType: 'object.propertyChange', objectTypeId: '0-1', propertyName, propertyValue },
  });
  await db.webhookEvent.createMany({
    data: [
      event('1', 'email', 'ada@lovelace.example'),
      event('1', 'firstname', 'Ada'),
      event('1', 'lastname', 'Lovelace'),
      event('1', APP_PROPERTIES.trigger, 'true'),
      event('2', 'email', 'a.lovelace@old.example'),
      event('3', 'firstname', 'Charles'),
    ],
  });
  await db.contactWriteBack.createMany({
    data: [
      { portalId: portal, contactId: '1', properties: { [APP_PROPERTIES.status]: 'registered' } },
      { portalId: portal, contactId: '3', properties: { [APP_PROPERTIES.refusalReason]: quote } },
    ],
  });
  await db.deregistrationJob.create({
    data: {
      portalId: portal,
      selection: { kind: 'search', search: 'Ada Lovelace' },
      total: 1,
      chunkSize: 100,
      requestedBy: 'partner@agency.example',
      channel: 'capacity_manager',
      queueJobId: 'x',
    },
  });
  return { portalId, portal, registrationId: registration.id };
}

describe('eraseContactPersonalData', () => {
  it('erases the person and the contacts merged into it, keeps the claim, and replaces quotes of the person elsewhere', async () => {
    const { portalId, portal, registrationId } = await arrange();
    const report = await eraseContactPersonalData({ db }, { portalId, contactId: '1' });
    expect(report).toEqual({ contacts: 2, registrations: 1, auditEvents: 2, inboxEvents: 4, writeBacks: 2 });

    const contacts = await db.contact.findMany({ where: { portalId: portal }, orderBy: { contactId: 'asc' } });
    expect(contacts.map(({ contactId, email, firstName, lastName, company, website }) => ({ contactId, email, firstName, lastName, company, website }))).toEqual([
      { contactId: '1', email: null, firstName: null, lastName: null, company: null, website: null },
      { contactId: '2', email: null, firstName: null, lastName: null, company: null, website: null },
      { contactId: '3', email: 'charles@babbage.example', firstName: 'Charles', lastName: 'Babbage', company: null, website: null },
    ]);
    expect(contacts[0]!.personalDataErasedAt).not.toBeNull();

    expect(await db.registration.findUniqueOrThrow({ where: { id: registrationId } })).toMatchObject({
      domain: 'engines.example',
      status: 'active',
      website: 'engines.example',
      companyName: 'Engines Ltd',
      country: 'UK',
      contactName: null,
      searchText: 'engines.example\nengines ltd\nuk',
    });

    const audit = await db.auditEvent.findMany({ where: { portalId: portal, contactId: { in: ['1', '3'] } }, orderBy: { id: 'asc' } });
    expect(audit[0]!.details).toEqual({ personalDataErased: true });
    expect(audit[1]!.details).toMatchObject({ code: 'ALREADY_REGISTERED', contactName: ERASED_CONTACT, message: expect.stringContaining(`through contact ${ERASED_CONTACT} (1)`) });

    const inbox = await db.webhookEvent.findMany({ where: { portalId: portal }, orderBy: { id: 'asc' } });
    expect(inbox.map((row) => (row.payload as { propertyValue: string | null }).propertyValue)).toEqual([null, null, null, 'true', null, 'Charles']);

    expect((await db.deregistrationJob.findFirstOrThrow({ where: { portalId: portal } })).selection).toEqual({ kind: 'search', search: ERASED_CONTACT });

    const writeBacks = await db.contactWriteBack.findMany({ where: { portalId: portal } });
    expect(writeBacks).toMatchObject([{ contactId: '3', properties: { [APP_PROPERTIES.refusalReason]: expect.stringContaining(ERASED_CONTACT) } }]);
  });

  it('changes nothing more when run again', async () => {
    const { portalId } = await arrange();
    await eraseContactPersonalData({ db }, { portalId, contactId: '1' });
    expect(await eraseContactPersonalData({ db }, { portalId, contactId: '1' })).toMatchObject({ auditEvents: 0, inboxEvents: 0, writeBacks: 0 });
  });
});
