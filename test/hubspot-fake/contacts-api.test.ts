import { describe, expect, it } from 'vitest';
import type { HubSpotFake } from './index.js';
import { accountWithToken, apiError, useFreshFake } from './test-support.js';

let fake: HubSpotFake;
useFreshFake((started) => (fake = started));

describe('GET /crm/v3/objects/contacts/{id}', () => {
  it('returns the requested properties as strings, with the ones HubSpot always adds', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com', firstname: 'Ada', company: 'Analytical', partner_tier: 'gold', employees: 12 }]);
    const contact = await client.crm.contacts.basicApi.getById(ada!.id, ['email', 'partner_tier', 'employees', 'website']);
    expect(contact.id).toBe(ada!.id);
    expect(contact.archived).toBe(false);
    expect(contact.properties).toEqual({
      email: 'ada@example.com',
      partner_tier: 'gold',
      employees: '12',
      website: null,
      hs_object_id: ada!.id,
      createdate: expect.any(String),
      lastmodifieddate: expect.any(String),
    });
    expect(contact.createdAt).toBeInstanceOf(Date);
  });

  it('returns the default property set when none is requested', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com', company: 'Analytical' }]);
    const contact = await client.crm.contacts.basicApi.getById(ada!.id);
    expect(Object.keys(contact.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
  });

  it('uses ids above 2^31, as HubSpot’s are', async () => {
    const { portalId } = accountWithToken(fake);
    const [contact] = fake.contacts.seed(portalId, [{ email: 'big@example.com' }]);
    expect(Number(contact!.id)).toBeGreaterThan(2 ** 31);
  });

  it('answers 404 with HubSpot’s error body for an unknown id and for an archived contact', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [gone] = fake.contacts.seed(portalId, [{ email: 'gone@example.com' }]);
    fake.contacts.delete(portalId, gone!.id);
    for (const id of ['999', gone!.id]) {
      const error = await apiError(client.crm.contacts.basicApi.getById(id));
      expect(error.code).toBe(404);
      expect(error.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', message: expect.any(String), correlationId: expect.any(String) });
    }
    const archived = await client.crm.contacts.basicApi.getById(gone!.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
  });

  it('does not show one account’s contacts to another account’s token', async () => {
    const first = accountWithToken(fake);
    const second = accountWithToken(fake);
    const [contact] = fake.contacts.seed(first.portalId, [{ email: 'mine@example.com' }]);
    expect((await apiError(second.client.crm.contacts.basicApi.getById(contact!.id))).code).toBe(404);
  });

  it('reads a merged-away id as the contact it was merged into', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [primary, secondary] = fake.contacts.seed(portalId, [{ email: 'p@example.com' }, { email: 's@example.com', company: 'Acme' }]);
    fake.contacts.merge(portalId, { primaryId: primary!.id, mergedId: secondary!.id });
    const read = await client.crm.contacts.basicApi.getById(secondary!.id, ['email', 'company', 'hs_merged_object_ids']);
    expect(read.id).toBe(primary!.id);
    expect(read.properties).toMatchObject({ email: 'p@example.com', company: 'Acme', hs_merged_object_ids: secondary!.id });
  });
});

describe('GET /crm/v3/objects/contacts (list)', () => {
  it('pages through every live contact with limit and paging.next.after', async () => {
    const { portalId, client } = accountWithToken(fake);
    const seeded = fake.contacts.seed(
      portalId,
      Array.from({ length: 23 }, (_, i) => ({ email: `c${i}@example.com` })),
    );
    fake.contacts.delete(portalId, seeded[5]!.id);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.contacts.basicApi.getPage(10, after, ['email']);
      seen.push(...page.results.map((contact) => contact.id));
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(seeded.filter((_, i) => i !== 5).map((contact) => contact.id));
  });

  it('refuses a limit above 100', async () => {
    const { client } = accountWithToken(fake);
    expect((await apiError(client.crm.contacts.basicApi.getPage(101))).code).toBe(400);
  });
});

describe('POST /crm/v3/objects/contacts/batch/read', () => {
  it('answers 207 with the contacts found and an OBJECT_NOT_FOUND error naming the others', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada, bob] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }, { email: 'bob@example.com' }]);
    const answer = await client.crm.contacts.batchApi.readWithHttpInfo({
      inputs: [{ id: ada!.id }, { id: '404404' }, { id: bob!.id }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(answer.httpStatusCode).toBe(207);
    expect(answer.data.results.map((contact) => contact.properties.email).sort()).toEqual(['ada@example.com', 'bob@example.com']);
    expect(answer.data).toMatchObject({
      status: 'COMPLETE',
      numErrors: 1,
      errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['404404'] } }],
    });
  });

  it('answers 200 when every id exists', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const answer = await client.crm.contacts.batchApi.readWithHttpInfo({ inputs: [{ id: ada!.id }], properties: ['email'], propertiesWithHistory: [] });
    expect(answer.httpStatusCode).toBe(200);
    expect(answer.data.results).toHaveLength(1);
  });

  it("answers a merged-away id with the survivor's record, under the survivor's id", async () => {
    const { portalId, client } = accountWithToken(fake);
    const [primary, merged] = fake.contacts.seed(portalId, [{ email: 'p@example.com' }, { email: 'm@example.com' }]);
    fake.contacts.merge(portalId, { primaryId: primary!.id, mergedId: merged!.id });
    const answer = await client.crm.contacts.batchApi.readWithHttpInfo({ inputs: [{ id: merged!.id }], properties: ['email', 'hs_merged_object_ids'], propertiesWithHistory: [] });
    expect(answer.httpStatusCode).toBe(200);
    expect(answer.data.results).toHaveLength(1);
    expect(answer.data.results[0]).toMatchObject({ id: primary!.id, properties: { email: 'p@example.com', hs_merged_object_ids: merged!.id } });
  });
});

describe('POST /crm/v3/objects/contacts/batch/update', () => {
  it('changes the stored contacts and answers 200 with the updated records', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada, bob] = fake.contacts.seed(portalId, [{ email: 'ada@example.com', company: 'Old' }, { email: 'bob@example.com' }]);
    const answer = await client.crm.contacts.batchApi.updateWithHttpInfo({
      inputs: [
        { id: ada!.id, properties: { company: 'New Co', website: 'new.example' } },
        { id: bob!.id, properties: { company: 'Bob Ltd' } },
      ],
    });
    expect(answer.httpStatusCode).toBe(200);
    expect(answer.data.status).toBe('COMPLETE');
    expect(answer.data.results.find((contact) => contact.id === ada!.id)?.properties).toMatchObject({ company: 'New Co', website: 'new.example' });
    expect(fake.contacts.get(portalId, ada!.id)?.properties).toMatchObject({ company: 'New Co', website: 'new.example', email: 'ada@example.com' });
    expect(fake.contacts.get(portalId, bob!.id)?.properties.company).toBe('Bob Ltd');
    expect(Date.parse(fake.contacts.get(portalId, ada!.id)!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(ada!.updatedAt));
  });

  it('answers 207 for unknown ids, still updating the known ones', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const answer = await client.crm.contacts.batchApi.updateWithHttpInfo({
      inputs: [
        { id: ada!.id, properties: { company: 'Known' } },
        { id: '123456789', properties: { company: 'Unknown' } },
      ],
    });
    expect(answer.httpStatusCode).toBe(207);
    expect(answer.data).toMatchObject({ numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['123456789'] } }] });
    expect(answer.data.results.map((contact) => contact.id)).toEqual([ada!.id]);
    expect(fake.contacts.get(portalId, ada!.id)?.properties.company).toBe('Known');
  });

  it('answers unknown ids with a whole-batch OBJECT_NOT_FOUND error naming them, writing nothing, when configured to', async () => {
    fake.configure({ batchUpdateMissing: 'batch-error' });
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    fake.contacts.delete(portalId, ada!.id);
    const [bob] = fake.contacts.seed(portalId, [{ email: 'bob@example.com' }]);
    const error = await apiError(
      client.crm.contacts.batchApi.update({
        inputs: [
          { id: bob!.id, properties: { company: 'Known' } },
          { id: ada!.id, properties: { company: 'Deleted' } },
          { id: '123456789', properties: { company: 'Unknown' } },
        ],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', correlationId: expect.any(String), context: { ids: [ada!.id, '123456789'] } });
    expect(fake.contacts.get(portalId, bob!.id)?.properties.company).toBeUndefined();
  });

  it('refuses more than 100 inputs with 400 VALIDATION_ERROR and writes nothing', async () => {
    const { portalId, client } = accountWithToken(fake);
    const seeded = fake.contacts.seed(
      portalId,
      Array.from({ length: 101 }, (_, i) => ({ email: `c${i}@example.com` })),
    );
    const error = await apiError(client.crm.contacts.batchApi.update({ inputs: seeded.map((contact) => ({ id: contact.id, properties: { company: 'X' } })) }));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    expect(fake.contacts.list(portalId).filter((contact) => contact.properties.company === 'X')).toHaveLength(0);
  });

  it('refuses an unknown property name with PROPERTY_DOESNT_EXIST and writes nothing', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const error = await apiError(client.crm.contacts.batchApi.update({ inputs: [{ id: ada!.id, properties: { company: 'Fine', partner_capacity_tier: 'gold' } }] }));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(error.body.message).toContain('Property values were not valid');
    expect(error.body.message).toContain('PROPERTY_DOESNT_EXIST');
    expect(error.body.message).toContain('partner_capacity_tier');
    expect(fake.contacts.get(portalId, ada!.id)?.properties.company).toBeUndefined();
  });

  it('refuses the same id twice in one batch', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const error = await apiError(
      client.crm.contacts.batchApi.update({
        inputs: [
          { id: ada!.id, properties: { company: 'A' } },
          { id: ada!.id, properties: { company: 'B' } },
        ],
      }),
    );
    expect(error).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
  });

  it('clears a value set to an empty string', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com', company: 'Acme' }]);
    await client.crm.contacts.batchApi.update({ inputs: [{ id: ada!.id, properties: { company: '' } }] });
    expect(fake.contacts.get(portalId, ada!.id)?.properties.company).toBeUndefined();
    expect((await client.crm.contacts.basicApi.getById(ada!.id, ['company'])).properties.company).toBeNull();
  });
});

describe('single-record writes', () => {
  it('creates a contact (201) and refuses a second one with the same email (409 CONFLICT)', async () => {
    const { portalId, client } = accountWithToken(fake);
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'new@example.com', firstname: 'New' }, associations: [] });
    expect(fake.contacts.get(portalId, created.id)?.properties).toMatchObject({ email: 'new@example.com', firstname: 'New' });
    const error = await apiError(client.crm.contacts.basicApi.create({ properties: { email: 'NEW@example.com' }, associations: [] }));
    expect(error).toMatchObject({ code: 409, body: { category: 'CONFLICT', message: `Contact already exists. Existing ID: ${created.id}` } });
  });

  it('updates one contact with PATCH and archives it with DELETE', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const updated = await client.crm.contacts.basicApi.update(ada!.id, { properties: { lastname: 'Lovelace' } });
    expect(updated.properties.lastname).toBe('Lovelace');
    await client.crm.contacts.basicApi.archive(ada!.id);
    expect(fake.contacts.get(portalId, ada!.id)?.archived).toBe(true);
  });
});
