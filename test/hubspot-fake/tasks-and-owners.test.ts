import { describe, expect, it } from 'vitest';
import type { HubSpotFake } from './index.js';
import { accountWithToken, clientFor, useFreshFake } from './test-support.js';

let fake: HubSpotFake;
useFreshFake((started) => (fake = started));

const SCOPES = ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.owners.read'];

describe('GET /crm/v3/owners/', () => {
  it("finds an account's user by email (exact, any case): the installing user from the start, others once added", async () => {
    const { portalId, client } = accountWithToken(fake, SCOPES);
    const added = fake.owners.add(portalId, { email: 'jane@agency.example', firstName: 'Jane' });
    const page = await client.crm.owners.ownersApi.getPage('Jane@Agency.example', undefined, 1, false);
    expect(page.results).toHaveLength(1);
    expect(page.results[0]).toMatchObject({ id: added.id, email: 'jane@agency.example', firstName: 'Jane', userId: added.userId, archived: false });
    expect((await client.crm.owners.ownersApi.getPage('nobody@agency.example')).results).toEqual([]);
    expect((await client.crm.owners.ownersApi.getPage()).results.map((owner) => owner.email)).toEqual([fake.accounts.list()[0]!.userEmail, 'jane@agency.example']);
  });

  it('refuses a token without crm.objects.owners.read (403 MISSING_SCOPES)', async () => {
    const { client } = accountWithToken(fake, ['crm.objects.contacts.write']);
    await expect(client.crm.owners.ownersApi.getPage('a@b.example')).rejects.toMatchObject({ code: 403 });
  });
});

describe('POST /crm/v3/objects/tasks', () => {
  it('creates a task due at hs_timestamp, assigned to an owner, associated with the contact (type 204)', async () => {
    const { portalId, client } = accountWithToken(fake, SCOPES);
    const [contact] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const owner = fake.owners.add(portalId, { email: 'jane@agency.example' });
    const created = await client.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: '2026-12-01T00:00:00.000Z', hs_task_subject: 'Renew', hubspot_owner_id: owner.id },
      associations: [{ to: { id: contact!.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] }],
    });
    expect(created.properties).toMatchObject({ hs_timestamp: '2026-12-01T00:00:00.000Z', hs_task_subject: 'Renew', hubspot_owner_id: owner.id, hs_task_status: 'NOT_STARTED' });
    expect(fake.tasks.list(portalId)).toEqual([expect.objectContaining({ id: created.id, contactIds: [contact!.id] })]);
    expect((await client.crm.objects.tasks.basicApi.getById(created.id)).id).toBe(created.id);
  });

  it('refuses a task without hs_timestamp, for an unknown owner or contact, or with another association type (400)', async () => {
    const { portalId, client } = accountWithToken(fake, SCOPES);
    const [contact] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const association = (id: string, typeId = 204) => [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: typeId }] }];
    const attempts: Array<{ properties: Record<string, string>; associations: ReturnType<typeof association> }> = [
      { properties: { hs_task_subject: 'x' }, associations: association(contact!.id) },
      { properties: { hs_timestamp: '1764547200000', hubspot_owner_id: '1' }, associations: association(contact!.id) },
      { properties: { hs_timestamp: '1764547200000' }, associations: association('999') },
      { properties: { hs_timestamp: '1764547200000' }, associations: association(contact!.id, 1) },
    ];
    for (const attempt of attempts) await expect(client.crm.objects.tasks.basicApi.create(attempt)).rejects.toMatchObject({ code: 400 });
    expect(fake.tasks.list(portalId)).toEqual([]);
  });

  it('needs crm.objects.contacts.write (403 without it)', async () => {
    const { portalId } = accountWithToken(fake, SCOPES);
    const token = fake.tokens.createPrivateAppToken(portalId, { scopes: ['crm.objects.contacts.read'] });
    await expect(clientFor(fake, token).crm.objects.tasks.basicApi.create({ properties: { hs_timestamp: '1764547200000' }, associations: [] })).rejects.toMatchObject({
      code: 403,
    });
  });
});
