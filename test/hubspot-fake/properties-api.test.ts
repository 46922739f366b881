import type { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { describe, expect, it } from 'vitest';
import type { HubSpotFake } from './index.js';
import { accountWithToken, apiError, useFreshFake } from './test-support.js';

let fake: HubSpotFake;
useFreshFake((started) => (fake = started));

const tierProperty = {
  name: 'partner_capacity_tier',
  label: 'Partner capacity tier',
  type: 'enumeration' as PropertyCreateTypeEnum,
  fieldType: 'select' as PropertyCreateFieldTypeEnum,
  groupName: 'partner_capacity',
  options: [
    { label: 'Gold', value: 'gold', displayOrder: 0, hidden: false },
    { label: 'Silver', value: 'silver', displayOrder: 1, hidden: false },
  ],
};

describe('contact Properties API', () => {
  it('creates a group and a property (201), which contacts can then carry', async () => {
    const { portalId, client } = accountWithToken(fake);
    const group = await client.crm.properties.groupsApi.create('contacts', { name: 'partner_capacity', label: 'Partner Capacity', displayOrder: 1 });
    expect(group).toMatchObject({ name: 'partner_capacity', label: 'Partner Capacity', archived: false });
    const property = await client.crm.properties.coreApi.create('contacts', tierProperty);
    expect(property).toMatchObject({ name: 'partner_capacity_tier', type: 'enumeration', groupName: 'partner_capacity', hubspotDefined: false });
    expect(property.options.map((option) => option.value)).toEqual(['gold', 'silver']);

    const all = await client.crm.properties.coreApi.getAll('contacts');
    expect(all.results.map((definition) => definition.name)).toContain('partner_capacity_tier');
    expect((await client.crm.properties.groupsApi.getAll('contacts')).results.map((g) => g.name)).toContain('partner_capacity');
    expect(fake.properties.get(portalId, 'partner_capacity_tier')?.label).toBe('Partner capacity tier');

    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    await client.crm.contacts.batchApi.update({ inputs: [{ id: ada!.id, properties: { partner_capacity_tier: 'gold' } }] });
    expect(fake.contacts.get(portalId, ada!.id)?.properties.partner_capacity_tier).toBe('gold');
  });

  it('answers 409 when the property name or the group name exists', async () => {
    const { client } = accountWithToken(fake);
    await client.crm.properties.groupsApi.create('contacts', { name: 'partner_capacity', label: 'Partner Capacity' });
    await client.crm.properties.coreApi.create('contacts', tierProperty);
    const property = await apiError(client.crm.properties.coreApi.create('contacts', tierProperty));
    expect(property.code).toBe(409);
    expect(property.body).toMatchObject({
      status: 'error',
      category: 'OBJECT_ALREADY_EXISTS',
      message: expect.stringContaining('partner_capacity_tier'),
      correlationId: expect.any(String),
    });
    const group = await apiError(client.crm.properties.groupsApi.create('contacts', { name: 'partner_capacity', label: 'Again' }));
    expect(group.code).toBe(409);
  });

  it('refuses a built-in name with 409 and a property in a missing group with 400', async () => {
    const { client } = accountWithToken(fake);
    expect((await apiError(client.crm.properties.coreApi.create('contacts', { ...tierProperty, name: 'email', groupName: 'contactinformation' }))).code).toBe(409);
    expect((await apiError(client.crm.properties.coreApi.create('contacts', tierProperty))).code).toBe(400);
  });

  it('reads one property, and answers 404 for an unknown one', async () => {
    const { client } = accountWithToken(fake);
    expect((await client.crm.properties.coreApi.getByName('contacts', 'email')).hubspotDefined).toBe(true);
    expect((await apiError(client.crm.properties.coreApi.getByName('contacts', 'no_such_property'))).code).toBe(404);
  });

  it('needs the schema scopes', async () => {
    const { client } = accountWithToken(fake, ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read']);
    await expect(client.crm.properties.coreApi.getAll('contacts')).resolves.toBeDefined();
    const error = await apiError(client.crm.properties.groupsApi.create('contacts', { name: 'g', label: 'G' }));
    expect(error).toMatchObject({ code: 403, body: { category: 'MISSING_SCOPES' } });
  });
});
