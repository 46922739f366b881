// Keyset paging holds while the list changes under it: walking the pages forward (nextCursor)
// while registrations are added and deregistered between page loads never shows a row twice and
// never skips one that was there all along. Also: the total past the exact-count limit is a
// marked estimate.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { deregisterRegistrations } from './deregister-registrations.js';
import { EXACT_TOTAL_LIMIT, type FindRegistrationsInput, findRegistrations, REGISTRATION_SORT_FIELDS } from './find-registrations.js';
import { registerContact } from './register-contact.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

// Few distinct names, so that many rows tie on the sort key and the id must break the tie.
const COMPANIES = ['Åke AB', 'Zeta', 'Ärla', 'Östra', 'Émile SA', 'ema', 'Acme', null];
const COUNTRIES = ['Sweden', 'Åland', null];

let next = 0;
async function register(portalId: number, pick: number): Promise<string> {
  next += 1;
  const result = await registerContact(db, {
    portalId,
    contact: {
      contactId: String(next),
      website: `site-${next}.com`,
      company: COMPANIES[pick % COMPANIES.length] ?? null,
      firstName: 'Pat',
      lastName: COMPANIES[(pick * 3) % COMPANIES.length] ?? null,
      country: COUNTRIES[pick % COUNTRIES.length] ?? null,
    },
    registeredBy: 'prop@agency.example',
    channel: 'card',
  });
  if (!result.ok) throw new Error(result.refusal.message);
  return result.registration.id;
}

const change = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), pick: fc.nat(50), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('deregister' as const), pick: fc.nat(1000) }),
);

describe('findRegistrations paging under change', () => {
  it('never repeats a row, and never skips a row that stayed, across inserts and deregistrations between pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          initial: fc.array(fc.nat(50), { minLength: 5, maxLength: 25 }),
          sortBy: fc.constantFrom(...REGISTRATION_SORT_FIELDS),
          sortDirection: fc.constantFrom('asc' as const, 'desc' as const),
          locale: fc.constantFrom('en' as const, 'sv' as const),
          status: fc.constantFrom('active' as const, 'all' as const),
          pageSize: fc.integer({ min: 1, max: 6 }),
          changes: fc.array(change, { minLength: 1, maxLength: 30 }),
        }),
        async ({ initial, changes, ...order }) => {
          const portalId = await createTestPortal(db, { limitOverride: 10_000 });
          const active: string[] = [];
          for (const pick of initial) active.push(await register(portalId, pick));
          const atStart = new Set(active);
          const touched = new Set<string>();
          const query: FindRegistrationsInput = { portalId, ...order };
          const seen: string[] = [];
          let page = await findRegistrations(db, { ...query, page: 1 });
          for (let step = 0; ; step += 1) {
            seen.push(...page.items.map((item) => item.id));
            if (!page.nextCursor) break;
            if (step > 200) throw new Error(`paging did not end: page ${page.page}, ${seen.length} rows seen`);
            // Each change once, between the first pages; then the list holds still and the walk must end
            // (changes applied forever could add rows behind the cursor faster than pages read them).
            const todo = changes[step];
            if (todo?.kind === 'insert') {
              for (let i = 0; i < todo.count; i += 1) active.push(await register(portalId, todo.pick + i));
            } else if (todo?.kind === 'deregister' && active.length > 0) {
              const [id] = active.splice(todo.pick % active.length, 1);
              await deregisterRegistrations(db, { portalId, registrationIds: [id!], deregisteredBy: 'prop@agency.example' });
              touched.add(id!);
            }
            page = await findRegistrations(db, { ...query, page: page.page + 1, cursor: page.nextCursor });
          }
          expect(new Set(seen).size).toBe(seen.length);
          // In the "all" view a deregistered row stays (same sort key): it must be seen too.
          const stayed = [...atStart].filter((id) => order.status === 'all' || !touched.has(id));
          expect(stayed.filter((id) => !seen.includes(id))).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it("sorts names in the partner's language: Swedish å, ä, ö after z; English accents with their letter", async () => {
    const portalId = await createTestPortal(db, { limitOverride: 100 });
    for (const company of ['Östra', 'Ärla', 'Zeta', 'Åke AB', 'Émile SA', 'Delta', 'Fjord']) {
      next += 1;
      const result = await registerContact(db, { portalId, contact: { contactId: String(next), website: `order-${next}.com`, company }, registeredBy: 'test', channel: 'card' });
      expect(result.ok).toBe(true);
    }
    const companies = async (locale: 'en' | 'sv') =>
      (await findRegistrations(db, { portalId, sortBy: 'companyName', sortDirection: 'asc', locale })).items.map((item) => item.companyName);
    expect(await companies('sv')).toEqual(['Delta', 'Émile SA', 'Fjord', 'Zeta', 'Åke AB', 'Ärla', 'Östra']);
    expect(await companies('en')).toEqual(['Åke AB', 'Ärla', 'Delta', 'Émile SA', 'Fjord', 'Östra', 'Zeta']);
  });

  it('goes back with previousCursor to exactly the pages it came through', async () => {
    const portalId = await createTestPortal(db, { limitOverride: 10_000 });
    for (let pick = 0; pick < 17; pick += 1) await register(portalId, pick);
    const query: FindRegistrationsInput = { portalId, sortBy: 'companyName', locale: 'sv', pageSize: 4 };
    const forward = [await findRegistrations(db, query)];
    while (forward.at(-1)!.nextCursor) {
      const last = forward.at(-1)!;
      forward.push(await findRegistrations(db, { ...query, page: last.page + 1, cursor: last.nextCursor! }));
    }
    expect(forward.map((page) => page.items.length)).toEqual([4, 4, 4, 4, 1]);
    let back = forward.at(-1)!;
    for (let index = forward.length - 2; index >= 0; index -= 1) {
      back = await findRegistrations(db, { ...query, page: back.page - 1, cursor: back.previousCursor! });
      expect(back.items.map((item) => item.id)).toEqual(forward[index]!.items.map((item) => item.id));
    }
    expect(back.previousCursor).toBeNull();
  });

  it('refuses a cursor it did not give out, with a code', async () => {
    await expect(findRegistrations(db, { portalId: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'INVALID_CURSOR', kind: 'invalid' });
  });
});

describe('findRegistrations totals', () => {
  it(`counts exactly up to ${EXACT_TOTAL_LIMIT} matches, and past it says the total is an estimate, rounded`, async () => {
    const portalId = await createTestPortal(db, { limitOverride: 10_000 });
    // 1,500 rows written directly (as the benchmark seeds them): 1,000 match "exactterm".
    await db.$executeRaw`
      INSERT INTO registrations (portal_id, domain, status, website, contact_id, search_text, registered_by, channel)
      SELECT ${BigInt(portalId)}, 'bulk-' || n || '.example', 'active', 'https://bulk-' || n || '.example', n::text,
             CASE WHEN n <= 1000 THEN 'exactterm ' ELSE 'other ' END || n, 'test', 'card'
      FROM generate_series(1, 1500) AS n`;
    await db.$executeRaw`ANALYZE registrations`;
    const exact = await findRegistrations(db, { portalId, search: 'exactterm', pageSize: 10 });
    expect(exact).toMatchObject({ total: 1000, totalIsEstimate: false, pageCount: 100 });
    const estimated = await findRegistrations(db, { portalId, pageSize: 10 });
    expect(estimated.totalIsEstimate).toBe(true);
    expect(estimated.total).toBeGreaterThan(EXACT_TOTAL_LIMIT);
    // Two significant digits: "about 1,500", not "1,487".
    expect(estimated.total % 10 ** (String(estimated.total).length - 2)).toBe(0);
    expect(estimated.pageCount).toBe(Math.ceil(estimated.total / 10));
    expect(estimated.nextCursor).not.toBeNull();
  });
});
