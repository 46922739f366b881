// The operator's program commands, run as processes: settings, conflicts and their resolution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../../test/support/admin-cli.js';
import { contactStatuses, startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { resolveClaimConflict } from '../program/claim-conflicts.js';
import { updateProgramSettings } from '../program/program-settings.js';
import { registerContacts } from '../registrations/register-contacts.js';

let rig: DeregistrationRig;
beforeAll(async () => {
  rig = await startDeregistrationRig();
  await rig.startWorkers();
});
afterAll(() => rig.stop());

// Each command is a process of its own (tsx compiles the CLI at start): seconds apiece on a busy machine.
const CLI_TEST_TIMEOUT_MS = 120_000;
const admin = (...args: string[]) => runAdminCli({ ...rig.env, USER: 'tester' }, args);

async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm run admin -- program settings / set', () => {
  it(
    'shows the defaults, previews a change without making it, then makes it, audited with before and after',
    async () => {
      const shown = await admin('program', 'settings', '--json');
      expect(JSON.parse(shown.stdout)).toEqual({
        claimMode: 'exclusive',
        claimPeriodDays: null,
        claimPeriodDaysByTier: {},
        reminderDays: [14, 3],
        renewalsAllowed: 2,
        inactivityDays: 90,
      });

      const { portalId } = await rig.portalWithRegistrations(3);
      const dry = await admin('program', 'set', '--claim-period-days', '30', '--dry-run');
      expect(dry.stdout).toMatch(/Nothing changed \(dry run\)\. \d+ claims would get an expiry date/);
      expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), expiresAt: { not: null } } })).toBe(0);

      const saved = await admin('program', 'set', '--claim-period-days', '30', '--tier-claim-period', 'diamond=365');
      expect(saved.code).toBe(0);
      expect(saved.stdout).toMatch(/Claim period:\s+30 days; diamond 365 days/);
      // The rig's diamond registrations are a day old: 365 days from then.
      const claims = await rig.db.registration.findMany({ where: { portalId: BigInt(portalId) } });
      for (const claim of claims) expect(claim.expiresAt!.getTime() - claim.registeredAt.getTime()).toBe(365 * 24 * 60 * 60 * 1000);
      const audit = await rig.db.programAuditEvent.findFirst({ where: { action: 'program_settings_changed' }, orderBy: { id: 'desc' } });
      expect(audit).toMatchObject({
        actor: 'operator:tester',
        details: { before: { claimPeriodDays: null }, after: { claimPeriodDays: 30, claimPeriodDaysByTier: { diamond: 365 } } },
      });

      const bad = await admin('program', 'set', '--claim-period-days', '0');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/claim period must be a whole number of days from 1 to 3650/);
      await admin('program', 'set', '--claim-period-days', 'none', '--tier-claim-period', 'diamond=none');
      expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), expiresAt: { not: null } } })).toBe(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

describe('npm run admin -- program conflicts / resolve-conflict', () => {
  it(
    'lists domains several partners held in shared mode, keeps the chosen one, and deregisters the others with write-back',
    async () => {
      const first = await rig.portalWithRegistrations(1);
      const second = await rig.portalWithRegistrations(1);
      const third = await rig.portalWithRegistrations(1);
      const domain = first.domains[0]!;
      expect((await admin('program', 'set', '--claim-mode', 'shared')).code).toBe(0);
      // The other two partners' own contacts at the same company, registered while sharing was allowed.
      const sharedContacts = new Map<number, string>();
      for (const other of [second, third]) {
        const [contact] = rig.hubspotRig.fake.contacts.seed(other.portalId, [{ email: `buyer@${domain}`, website: `https://${domain}` }]);
        sharedContacts.set(other.portalId, contact!.id);
        const [result] = await registerContacts(rig.db, {
          portalId: other.portalId,
          contacts: [{ contact: { contactId: contact!.id, website: `https://${domain}` }, registeredBy: 'partner@example.com', channel: 'card' }],
        });
        expect(result?.ok).toBe(true);
      }
      const exclusive = await admin('program', 'set', '--claim-mode', 'exclusive');
      expect(exclusive.stdout).toMatch(/\d+ domains are held by more than one partner: nobody else can register them/);
      // Switching never deregisters anything by itself.
      expect(await rig.db.registration.count({ where: { domain, status: 'active' } })).toBe(3);

      const listed = JSON.parse((await admin('program', 'conflicts', '--json')).stdout) as Array<{ domain: string; holders: Array<{ portalId: number }> }>;
      expect(listed.find((conflict) => conflict.domain === domain)?.holders.map((holder) => holder.portalId)).toEqual([first.portalId, second.portalId, third.portalId]);

      const notHolder = await admin('program', 'resolve-conflict', domain, '--keep-portal', '999999');
      expect(notHolder.stderr).toMatch(/Portal 999999 does not hold/);

      const resolved = await admin('program', 'resolve-conflict', domain, '--keep-portal', String(second.portalId));
      expect(resolved.stdout).toMatch(new RegExp(`kept portal ${second.portalId}; deregistering it from ${first.portalId} \\(job [0-9a-f]{8}\\), ${third.portalId}`));
      const active = await waitFor(
        () => rig.db.registration.findMany({ where: { domain, status: 'active' } }),
        (rows) => rows.length === 1,
      );
      expect(active.map((row) => Number(row.portalId))).toEqual([second.portalId]);
      const statuses = () => [contactStatuses(rig, first.portalId, first.contactIds)[0], contactStatuses(rig, third.portalId, [sharedContacts.get(third.portalId)!])[0]];
      expect(await waitFor(statuses, (both) => both.every((status) => status === 'deregistered'))).toEqual(['deregistered', 'deregistered']);
      const audit = await rig.db.programAuditEvent.findFirst({ where: { action: 'conflict_resolved' }, orderBy: { id: 'desc' } });
      expect(audit).toMatchObject({ actor: 'operator:tester', details: { domain, keptPortalId: second.portalId } });
      expect((await admin('program', 'resolve-conflict', domain, '--keep-earliest')).stderr).toMatch(/not held by more than one partner/);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'resolve-conflicts --keep-earliest resolves every conflict, keeping each domain with its earliest holder',
    async () => {
      const first = await rig.portalWithRegistrations(2);
      const second = await rig.portalWithRegistrations(1);
      await updateProgramSettings(rig.db, { changes: { claimMode: 'shared' }, actor: 'test' });
      for (const domain of first.domains) {
        const [contact] = rig.hubspotRig.fake.contacts.seed(second.portalId, [{ email: `buyer@${domain}`, website: `https://${domain}` }]);
        await registerContacts(rig.db, {
          portalId: second.portalId,
          contacts: [{ contact: { contactId: contact!.id, website: `https://${domain}` }, registeredBy: 'partner@example.com', channel: 'card' }],
        });
      }
      await updateProgramSettings(rig.db, { changes: { claimMode: 'exclusive' }, actor: 'test' });
      expect((await admin('program', 'resolve-conflicts')).stderr).toMatch(/add --keep-earliest/);
      const resolved = await admin('program', 'resolve-conflicts', '--keep-earliest');
      expect(resolved.code).toBe(0);
      expect(resolved.stdout).toMatch(/Resolved \d+ conflicts\./);
      const held = await waitFor(
        () => rig.db.registration.findMany({ where: { domain: { in: first.domains }, status: 'active' } }),
        (rows) => rows.length === first.domains.length,
      );
      expect(held.map((row) => Number(row.portalId))).toEqual(first.domains.map(() => first.portalId));
      expect(JSON.parse((await admin('program', 'conflicts', '--json')).stdout)).toEqual([]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'two operators resolving the same conflict at once, keeping different partners: one resolution wins whole, the other finds nothing to resolve',
    async () => {
      const first = await rig.portalWithRegistrations(1);
      const second = await rig.portalWithRegistrations(1);
      const domain = first.domains[0]!;
      await updateProgramSettings(rig.db, { changes: { claimMode: 'shared' }, actor: 'test' });
      const [contact] = rig.hubspotRig.fake.contacts.seed(second.portalId, [{ email: `buyer@${domain}`, website: `https://${domain}` }]);
      const [shared] = await registerContacts(rig.db, {
        portalId: second.portalId,
        contacts: [{ contact: { contactId: contact!.id, website: `https://${domain}` }, registeredBy: 'partner@example.com', channel: 'card' }],
      });
      expect(shared?.ok).toBe(true);
      await updateProgramSettings(rig.db, { changes: { claimMode: 'exclusive' }, actor: 'test' });

      const deps = { db: rig.db, queues: rig.queues };
      const outcomes = await Promise.allSettled(
        [first, second].map((keeper) => resolveClaimConflict(deps, { domain, keep: { kind: 'portal', portalId: keeper.portalId }, actor: `operator:${keeper.portalId}` })),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((outcome) => (outcome.reason as { code?: string }).code)).toEqual(['NO_CONFLICT']);
      // Without the domain's lock both released the other's holder, and nobody kept the domain.
      const active = await waitFor(
        () => rig.db.registration.findMany({ where: { domain, status: 'active' } }),
        (rows) => rows.length === 1,
      );
      expect(active).toHaveLength(1);
      expect(
        await rig.db.deregistrationJob.count({
          where: { channel: 'conflict_resolution', requestedBy: { startsWith: 'operator:' }, portalId: { in: [BigInt(first.portalId), BigInt(second.portalId)] } },
        }),
      ).toBe(1);
      expect(await rig.db.programAuditEvent.count({ where: { action: 'conflict_resolved', details: { path: ['domain'], equals: domain } } })).toBe(1);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
