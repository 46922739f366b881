// Exclusive claims: a domain has at most one active registration across the program, whatever the door.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { contactWithDomain, createTestPortal, testDatabase } from '../../test/support/database.js';
import { withPortalLock } from './portal-lock.js';
import { CLAIM_STATE } from './program-claims.js';
import { registerContacts, type RegisterContactResult } from './register-contacts.js';
import { restoreRegistrations } from './restore-registrations.js';
import { updateProgramSettings } from '../program/program-settings.js';

const db = testDatabase(40);
afterAll(() => db.$disconnect());
// Each test starts from the defaults: exclusive, no claim period.
afterEach(() => updateProgramSettings(db, { changes: { claimMode: 'exclusive', claimPeriodDays: null, claimPeriodDaysByTier: {} }, actor: 'test' }));

const register = (portalId: number, domain: string, contactId?: string) =>
  registerContacts(db, {
    portalId,
    contacts: [
      {
        contact: { ...contactWithDomain(domain, { firstName: 'Held', lastName: 'Holder' }), ...(contactId ? { contactId } : {}) },
        registeredBy: 'someone@partner.example',
        channel: 'card',
      },
    ],
  }).then(([result]) => result!);

const codeOf = (result: RegisterContactResult) => (result.ok ? 'ok' : result.refusal.code);

describe('exclusive claims (the default)', () => {
  it('refuses a domain another partner holds with DOMAIN_HELD: since when, until when, never who; audited', async () => {
    const holder = await createTestPortal(db);
    const other = await createTestPortal(db);
    expect(codeOf(await register(holder, 'held-once.com', 'holder-contact'))).toBe('ok');

    const refused = await register(other, 'held-once.com');
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'DOMAIN_HELD', details: { domain: 'held-once.com', heldUntil: null, canJoinWaitlist: true } } });
    const text = JSON.stringify(refused);
    for (const secret of [String(holder), 'holder-contact', 'Held Holder', 'someone@partner.example']) expect(text).not.toContain(secret);
    expect(refused.ok ? null : refused.refusal.message).toMatch(/held by another partner of the program since \d{4}-\d\d-\d\d\. Join the waitlist/);

    const audit = await db.auditEvent.findFirst({ where: { portalId: BigInt(other), action: 'registration_refused' } });
    expect(audit?.details).toMatchObject({ code: 'DOMAIN_HELD', domain: 'held-once.com' });
    expect(await db.registration.count({ where: { domain: 'held-once.com', status: 'active' } })).toBe(1);
  });

  it('says until when a claim holds when claims expire', async () => {
    await updateProgramSettings(db, { changes: { claimPeriodDays: 30 }, actor: 'test' });
    const holder = await createTestPortal(db);
    const other = await createTestPortal(db);
    const held = await register(holder, 'expiring-hold.com');
    expect(held.ok && held.registration.expiresAt).toBeTruthy();
    const refused = await register(other, 'expiring-hold.com');
    expect(refused.ok ? null : refused.refusal.details).toMatchObject({ heldUntil: held.ok ? held.registration.expiresAt : 'x' });
  });

  it('lets partners share domains in shared mode, and refuses new ones again once exclusive, keeping what is held', async () => {
    await updateProgramSettings(db, { changes: { claimMode: 'shared' }, actor: 'test' });
    const [first, second, third] = [await createTestPortal(db), await createTestPortal(db), await createTestPortal(db)];
    expect(codeOf(await register(first, 'shared-mode.com'))).toBe('ok');
    expect(codeOf(await register(second, 'shared-mode.com'))).toBe('ok');

    await updateProgramSettings(db, { changes: { claimMode: 'exclusive' }, actor: 'test' });
    expect(await db.registration.count({ where: { domain: 'shared-mode.com', status: 'active' } })).toBe(2);
    expect(codeOf(await register(third, 'shared-mode.com'))).toBe('DOMAIN_HELD');
  });

  it('refuses an undo that would bring back a domain another partner registered since', async () => {
    const portalId = await createTestPortal(db);
    const other = await createTestPortal(db);
    const made = await register(portalId, 'undo-held.com');
    if (!made.ok) throw new Error('not registered');
    const jobId = '00000000-0000-4000-8000-000000000001';
    await db.registration.update({ where: { id: BigInt(made.registration.id) }, data: { status: 'deregistered', deregisteredAt: new Date(), deregistrationJobId: jobId } });
    expect(codeOf(await register(other, 'undo-held.com'))).toBe('ok');

    const [restored] = await withPortalLock(db, portalId, (sql, portal) =>
      restoreRegistrations(sql, portal!, { portalId, registrationIds: [made.registration.id], endedByJobId: jobId, restoredBy: 'test' }),
    );
    expect(restored).toMatchObject({ ok: false, refusal: { code: 'DOMAIN_HELD' } });
    expect(await db.registration.count({ where: { domain: 'undo-held.com', status: 'active' } })).toBe(1);
  });
});

describe('exclusive claims under concurrency', () => {
  it('2 portals × 16 callers racing for the same 50 domains from separate connections: each held once, the rest DOMAIN_HELD', async () => {
    const portals = [await createTestPortal(db), await createTestPortal(db)];
    const domains = Array.from({ length: 50 }, (_, n) => `race-${n}-claims.com`);
    // Every portal tries every domain once, spread over its 16 callers, each caller in its own order.
    const results = await Promise.all(
      portals.flatMap((portalId) =>
        Array.from({ length: 16 }, async (_, caller) => {
          const mine = domains.filter((_, n) => n % 16 === caller).reverse();
          const outcomes: string[] = [];
          for (const domain of mine) outcomes.push(codeOf(await register(portalId, domain)));
          return outcomes;
        }),
      ),
    );
    const codes = results.flat();
    expect(codes.filter((code) => code === 'ok')).toHaveLength(50);
    expect(codes.filter((code) => code === 'DOMAIN_HELD')).toHaveLength(50);
    const held = await db.$queryRaw<Array<{ domain: string; holders: number }>>`
      SELECT domain, count(*)::int AS holders FROM registrations WHERE status = 'active' AND domain LIKE 'race-%-claims.com' GROUP BY domain`;
    expect(held).toHaveLength(50);
    expect(held.every((row) => row.holders === 1)).toBe(true);
  });

  it('keeps each portal at its limit exactly while they race for the same domains', async () => {
    const portals = [await createTestPortal(db, { limitOverride: 20 }), await createTestPortal(db, { limitOverride: 15 })];
    const domains = Array.from({ length: 50 }, (_, n) => `limit-race-${n}-claims.com`);
    const results = await Promise.all(
      portals.flatMap((portalId) =>
        Array.from({ length: 16 }, async (_, caller) => {
          const outcomes: string[] = [];
          for (const domain of domains.filter((_, n) => n % 16 === caller)) outcomes.push(codeOf(await register(portalId, domain)));
          return outcomes;
        }),
      ),
    );
    const codes = results.flat();
    expect(new Set(codes)).toEqual(new Set(['ok', 'DOMAIN_HELD', 'CAPACITY_FULL']));
    const counts = await Promise.all(portals.map((portalId) => db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })));
    expect(counts).toEqual([20, 15]);
    const [row] = await db.$queryRaw<Array<{ twice: number }>>`
      SELECT count(*)::int AS twice FROM (SELECT domain FROM registrations WHERE status = 'active' AND domain LIKE 'limit-race-%' GROUP BY domain HAVING count(*) > 1) AS d`;
    expect(row?.twice).toBe(0);
  });
});

describe('the claim check as the database plans it', () => {
  // CLAIM_STATE runs with a generic plan made once per connection (db/session-statements.ts). A
  // plan that scans every active registration grows slower with each one: this happened with a
  // plan made on a small table, and exclusive registration ran at 0.43x shared.
  it('looks holders up through the holder index (domain first), whatever the table holds when the plan is made', async () => {
    const portalId = await createTestPortal(db);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      for (const rows of [0, 2_500, 20_000]) {
        await client.query(
          `INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel)
           SELECT $1, 'plan-' || $2 || '-' || n || '.example', 'https://plan.example', 'seed-' || n, 'plan', 'test', 'operator'
           FROM generate_series(1, $2::int) AS n`,
          [portalId, rows],
        );
        await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
        await client.query(`PREPARE pc_test_claim_state(bigint, text[]) AS ${CLAIM_STATE.text}`);
        const { rows: plan } = await client.query(`EXPLAIN EXECUTE pc_test_claim_state(${portalId + 1}, ARRAY['plan-2500-7.example', 'nobody.example'])`);
        await client.query('DEALLOCATE pc_test_claim_state');
        const text = plan.map((line) => line['QUERY PLAN']).join('\n');
        expect(text, `a table of ${rows} more rows:\n${text}`).toMatch(/Index Scan using registrations_active_domain_holder_idx on registrations\b/);
        expect(text).not.toContain('registrations_active_domain_key');
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
