import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { contactWithDomain, createTestPortal, testDatabase } from '../../test/support/database.js';
import { deregisterRegistrations } from './deregister-registrations.js';
import { getCapacity } from './get-capacity.js';
import { registerContact } from './register-contact.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

async function registerDomains(portalId: number, domains: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const domain of domains) {
    const result = await registerContact(db, { portalId, contact: contactWithDomain(domain), registeredBy: 'jane@agency.example', channel: 'card' });
    if (!result.ok) throw new Error(result.refusal.message);
    ids.push(result.registration.id);
  }
  return ids;
}

describe('deregisterRegistrations', () => {
  it('releases capacity at once and records who, when and which job', async () => {
    const portalId = await createTestPortal(db);
    const ids = await registerDomains(portalId, ['one.com', 'two.com', 'three.com']);
    const jobId = randomUUID();
    const before = Date.now();
    const result = await deregisterRegistrations(db, { portalId, registrationIds: ids.slice(0, 2), deregisteredBy: 'ops@agency.example', jobId });
    expect(result.deregistered.map((registration) => registration.domain).sort()).toEqual(['one.com', 'two.com']);
    expect(result.deregistered[0]).toMatchObject({ status: 'deregistered', deregisteredBy: 'ops@agency.example', deregistrationJobId: jobId });
    expect(Date.parse(result.deregistered[0]!.deregisteredAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(await getCapacity(db, { portalId })).toMatchObject({ used: 1, remaining: 499 });
    const audit = await db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: 'registration_deregistered' } });
    expect(audit.map((event) => event.domain).sort()).toEqual(['one.com', 'two.com']);
    expect(audit.every((event) => event.jobId === jobId && event.actor === 'ops@agency.example')).toBe(true);
  });

  it('is idempotent: deregistering twice changes nothing the second time', async () => {
    const portalId = await createTestPortal(db);
    const ids = await registerDomains(portalId, ['twice.com']);
    await deregisterRegistrations(db, { portalId, registrationIds: ids, deregisteredBy: 'first@agency.example' });
    const again = await deregisterRegistrations(db, { portalId, registrationIds: ids, deregisteredBy: 'second@agency.example' });
    expect(again).toEqual({ deregistered: [], alreadyDeregistered: ids, notFound: [] });
    const row = await db.registration.findUniqueOrThrow({ where: { id: BigInt(ids[0]!) } });
    expect(row.deregisteredBy).toBe('first@agency.example');
    expect(await db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'registration_deregistered' } })).toBe(1);
  });

  it("never touches another portal's registrations", async () => {
    const mine = await createTestPortal(db);
    const theirs = await createTestPortal(db);
    const theirIds = await registerDomains(theirs, ['theirs.com']);
    const result = await deregisterRegistrations(db, { portalId: mine, registrationIds: theirIds, deregisteredBy: 'intruder@agency.example' });
    expect(result).toEqual({ deregistered: [], alreadyDeregistered: [], notFound: theirIds });
    expect(await getCapacity(db, { portalId: theirs })).toMatchObject({ used: 1 });
  });

  it('reports ids that are not registrations instead of failing', async () => {
    const portalId = await createTestPortal(db);
    const result = await deregisterRegistrations(db, { portalId, registrationIds: ['abc', '0', '-1', '99999999999999'], deregisteredBy: 'x' });
    expect(result.notFound).toEqual(['abc', '0', '-1', '99999999999999']);
  });
});
