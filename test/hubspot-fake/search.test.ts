import { FilterOperatorEnum as Op, type Filter, type PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HubSpotFake, startHubSpotFake } from './index.js';
import { accountWithToken, apiError } from './test-support.js';

let fake: HubSpotFake;

beforeAll(async () => {
  fake = await startHubSpotFake();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  // Most tests here are not about the search rate limit.
  fake.configure({ searchRateLimit: { max: 1000 } });
});

function request(filterGroups: Filter[][], extra: Partial<PublicObjectSearchRequest> = {}): PublicObjectSearchRequest {
  return { filterGroups: filterGroups.map((filters) => ({ filters })), properties: ['email'], limit: 100, ...extra };
}

function seedPeople(portalId: number) {
  return fake.contacts.seed(portalId, [
    { email: 'ada@analytical.example', firstname: 'Ada', country: 'UK', employees: '12', partner_tier: 'gold' },
    { email: 'bob@builders.example', firstname: 'Bob', country: 'France', employees: '250' },
    { email: 'cleo@analytical.example', firstname: 'Cleo', country: 'uk', employees: '3', partner_tier: 'silver' },
    { email: 'dan@dynamo.example', firstname: 'Dan', employees: '40' },
  ]);
}

describe('POST /crm/v3/objects/contacts/search: matching', () => {
  it('applies EQ case-insensitively, NEQ, IN, HAS_PROPERTY and NOT_HAS_PROPERTY', async () => {
    const { portalId, client } = accountWithToken(fake);
    seedPeople(portalId);
    const emails = async (filters: Filter[][]) => (await client.crm.contacts.searchApi.doSearch(request(filters))).results.map((contact) => contact.properties.email).sort();

    expect(await emails([[{ propertyName: 'country', operator: Op.Eq, value: 'UK' }]])).toEqual(['ada@analytical.example', 'cleo@analytical.example']);
    expect(await emails([[{ propertyName: 'country', operator: Op.Neq, value: 'uk' }]])).toEqual(['bob@builders.example', 'dan@dynamo.example']);
    expect(await emails([[{ propertyName: 'firstname', operator: Op.In, values: ['bob', 'dan'] }]])).toEqual(['bob@builders.example', 'dan@dynamo.example']);
    expect(await emails([[{ propertyName: 'partner_tier', operator: Op.HasProperty }]])).toEqual(['ada@analytical.example', 'cleo@analytical.example']);
    expect(await emails([[{ propertyName: 'partner_tier', operator: Op.NotHasProperty }]])).toEqual(['bob@builders.example', 'dan@dynamo.example']);
  });

  it('matches tokens with CONTAINS_TOKEN, wildcards included', async () => {
    const { portalId, client } = accountWithToken(fake);
    seedPeople(portalId);
    const found = await client.crm.contacts.searchApi.doSearch(request([[{ propertyName: 'email', operator: Op.ContainsToken, value: '*@analytical.example' }]]));
    expect(found.results.map((contact) => contact.properties.email).sort()).toEqual(['ada@analytical.example', 'cleo@analytical.example']);
    const byToken = await client.crm.contacts.searchApi.doSearch(request([[{ propertyName: 'email', operator: Op.ContainsToken, value: 'dynamo' }]]));
    expect(byToken.total).toBe(1);
  });

  it('compares number properties as numbers and datetimes as instants', async () => {
    const { portalId, client } = accountWithToken(fake);
    await client.crm.properties.coreApi.create('contacts', {
      name: 'seats',
      label: 'Seats',
      type: 'number' as never,
      fieldType: 'number' as never,
      groupName: 'contactinformation',
    });
    const seeded = fake.contacts.seed(portalId, [
      { email: 'a@x.example', seats: 9, createdate: '2026-01-01T00:00:00.000Z' },
      { email: 'b@x.example', seats: 10, createdate: '2026-03-01T00:00:00.000Z' },
      { email: 'c@x.example', seats: 100, createdate: '2026-06-01T00:00:00.000Z' },
    ]);
    const gte10 = await client.crm.contacts.searchApi.doSearch(request([[{ propertyName: 'seats', operator: Op.Gte, value: '10' }]]));
    expect(gte10.results.map((contact) => contact.properties.email).sort()).toEqual(['b@x.example', 'c@x.example']);
    const between = await client.crm.contacts.searchApi.doSearch(
      request([[{ propertyName: 'createdate', operator: Op.Between, value: String(Date.parse('2026-02-01T00:00:00Z')), highValue: '2026-07-01T00:00:00Z' }]]),
    );
    expect(between.results.map((contact) => contact.id).sort()).toEqual([seeded[1]!.id, seeded[2]!.id]);
  });

  it('ORs filter groups and ANDs the filters inside one', async () => {
    const { portalId, client } = accountWithToken(fake);
    seedPeople(portalId);
    const found = await client.crm.contacts.searchApi.doSearch(
      request([
        [
          { propertyName: 'country', operator: Op.Eq, value: 'uk' },
          { propertyName: 'partner_tier', operator: Op.Eq, value: 'gold' },
        ],
        [{ propertyName: 'firstname', operator: Op.Eq, value: 'Dan' }],
      ]),
    );
    expect(found.results.map((contact) => contact.properties.email).sort()).toEqual(['ada@analytical.example', 'dan@dynamo.example']);
  });

  it('sorts by one property, both ways', async () => {
    const { portalId, client } = accountWithToken(fake);
    seedPeople(portalId);
    const ascending = await client.crm.contacts.searchApi.doSearch(request([], { sorts: ['firstname'] }));
    expect(ascending.results.map((contact) => contact.properties.email)).toEqual([
      'ada@analytical.example',
      'bob@builders.example',
      'cleo@analytical.example',
      'dan@dynamo.example',
    ]);
    const descending = await client.crm.contacts.searchApi.doSearch(request([], { sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' } as never] }));
    expect(descending.results[0]?.properties.email).toBe('dan@dynamo.example');
  });

  it('leaves archived contacts out, and sees writes only after the configured index lag', async () => {
    const { portalId, client } = accountWithToken(fake);
    const [ada] = seedPeople(portalId);
    fake.contacts.delete(portalId, ada!.id);
    expect((await client.crm.contacts.searchApi.doSearch(request([]))).total).toBe(3);

    fake.configure({ searchIndexLagMs: 150 });
    fake.contacts.seed(portalId, [{ email: 'late@example.com' }]);
    const lagging = await client.crm.contacts.searchApi.doSearch(request([[{ propertyName: 'email', operator: Op.Eq, value: 'late@example.com' }]]));
    expect(lagging.total).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const caughtUp = await client.crm.contacts.searchApi.doSearch(request([[{ propertyName: 'email', operator: Op.Eq, value: 'late@example.com' }]]));
    expect(caughtUp.total).toBe(1);
  });
});

describe('POST /crm/v3/objects/contacts/search: paging and caps', () => {
  it('pages with after, reporting the total', async () => {
    const { portalId, client } = accountWithToken(fake);
    const seeded = fake.contacts.seed(
      portalId,
      Array.from({ length: 25 }, (_, i) => ({ email: `p${i}@example.com` })),
    );
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.searchApi.doSearch(request([], { limit: 10, ...(after ? { after } : {}) }));
      expect(page.total).toBe(25);
      ids.push(...page.results.map((contact) => contact.id));
      after = page.paging?.next?.after;
    } while (after);
    expect(ids).toEqual(seeded.map((contact) => contact.id));
  });

  it('refuses 6 filter groups, 7 filters in a group, 19 filters in all, 2 sorts and a limit above 200', async () => {
    const { client } = accountWithToken(fake);
    const filter: Filter = { propertyName: 'email', operator: Op.HasProperty };
    const cases: PublicObjectSearchRequest[] = [
      request(Array.from({ length: 6 }, () => [filter])),
      request([Array.from({ length: 7 }, () => filter)]),
      request([...Array.from({ length: 3 }, () => Array.from({ length: 6 }, () => filter)), [filter]]),
      request([], { sorts: ['email', 'firstname'] }),
      request([], { limit: 201 }),
    ];
    for (const body of cases) {
      const error = await apiError(client.crm.contacts.searchApi.doSearch(body));
      expect(error.code).toBe(400);
      expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    }
    // The largest allowed search goes through.
    await expect(
      client.crm.contacts.searchApi.doSearch(
        request(
          Array.from({ length: 3 }, () => Array.from({ length: 6 }, () => filter)),
          { limit: 200 },
        ),
      ),
    ).resolves.toBeDefined();
  });

  it('reaches at most 10,000 results: paging.next points past them, and following it answers 400', async () => {
    const { portalId, client } = accountWithToken(fake);
    fake.contacts.seed(
      portalId,
      Array.from({ length: 10_050 }, (_, i) => ({ email: `bulk${i}@example.com` })),
    );
    const lastPage = await client.crm.contacts.searchApi.doSearch(request([], { limit: 200, after: '9800' }));
    expect(lastPage.total).toBe(10_050);
    expect(lastPage.results).toHaveLength(200);
    expect(lastPage.paging?.next?.after).toBe('10000');
    const beyond = await apiError(client.crm.contacts.searchApi.doSearch(request([], { limit: 200, after: '10000' })));
    expect(beyond).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
  });

  it('allows 5 searches per second per account, then answers 429 with the secondly-limit body', async () => {
    fake.configure({ searchRateLimit: { max: 5, windowMs: 1000 } });
    const { client } = accountWithToken(fake);
    const other = accountWithToken(fake);
    const now = Date.now();
    for (let i = 0; i < 5; i++) await client.crm.contacts.searchApi.doSearch(request([]));
    const refused = await apiError(client.crm.contacts.searchApi.doSearch(request([])));
    // Only meaningful if the six calls fitted in one window; they take a few milliseconds.
    expect(Date.now() - now).toBeLessThan(1000);
    expect(refused.code).toBe(429);
    expect(refused.body).toMatchObject({ status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: expect.any(String) });
    // Another account has its own allowance, and CRM calls are not counted against search.
    await expect(other.client.crm.contacts.searchApi.doSearch(request([]))).resolves.toBeDefined();
    await expect(client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });
});
