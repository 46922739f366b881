import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactWithDomain } from '../../test/support/database.js';
import { contactStatuses, deregistrationAuditCounts, startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { HubSpotUnavailableError } from '../hubspot/hubspot-errors.js';
import { deregisterRegistrations } from '../registrations/deregister-registrations.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { registerContact } from '../registrations/register-contact.js';
import { deregisterChunk, writeChunkToHubSpot, type ChunkOfJob } from './process-deregistration-chunk.js';
import { requestDeregistration } from './request-deregistration.js';

// The two parts of a chunk called directly, in the order a worker calls them, or with a crash
// (nothing) between them. No worker runs in this file.
let rig: DeregistrationRig;
beforeAll(async () => {
  rig = await startDeregistrationRig();
});
afterAll(() => rig.stop());

async function jobFor(portalId: number, registrationIds?: string[]) {
  const selection = registrationIds ? { kind: 'registrations' as const, registrationIds } : { kind: 'all' as const };
  const { job } = await requestDeregistration(rig, { portalId, selection, requestedBy: 'jane@agency.example', channel: 'api' });
  const chunk = (chunkIndex: number): ChunkOfJob => ({ jobId: job.id, portalId, chunkSize: 100, requestedBy: 'jane@agency.example', chunkIndex });
  return { job, chunk, deps: { db: rig.db, api: rig.hubspot.api } };
}

const jobRow = (jobId: string) => rig.db.deregistrationJob.findUniqueOrThrow({ where: { id: jobId } });
const chunkState = async (jobId: string, chunkIndex: number) =>
  (await rig.db.deregistrationJobChunk.findUniqueOrThrow({ where: { jobId_chunkIndex: { jobId, chunkIndex } } })).state;
const batchUpdates = (portalId: number) => rig.hubspotRig.fake.requests.all({ portalId }).filter((request) => request.path.endsWith('/batch/update'));

describe('a chunk of a deregistration job', () => {
  it('ends its registrations in one transaction, with who, when and the job, once however often it runs', async () => {
    const { portalId, registrationIds } = await rig.portalWithRegistrations(150);
    const { job, chunk } = await jobFor(portalId);
    expect(await deregisterChunk(rig.db, chunk(0))).toBe(true);
    expect(await deregisterChunk(rig.db, chunk(0))).toBe(false);

    expect(await getCapacity(rig.db, { portalId })).toMatchObject({ used: 50 });
    const ended = await rig.db.registration.findMany({ where: { portalId: BigInt(portalId), status: 'deregistered' }, orderBy: { id: 'asc' } });
    expect(ended.map((registration) => registration.id.toString())).toEqual(registrationIds.slice(0, 100));
    expect(ended.every((registration) => registration.deregisteredBy === 'jane@agency.example' && registration.deregistrationJobId === job.id && registration.deregisteredAt)).toBe(
      true,
    );
    const audit = await deregistrationAuditCounts(rig.db, portalId);
    expect([...audit.keys()].sort()).toEqual(registrationIds.slice(0, 100).sort());
    expect([...audit.values()].every((count) => count === 1)).toBe(true);
    expect(await chunkState(job.id, 0)).toBe('deregistered');
    expect(await chunkState(job.id, 1)).toBe('pending');
    // Progress counts chunks that are finished, HubSpot included.
    expect(await jobRow(job.id)).toMatchObject({ done: 0 });
  });

  it('writes its contacts to HubSpot in one batch update, and counts itself done once', async () => {
    const { portalId, contactIds } = await rig.portalWithRegistrations(100);
    const { job, chunk, deps } = await jobFor(portalId);
    await deregisterChunk(rig.db, chunk(0));
    rig.hubspotRig.fake.requests.clear();
    // As after a crash between the two parts: the HubSpot part runs on its own.
    expect(await writeChunkToHubSpot(deps, chunk(0))).toBe(true);
    expect(await writeChunkToHubSpot(deps, chunk(0))).toBe(false);
    expect(batchUpdates(portalId)).toHaveLength(1);
    expect(contactStatuses(rig, portalId, contactIds)).toEqual(contactIds.map(() => 'deregistered'));
    expect(rig.hubspotRig.fake.contacts.get(portalId, contactIds[0]!)?.properties).toMatchObject({ [APP_PROPERTIES.trigger]: 'false' });
    expect(rig.hubspotRig.fake.contacts.get(portalId, contactIds[0]!)?.properties[APP_PROPERTIES.registeredDomain]).toBeUndefined();
    expect(await jobRow(job.id)).toMatchObject({ done: 100, failed: 0 });
    expect(await chunkState(job.id, 0)).toBe('written');
  });

  // Which answer HubSpot gives a batch update naming a missing contact is unconfirmed: both.
  it.each(['multi-status', 'batch-error'] as const)(
    'records a contact HubSpot no longer has as not in HubSpot, and writes the others in the same step (%s answer)',
    async (answer) => {
      const { portalId, contactIds } = await rig.portalWithRegistrations(3);
      rig.hubspotRig.fake.contacts.delete(portalId, contactIds[1]!);
      const { job, chunk, deps } = await jobFor(portalId);
      await deregisterChunk(rig.db, chunk(0));
      rig.hubspotRig.fake.configure({ batchUpdateMissing: answer });
      try {
        expect(await writeChunkToHubSpot(deps, chunk(0))).toBe(true);
      } finally {
        rig.hubspotRig.fake.configure({ batchUpdateMissing: 'multi-status' });
      }
      const items = await rig.db.deregistrationJobItem.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
      expect(items.map((item) => [item.outcome, item.contactUpdate])).toEqual([
        ['deregistered', 'written'],
        ['deregistered', 'missing'],
        ['deregistered', 'written'],
      ]);
      expect(items[1]!.contactError).toMatch(/^Not in HubSpot/);
      expect(contactStatuses(rig, portalId, [contactIds[0]!, contactIds[2]!])).toEqual(['deregistered', 'deregistered']);
      // The whole-batch error writes nothing: the rest goes out again at once, without the missing id.
      const sent = batchUpdates(portalId).map((request) => (request.body as { inputs: Array<{ id: string }> }).inputs.map((input) => input.id));
      expect(sent.at(-1)).toEqual(answer === 'batch-error' ? [contactIds[0], contactIds[2]] : contactIds);
      expect(await jobRow(job.id)).toMatchObject({ done: 3, failed: 1 });
    },
  );

  it('records HubSpot refusing the batch on each item, and goes on', async () => {
    const { portalId } = await rig.portalWithRegistrations(2);
    const { job, chunk, deps } = await jobFor(portalId);
    await deregisterChunk(rig.db, chunk(0));
    rig.hubspotRig.fake.faults.failNext(1, { status: 400, pathPrefix: '/crm/v3/objects/contacts/batch/update' });
    expect(await writeChunkToHubSpot(deps, chunk(0))).toBe(true);
    const items = await rig.db.deregistrationJobItem.findMany({ where: { jobId: job.id } });
    expect(items.map((item) => item.contactUpdate)).toEqual(['failed', 'failed']);
    expect(items[0]!.contactError).toMatch(/HubSpot refused the contact batch update/);
    expect(await jobRow(job.id)).toMatchObject({ done: 2, failed: 2 });
  });

  it('leaves the chunk to be written later when HubSpot is unavailable', async () => {
    const { portalId, contactIds } = await rig.portalWithRegistrations(2);
    const { job, chunk, deps } = await jobFor(portalId);
    await deregisterChunk(rig.db, chunk(0));
    rig.hubspotRig.fake.faults.failNext(6, { status: 503, pathPrefix: '/crm/v3/objects/contacts/batch/update' });
    await expect(writeChunkToHubSpot(deps, chunk(0))).rejects.toBeInstanceOf(HubSpotUnavailableError);
    expect(await chunkState(job.id, 0)).toBe('deregistered');
    expect(await writeChunkToHubSpot(deps, chunk(0))).toBe(true);
    expect(contactStatuses(rig, portalId, contactIds)).toEqual(['deregistered', 'deregistered']);
  });

  it('skips a registration deregistered meanwhile, and leaves a contact that holds another registration as it is', async () => {
    const { portalId, registrationIds, contactIds } = await rig.portalWithRegistrations(3);
    const { job, chunk, deps } = await jobFor(portalId);
    await deregisterRegistrations(rig.db, { portalId, registrationIds: [registrationIds[0]!], deregisteredBy: 'someone-else' });
    const second = await registerContact(rig.db, { portalId, contact: { ...contactWithDomain('second-site.com'), contactId: contactIds[2]! }, registeredBy: 'x', channel: 'card' });
    expect(second.ok).toBe(true);
    await deregisterChunk(rig.db, chunk(0));
    await writeChunkToHubSpot(deps, chunk(0));
    const items = await rig.db.deregistrationJobItem.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
    expect(items.map((item) => [item.outcome, item.contactUpdate])).toEqual([
      ['skipped', 'not_needed'],
      ['deregistered', 'written'],
      ['deregistered', 'not_needed'],
    ]);
    expect((await rig.db.registration.findUniqueOrThrow({ where: { id: BigInt(registrationIds[0]!) } })).deregisteredBy).toBe('someone-else');
    expect(contactStatuses(rig, portalId, contactIds)).toEqual(['registered', 'deregistered', 'registered']);
    expect(await jobRow(job.id)).toMatchObject({ done: 3, failed: 0 });
  });

  it('overrides a write-back of the registration still waiting in the outbox, so HubSpot ends up saying deregistered', async () => {
    const { portalId, contactIds } = await rig.portalWithRegistrations(1);
    await rig.db.contactWriteBack.create({
      data: { portalId: BigInt(portalId), contactId: contactIds[0]!, properties: { [APP_PROPERTIES.status]: 'registered', [APP_PROPERTIES.registeredDomain]: 'x.com' } },
    });
    const { chunk } = await jobFor(portalId);
    await deregisterChunk(rig.db, chunk(0));
    const pending = await rig.db.contactWriteBack.findUniqueOrThrow({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId: contactIds[0]! } } });
    expect(pending.properties).toMatchObject({ [APP_PROPERTIES.status]: 'deregistered', [APP_PROPERTIES.registeredDomain]: '' });
  });

  it('keeps capacity consistent when registrations race the deregistration of the same domains', async () => {
    const { portalId, domains, registrationIds } = await rig.portalWithRegistrations(100, { limitOverride: 100 });
    const { chunk } = await jobFor(portalId);
    // Before, while and after the chunk commits: registrations of the domains it deregisters
    // and of new ones, interleaved, a few at a time.
    const candidates = domains.slice(0, 60).flatMap((domain, n) => [domain, `fresh-${n}-p${portalId}.com`]);
    const attempts = candidates.map(async (domain, n) => {
      await sleep(n * 0.5);
      return registerContact(rig.db, { portalId, contact: contactWithDomain(domain), registeredBy: 'racer', channel: 'card' });
    });
    const [results] = await Promise.all([Promise.all(attempts), sleep(10).then(() => deregisterChunk(rig.db, chunk(0)))]);
    const made = results.filter((result) => result.ok);
    for (const result of results) if (!result.ok) expect(['ALREADY_REGISTERED', 'CAPACITY_FULL']).toContain(result.refusal.code);

    const active = await rig.db.registration.findMany({ where: { portalId: BigInt(portalId), status: 'active' } });
    expect(active.map((registration) => registration.id.toString()).sort()).toEqual(made.map((result) => (result.ok ? result.registration.id : '')).sort());
    expect(active.length).toBeLessThanOrEqual(100);
    expect(new Set(active.map((registration) => registration.domain)).size).toBe(active.length);
    expect(await getCapacity(rig.db, { portalId })).toMatchObject({ used: active.length, limit: 100 });
    // The job ended exactly its own registrations, each once, and none of the new ones.
    const audit = await deregistrationAuditCounts(rig.db, portalId);
    expect([...audit.keys()].sort()).toEqual([...registrationIds].sort());
    expect([...audit.values()].every((count) => count === 1)).toBe(true);
  });
});
