import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { findRegistrations } from '../registrations/find-registrations.js';
import { deregisterRegistrations } from '../registrations/deregister-registrations.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { stepJobId } from './deregistration-queue.js';
import { getDeregistrationJob } from './get-deregistration-job.js';
import { requestDeregistration, type DeregistrationSelection } from './request-deregistration.js';

// No worker runs in this file: every job stays queued, as the caller sees it at once.
let rig: DeregistrationRig;
beforeAll(async () => {
  rig = await startDeregistrationRig();
});
afterAll(() => rig.stop());

function request(portalId: number, selection: DeregistrationSelection) {
  return requestDeregistration(rig, { portalId, selection, requestedBy: 'jane@agency.example', channel: 'capacity_manager' });
}

async function itemRegistrationIds(jobId: string): Promise<string[]> {
  const items = await rig.db.deregistrationJobItem.findMany({ where: { jobId }, orderBy: { position: 'asc' } });
  return items.map((item) => item.registrationId.toString());
}

describe('requestDeregistration', () => {
  it('records the job with an item per registration in chunks of 100, queues it, and answers at once', async () => {
    const { portalId, registrationIds } = await rig.portalWithRegistrations(250);
    const { job, notFound, alreadyDeregistered } = await request(portalId, { kind: 'registrations', registrationIds });
    expect(job).toMatchObject({
      portalId,
      status: 'queued',
      total: 250,
      done: 0,
      failed: 0,
      requestedBy: 'jane@agency.example',
      channel: 'capacity_manager',
      startedAt: null,
      undoableUntil: null,
    });
    expect(notFound).toEqual([]);
    expect(alreadyDeregistered).toEqual([]);
    expect(await itemRegistrationIds(job.id)).toEqual(registrationIds);
    const chunks = await rig.db.deregistrationJobChunk.findMany({ where: { jobId: job.id }, orderBy: { chunkIndex: 'asc' } });
    expect(chunks.map((chunk) => [chunk.chunkIndex, chunk.state])).toEqual([
      [0, 'pending'],
      [1, 'pending'],
      [2, 'pending'],
    ]);
    const step = await rig.queues.deregistrations.getJob(stepJobId(job.id, 0));
    expect(step?.data).toEqual({ deregistrationJobId: job.id, portalId });
    expect(await getDeregistrationJob(rig.db, { portalId, jobId: job.id })).toEqual(job);
    // Nothing is deregistered until a worker runs the job.
    expect(await getCapacity(rig.db, { portalId })).toMatchObject({ used: 250 });
  });

  it("reports unknown and already deregistered ids, and refuses another portal's ids without touching them", async () => {
    const mine = await rig.portalWithRegistrations(4);
    const theirs = await rig.portalWithRegistrations(2);
    await deregisterRegistrations(rig.db, { portalId: mine.portalId, registrationIds: [mine.registrationIds[0]!], deregisteredBy: 'earlier' });
    const { job, notFound, alreadyDeregistered } = await request(mine.portalId, {
      kind: 'registrations',
      registrationIds: [...mine.registrationIds, ...theirs.registrationIds, 'abc', '0', '999999999999'],
    });
    expect(job.total).toBe(3);
    expect(await itemRegistrationIds(job.id)).toEqual(mine.registrationIds.slice(1));
    expect(alreadyDeregistered).toEqual([mine.registrationIds[0]]);
    expect(notFound).toEqual([...theirs.registrationIds, 'abc', '0', '999999999999']);
    expect(await getDeregistrationJob(rig.db, { portalId: theirs.portalId, jobId: job.id })).toBeNull();
    expect(await getCapacity(rig.db, { portalId: theirs.portalId })).toMatchObject({ used: 2 });
  });

  it('selects every active registration matching a search exactly as the list finds them', async () => {
    const { portalId } = await rig.portalWithRegistrations(30);
    const { job } = await request(portalId, { kind: 'search', search: 'D1' });
    const listed = await findRegistrations(rig.db, { portalId, search: 'D1', pageSize: 100 });
    expect(listed.total).toBe(11); // d1, d10 … d19
    expect((await itemRegistrationIds(job.id)).sort()).toEqual(listed.items.map((item) => item.id).sort());
  });

  it('selects everything, what was registered before a date, or named domains', async () => {
    const { portalId, registrationIds, domains } = await rig.portalWithRegistrations(6);
    const [cutoff] = await rig.db.$queryRaw<{ at: Date }[]>`SELECT registered_at AS at FROM registrations WHERE id = ${BigInt(registrationIds[2]!)}`;
    expect(await itemRegistrationIds((await request(portalId, { kind: 'registered-before', before: cutoff!.at })).job.id)).toEqual(registrationIds.slice(0, 2));
    expect(await itemRegistrationIds((await request(portalId, { kind: 'all' })).job.id)).toEqual(registrationIds);
    const named = await request(portalId, { kind: 'domains', domains: [`https://WWW.${domains[4]}/x`, domains[5]!, 'nowhere.com', 'not a domain'] });
    expect(await itemRegistrationIds(named.job.id)).toEqual(registrationIds.slice(4));
    expect(named.notFound).toEqual(['nowhere.com', 'not a domain']);
  });

  it('refuses, with a sentence and nothing recorded, when nothing active is selected', async () => {
    const { portalId, registrationIds } = await rig.portalWithRegistrations(2);
    await deregisterRegistrations(rig.db, { portalId, registrationIds, deregisteredBy: 'earlier' });
    await expect(request(portalId, { kind: 'registrations', registrationIds: [...registrationIds, '999999999999'] })).rejects.toMatchObject({
      code: 'NOTHING_TO_DEREGISTER',
      message: expect.stringMatching(/None of the selected registrations is active \(2 already deregistered, 1 not found\)/),
      details: { alreadyDeregistered: registrationIds, notFound: ['999999999999'] },
    });
    await expect(request(portalId, { kind: 'all' })).rejects.toMatchObject({ code: 'NOTHING_TO_DEREGISTER', message: expect.stringMatching(/no active registrations/) });
    await expect(request(portalId, { kind: 'search', search: 'zzz' })).rejects.toMatchObject({
      code: 'NOTHING_TO_DEREGISTER',
      message: expect.stringMatching(/No active registration matches "zzz"/),
    });
    expect(await rig.db.deregistrationJob.count({ where: { portalId: BigInt(portalId) } })).toBe(0);
  });

  it('refuses more than 10,000 named ids and unknown portals', async () => {
    const { portalId } = await rig.portalWithRegistrations(1);
    await expect(request(portalId, { kind: 'registrations', registrationIds: Array.from({ length: 10_001 }, (_, n) => String(n + 1)) })).rejects.toMatchObject({
      code: 'SELECTION_TOO_LARGE',
    });
    await expect(request(987_654_321_012, { kind: 'all' })).rejects.toMatchObject({ code: 'PORTAL_NOT_FOUND' });
  });

  it('reads no job for a malformed id or another portal', async () => {
    const { portalId } = await rig.portalWithRegistrations(1);
    const { job } = await request(portalId, { kind: 'all' });
    expect(await getDeregistrationJob(rig.db, { portalId, jobId: 'not-a-uuid' })).toBeNull();
    expect(await getDeregistrationJob(rig.db, { portalId: portalId + 1, jobId: job.id })).toBeNull();
  });
});
