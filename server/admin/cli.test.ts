import { afterAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../../test/support/admin-cli.js';
import { createTestPortal, newPortalId, testDatabase } from '../../test/support/database.js';
import { testEnvironment } from '../../test/support/server.js';

const db = testDatabase(2);
afterAll(() => db.$disconnect());

const admin = (...args: string[]) => runAdminCli({ ...testEnvironment(), USER: 'tester' }, args);

describe('npm run admin', () => {
  it('sets a tier, sets and clears a limit override, and audits each change as the operator', async () => {
    const portalId = await createTestPortal(db, { tier: 'untiered', used: 7 });
    expect(await admin('portals', 'set-tier', String(portalId), 'diamond')).toMatchObject({ code: 0, stdout: expect.stringMatching(/7 of 1000 \(diamond tier\), 993 left/) });
    expect(await admin('portals', 'set-limit', String(portalId), '5')).toMatchObject({ code: 0, stdout: expect.stringMatching(/7 of 5 \(override; diamond tier\), 0 left/) });
    expect(await admin('portals', 'clear-limit', String(portalId))).toMatchObject({ code: 0, stdout: expect.stringMatching(/7 of 1000 \(diamond tier\)/) });
    const audit = await db.auditEvent.findMany({ where: { portalId: BigInt(portalId), actor: 'operator:tester' }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.action, event.details])).toEqual([
      ['portal_tier_changed', { before: { tier: 'untiered' }, after: { tier: 'diamond' } }],
      ['portal_limit_changed', { before: { limitOverride: null }, after: { limitOverride: 5 } }],
      ['portal_limit_changed', { before: { limitOverride: 5 }, after: { limitOverride: null } }],
    ]);
  });

  it('names a portal’s admin (set-admin, for portals installed before roles), replacing any other, audited as the operator', async () => {
    const portalId = await createTestPortal(db);
    expect(await admin('portals', 'set-admin', String(portalId), 'Boss@Agency.example')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('boss@agency.example is the admin'),
    });
    expect(await admin('portals', 'set-admin', String(portalId), 'next@agency.example')).toMatchObject({ code: 0 });
    expect(await db.portalUserRole.findMany({ where: { portalId: BigInt(portalId) }, select: { role: true, email: true } })).toEqual([
      { role: 'admin', email: 'next@agency.example' },
    ]);
    const audit = await db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: 'portal_admin_set' }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.actor, event.details])).toEqual([
      ['operator:tester', { before: null, after: { userId: null, email: 'boss@agency.example' } }],
      ['operator:tester', { before: { userId: null, email: 'boss@agency.example' }, after: { userId: null, email: 'next@agency.example' } }],
    ]);
    expect(await admin('portals', 'set-admin', String(portalId), 'not-an-email')).toMatchObject({ code: 2 });
    expect(await admin('portals', 'set-admin', String(newPortalId()), 'a@b.example')).toMatchObject({ code: 1, stderr: expect.stringContaining('is not known') });
  });

  it('lists portals with their usage', async () => {
    const portalId = await createTestPortal(db, { tier: 'silver', used: 12 });
    const { code, stdout } = await admin('portals', 'list', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout).find((portal: { id: number }) => portal.id === portalId);
    expect(listed.capacity).toEqual({ tier: 'silver', limit: 500, limitSource: 'tier', used: 12, remaining: 488 });
  });

  it('lists portals in aligned columns, the automatic-registration rule and install state included', async () => {
    const longName = 'Nordisk Byggmaterial & Verktygsförsäljning Aktiebolag (Göteborg)';
    const portalId = await createTestPortal(db, { tier: 'platinum', limitOverride: 123_456_789, used: 3 });
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { name: longName, autoRegisterNewContacts: true } });
    const quietId = await createTestPortal(db, { tier: 'silver' });
    const { code, stdout } = await admin('portals', 'list');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const header = lines[0] ?? '';
    const columns = ['PORTAL', 'NAME', 'TIER', 'LIMIT', 'USED', 'LEFT', 'AUTO-REGISTER', 'STATE'];
    const starts = columns.map((column) => header.indexOf(column));
    expect(starts.every((start, index) => index === 0 || start > (starts[index - 1] ?? 0))).toBe(true);
    // Cut every row at the header's column starts: each cell is a whole value, and the character
    // before each column is a space, so no value runs into the next column.
    const cellsOf = (line: string) => starts.map((start, index) => line.slice(start, starts[index + 1]).trim());
    for (const line of lines.slice(1)) expect(starts.slice(1).every((start) => line[start - 1] === ' ')).toBe(true);
    const rowOf = (id: number) => cellsOf(lines.find((line) => line.startsWith(`${id} `)) ?? '');
    expect(rowOf(portalId)).toEqual([String(portalId), longName, 'platinum', '123456789 (override)', '3', '123456786', 'on', 'installed']);
    expect(rowOf(quietId)).toEqual([String(quietId), '', 'silver', '500', '0', '500', 'off', 'installed']);
  });

  it.each([
    [[], /No command given/],
    [['portals', 'fly'], /Unknown command "portals fly"/],
    [['portals', 'set-tier', '42', 'bronze'], /Unknown tier "bronze". Tiers: untiered, silver, gold, platinum, diamond/],
    [['portals', 'set-tier', 'abc', 'gold'], /A portal id is a positive whole number \(got "abc"\)/],
    [['portals', 'set-limit', '42', '-3'], /Unknown option|A limit is a whole number/],
    [['portals', 'set-limit', '42', 'lots'], /A limit is a whole number of domains \(got "lots"\)/],
    [['portals', 'list', '--colour'], /Unknown option '--colour'/],
  ])('prints the usage and exits 2 for %j', async (args, message) => {
    const { code, stderr } = await admin(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: npm run admin -- <command>/);
  });

  it('exits 1 with the reason for a portal it does not know', async () => {
    const { code, stderr } = await admin('portals', 'set-tier', String(newPortalId()), 'gold');
    expect(code).toBe(1);
    expect(stderr).toMatch(/has installed Partner Capacity. Check the portal id/);
  });

  it('allows and disallows a free-mail domain for the program, each change audited as the operator', async () => {
    expect(await admin('program', 'allow-domain', 'https://www.mail.ru/')).toMatchObject({ code: 0, stdout: 'mail.ru can now be registered.\n' });
    expect(await admin('program', 'allow-domain', 'mail.ru')).toMatchObject({ code: 0, stdout: 'mail.ru was already allowed; nothing changed.\n' });
    expect((await admin('program', 'allowed-domains')).stdout).toMatch(/^mail\.ru\s+allowed \S+ by operator:tester$/m);
    expect(await admin('program', 'disallow-domain', 'mail.ru')).toMatchObject({ code: 0, stdout: 'mail.ru is refused again.\n' });
    const audit = await db.programAuditEvent.findMany({ where: { details: { path: ['domain'], equals: 'mail.ru' } }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.action, event.actor])).toEqual([
      ['free_mail_domain_allowed', 'operator:tester'],
      ['free_mail_domain_disallowed', 'operator:tester'],
    ]);
  });

  it('refuses to allow a domain that is not on the free-mail list, or none', async () => {
    expect(await admin('program', 'allow-domain', 'volvo.se')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/volvo\.se is not on the free-mail list, so it can be registered already/),
    });
    expect(await admin('program', 'allow-domain')).toMatchObject({ code: 2, stderr: expect.stringMatching(/Say which domain: program allow-domain <domain>/) });
  });
});
