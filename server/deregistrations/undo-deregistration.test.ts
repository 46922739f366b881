import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactWithDomain } from '../../test/support/database.js';
import { contactStatuses, startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { registerContact } from '../registrations/register-contact.js';
import { stepJobId } from './deregistration-queue.js';
import { getDeregistrationJob } from './get-deregistration-job.js';
import { requestDeregistration } from './request-deregistration.js';
import { undoDeregistration } from './undo-deregistration.js';

let rig: DeregistrationRig;
beforeAll(async () => {
  rig = await startDeregistrationRig();
  // Every worker: the deregistration jobs, and the write-back that tells HubSpot about restored registrations.
  await rig.startWorkers({ all: true });
});
afterAll(() => rig.stop());

async function deregisterAll(portalId: number) {
  const { job } = await requestDeregistration(rig, { portalId, selection: { kind: 'all' }, requestedBy: 'jane@agency.example', channel: 'capacity_manager' });
  await expect.poll(async () => (await getDeregistrationJob(rig.db, { portalId, jobId: job.id }))?.status, { timeout: 20_000 }).toBe('completed');
  return (await getDeregistrationJob(rig.db, { portalId, jobId: job.id }))!;
}

const undo = (portalId: number, jobId: string) => undoDeregistration(rig, { portalId, jobId, requestedBy: 'jane@agency.example' });

describe('undoDeregistration', () => {
  it('restores every registration unchanged within 15 minutes, audited, and tells HubSpot', async () => {
    const { portalId, registrationIds, domains, contactIds } = await rig.portalWithRegistrations(120);
    const before = await rig.db.registration.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { id: 'asc' } });
    const job = await deregisterAll(portalId);
    expect(Date.parse(job.undoableUntil!) - Date.parse(job.finishedAt!)).toBe(15 * 60 * 1000);
    expect(contactStatuses(rig, portalId, contactIds)).toEqual(contactIds.map(() => 'deregistered'));

    const result = await undo(portalId, job.id);
    expect(result.reregistered).toEqual(domains);
    expect(result.notReregistered).toEqual([]);
    expect(result.job).toMatchObject({ id: job.id, undoableUntil: null, undoneAt: expect.any(String) });

    const after = await rig.db.registration.findMany({ where: { portalId: BigInt(portalId) }, orderBy: { id: 'asc' } });
    expect(after.map((registration) => registration.id.toString())).toEqual(registrationIds);
    expect(after.map(({ status, domain, website, contactId, registeredAt, registeredBy }) => ({ status, domain, website, contactId, registeredAt, registeredBy }))).toEqual(
      before.map(({ status, domain, website, contactId, registeredAt, registeredBy }) => ({ status, domain, website, contactId, registeredAt, registeredBy })),
    );
    expect(await getCapacity(rig.db, { portalId })).toMatchObject({ used: 120 });
    const audit = await rig.db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: 'registration_created', jobId: job.id } });
    expect(audit).toHaveLength(120);
    expect(audit.every((event) => event.actor === 'jane@agency.example')).toBe(true);
    await expect.poll(() => contactStatuses(rig, portalId, contactIds).filter((status) => status === 'registered').length, { timeout: 20_000 }).toBe(120);
    expect(rig.hubspotRig.fake.contacts.get(portalId, contactIds[0]!)?.properties[APP_PROPERTIES.registeredDomain]).toBe(domains[0]);
  });

  it('restores as far as capacity allows, and says which it could not and why', async () => {
    const { portalId, domains } = await rig.portalWithRegistrations(5, { limitOverride: 5 });
    const job = await deregisterAll(portalId);
    // Meanwhile: one of the domains is registered again through another contact, and two new ones.
    for (const domain of [domains[1]!, `new-a-p${portalId}.com`, `new-b-p${portalId}.com`]) {
      expect((await registerContact(rig.db, { portalId, contact: contactWithDomain(domain), registeredBy: 'x', channel: 'card' })).ok).toBe(true);
    }
    const result = await undo(portalId, job.id);
    expect(result.reregistered).toEqual([domains[0], domains[2]]);
    expect(result.notReregistered).toEqual([
      { domain: domains[1], reason: expect.stringMatching(/has been registered again since, through contact/) },
      { domain: domains[3], reason: expect.stringMatching(/at its capacity limit/) },
      { domain: domains[4], reason: expect.stringMatching(/at its capacity limit/) },
    ]);
    expect(await getCapacity(rig.db, { portalId })).toMatchObject({ used: 5, limit: 5 });
    const items = await rig.db.deregistrationJobItem.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
    expect(items.map((item) => item.reregistered)).toEqual([true, false, true, false, false]);
    // Refused like any registration: audited with the registration rules' own codes.
    const refusals = await rig.db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: 'registration_refused', jobId: job.id }, orderBy: { id: 'asc' } });
    expect(refusals.map((event) => [event.domain, (event.details as { code: string }).code, event.actor])).toEqual([
      [domains[1], 'ALREADY_REGISTERED', 'jane@agency.example'],
      [domains[3], 'CAPACITY_FULL', 'jane@agency.example'],
      [domains[4], 'CAPACITY_FULL', 'jane@agency.example'],
    ]);
  });

  it('refuses once the 15 minutes have passed', async () => {
    const { portalId } = await rig.portalWithRegistrations(2);
    const job = await deregisterAll(portalId);
    await rig.db.deregistrationJob.update({ where: { id: job.id }, data: { finishedAt: new Date(Date.now() - 15 * 60 * 1000 - 1000) } });
    await expect(undo(portalId, job.id)).rejects.toMatchObject({ code: 'UNDO_WINDOW_PASSED', message: expect.stringMatching(/for 15 minutes after it finished/) });
    expect((await getDeregistrationJob(rig.db, { portalId, jobId: job.id }))?.undoableUntil).toBeNull();
    expect(await getCapacity(rig.db, { portalId })).toMatchObject({ used: 0 });
  });

  it('refuses a job still running, a job undone already, and another portal', async () => {
    const { portalId } = await rig.portalWithRegistrations(2);
    const other = await rig.portalWithRegistrations(1);
    const job = await deregisterAll(portalId);
    await expect(undo(other.portalId, job.id)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(undo(portalId, 'nonsense')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await undo(portalId, job.id);
    await expect(undo(portalId, job.id)).rejects.toMatchObject({ code: 'NOT_UNDOABLE', message: expect.stringMatching(/already undone/) });

    const running = await requestDeregistration(rig, { portalId: other.portalId, selection: { kind: 'all' }, requestedBy: 'x', channel: 'api' });
    // Its queued step is made stale, so the job stays unfinished for as long as this test needs.
    await rig.db.deregistrationJob.update({ where: { id: running.job.id }, data: { queueJobId: stepJobId(running.job.id, 99) } });
    await expect(undo(other.portalId, running.job.id)).rejects.toMatchObject({ code: 'NOT_UNDOABLE', message: expect.stringMatching(/still running/) });
  });
});
