// Renewal: one claim period from now, up to the number the program allows, audited; refused with
// a sentence otherwise.
import { afterAll, describe, expect, it } from 'vitest';
import { contactWithDomain, createTestPortal, testDatabase } from '../../test/support/database.js';
import { updateProgramSettings } from '../program/program-settings.js';
import { registerContacts } from './register-contacts.js';
import { renewRegistration } from './renew-registration.js';

const db = testDatabase(10);
afterAll(() => db.$disconnect());

const DAY = 24 * 3600 * 1000;

async function registered(portalId: number, domain: string): Promise<string> {
  const [result] = await registerContacts(db, { portalId, contacts: [{ contact: contactWithDomain(domain), registeredBy: 'jane@agency.example', channel: 'card' }] });
  if (!result?.ok) throw new Error('not registered');
  return result.registration.id;
}

describe('renewing a claim', () => {
  it('extends the claim by one period from now, up to the allowed count, then refuses NO_RENEWALS_LEFT; each renewal audited', async () => {
    await updateProgramSettings(db, { changes: { claimPeriodDays: 30, renewalsAllowed: 2 }, actor: 'test' });
    const portalId = await createTestPortal(db);
    const id = await registered(portalId, 'renew-me.com');
    // The claim is close to its end and had a reminder.
    await db.$executeRaw`UPDATE registrations SET expires_at = now() + interval '2 days' WHERE id = ${BigInt(id)}`;
    await db.expiryReminder.create({ data: { registrationId: BigInt(id), daysBefore: 3, outcome: 'task_created' } });

    for (const expected of [1, 2]) {
      const before = Date.now();
      const { registration, renewalsLeft } = await renewRegistration(db, { portalId, registrationId: id, renewedBy: 'jane@agency.example' });
      expect(registration.renewals).toBe(expected);
      expect(renewalsLeft).toBe(2 - expected);
      const expiresAt = new Date(registration.expiresAt!).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY);
      expect(expiresAt).toBeLessThan(Date.now() + 30 * DAY + 1000);
    }
    expect(await db.expiryReminder.count({ where: { registrationId: BigInt(id) } })).toBe(0);

    await expect(renewRegistration(db, { portalId, registrationId: id, renewedBy: 'jane@agency.example' })).rejects.toMatchObject({
      code: 'NO_RENEWALS_LEFT',
      kind: 'conflict',
      message: expect.stringMatching(/renewed 2 times already/),
    });
    const audit = await db.auditEvent.findMany({ where: { registrationId: BigInt(id), action: 'registration_renewed' }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.actor, (event.details as { renewals: number }).renewals])).toEqual([
      ['jane@agency.example', 1],
      ['jane@agency.example', 2],
    ]);
  });

  it('refuses a claim of a program without a claim period, another portal’s or an ended one', async () => {
    await updateProgramSettings(db, { changes: { claimPeriodDays: null }, actor: 'test' });
    const portalId = await createTestPortal(db);
    const other = await createTestPortal(db);
    const id = await registered(portalId, 'never-expires.com');
    await expect(renewRegistration(db, { portalId, registrationId: id, renewedBy: 'x' })).rejects.toMatchObject({ code: 'NOT_EXPIRING' });
    await expect(renewRegistration(db, { portalId: other, registrationId: id, renewedBy: 'x' })).rejects.toMatchObject({ code: 'REGISTRATION_NOT_FOUND', kind: 'not_found' });
    await db.$executeRaw`UPDATE registrations SET status = 'deregistered', deregistered_at = now() WHERE id = ${BigInt(id)}`;
    await updateProgramSettings(db, { changes: { claimPeriodDays: 30 }, actor: 'test' });
    await expect(renewRegistration(db, { portalId, registrationId: id, renewedBy: 'x' })).rejects.toMatchObject({ code: 'NOT_ACTIVE' });
  });
});
