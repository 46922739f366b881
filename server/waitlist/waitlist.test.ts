// The waitlist's use cases on the real PostgreSQL, and serving it against the HubSpot fake, with
// the serve called directly (workers/waitlist-workers.test.ts runs it on worker processes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { createLogger } from '../observability/logger.js';
import { deregisterRegistrations } from '../registrations/deregister-registrations.js';
import { registerContacts, WaitlistEntryEndedError } from '../registrations/register-contacts.js';
import { getWaitlistSkips } from './get-waitlist-skips.js';
import { joinWaitlist } from './join-waitlist.js';
import { leaveWaitlist } from './leave-waitlist.js';
import { serveWaitlists } from './serve-waitlists.js';
import { getWaitlistStanding } from './waitlist-position.js';

let rig: DeregistrationRig;
const logger = createLogger({ level: 'silent', name: 'test' });
beforeAll(async () => {
  rig = await startDeregistrationRig();
});
afterAll(() => rig.stop());

const serve = () => serveWaitlists({ db: rig.db, hubspot: rig.hubspot, queues: rig.queues, logger });

/** A portal holding one domain, and its registration. */
async function holder() {
  const portal = await rig.portalWithRegistrations(1);
  return { portalId: portal.portalId, domain: portal.domains[0]!, registrationId: portal.registrationIds[0]! };
}

/** A partner (installed, with a contact of `domain` in HubSpot) that joins the waitlist for it. */
async function waiter(domain: string, { limitOverride, company = 'Waiting AB' }: { limitOverride?: number; company?: string } = {}) {
  const { portalId } = await rig.portalWithRegistrations(0, { limitOverride });
  const [contact] = rig.hubspotRig.fake.contacts.seed(portalId, [{ website: `https://${domain}/`, company, firstname: 'Wanda' }]);
  const joined = await joinWaitlist(rig.db, { portalId, domain, contactId: contact!.id, joinedBy: `user@${portalId}.example`, queuePrefix: rig.queues.prefix });
  return { portalId, contactId: contact!.id, joined };
}

const audit = (portalId: number, action: string) => rig.db.auditEvent.findMany({ where: { portalId: BigInt(portalId), action: action as never }, orderBy: { id: 'asc' } });
const release = (held: Awaited<ReturnType<typeof holder>>) =>
  deregisterRegistrations(rig.db, { portalId: held.portalId, registrationIds: [held.registrationId], deregisteredBy: 'owner@holder.example' });

describe('joining and leaving', () => {
  it('joins for a domain another partner holds: audited, uses no capacity, position never names anyone', async () => {
    const held = await holder();
    const first = await waiter(held.domain);
    const second = await waiter(held.domain);
    expect(first.joined).toMatchObject({ ok: true, joined: true, place: { position: 1, skipCount: 0 } });
    expect(second.joined).toMatchObject({ ok: true, place: { position: 2 } });
    expect(await audit(first.portalId, 'waitlist_joined')).toMatchObject([{ domain: held.domain, contactId: first.contactId }]);
    expect(await rig.db.registration.count({ where: { portalId: BigInt(first.portalId) } })).toBe(0);

    const standing = await getWaitlistStanding(rig.db, { portalId: second.portalId, domain: held.domain });
    expect(standing.held?.heldSince).toBeInstanceOf(Date);
    const said = JSON.stringify(standing);
    for (const other of [held.portalId, first.portalId]) expect(said).not.toContain(String(other));
    expect(Object.keys(standing.waiting!).sort()).toEqual(['contactId', 'entryId', 'joinedAt', 'position', 'skipCount', 'skippedAt']);

    // Joining again keeps the one place; leaving moves those behind up.
    const again = await joinWaitlist(rig.db, {
      portalId: first.portalId,
      domain: held.domain,
      contactId: first.contactId,
      joinedBy: 'x@y.example',
      queuePrefix: rig.queues.prefix,
    });
    expect(again).toMatchObject({ ok: true, joined: false, place: { position: 1 } });
    expect(await audit(first.portalId, 'waitlist_joined')).toHaveLength(1);
    expect(await leaveWaitlist(rig.db, { portalId: first.portalId, domain: held.domain, leftBy: 'x@y.example' })).toBe(true);
    expect(await leaveWaitlist(rig.db, { portalId: first.portalId, domain: held.domain, leftBy: 'x@y.example' })).toBe(false);
    expect(await audit(first.portalId, 'waitlist_left')).toMatchObject([{ actor: 'x@y.example', domain: held.domain }]);
    expect((await getWaitlistStanding(rig.db, { portalId: second.portalId, domain: held.domain })).waiting?.position).toBe(1);
  });

  it('refuses to join for a free domain or one the partner holds itself', async () => {
    const held = await holder();
    const own = await joinWaitlist(rig.db, { portalId: held.portalId, domain: held.domain, contactId: '1', joinedBy: 'a@b.example', queuePrefix: rig.queues.prefix });
    expect(own).toMatchObject({ ok: false, refusal: { code: 'DOMAIN_OWN' } });
    const free = await waiter('nobody-holds-this.se');
    expect(free.joined).toMatchObject({ ok: false, refusal: { code: 'DOMAIN_NOT_HELD' } });
    expect(await rig.db.waitlistEntry.count({ where: { portalId: { in: [BigInt(held.portalId), BigInt(free.portalId)] } } })).toBe(0);
  });
});

describe('serving a released domain', () => {
  it("registers it to the first partner waiting, channel waitlist, with the contact's data as HubSpot holds it now, and writes it back", async () => {
    const held = await holder();
    const first = await waiter(held.domain, { company: 'Old Name AB' });
    const second = await waiter(held.domain);
    rig.hubspotRig.fake.contacts.update(first.portalId, first.contactId, { company: 'New Name AB', country: 'Sweden' });
    expect((await serve()).assigned).toBe(0);
    await release(held);
    expect(await serve()).toMatchObject({ assigned: 1, skipped: 0 });

    const [registration] = await rig.db.registration.findMany({ where: { portalId: BigInt(first.portalId) } });
    expect(registration).toMatchObject({ domain: held.domain, channel: 'waitlist', companyName: 'New Name AB', country: 'Sweden', status: 'active', contactId: first.contactId });
    expect(await rig.db.waitlistEntry.findFirst({ where: { portalId: BigInt(first.portalId) } })).toMatchObject({ status: 'assigned', registrationId: registration!.id });
    expect(await audit(first.portalId, 'waitlist_assigned')).toMatchObject([{ registrationId: registration!.id, channel: 'waitlist' }]);
    // No worker runs in this file: the write-back waits in the outbox, queued with the registration.
    const outbox = await rig.db.contactWriteBack.findUnique({ where: { portalId_contactId: { portalId: BigInt(first.portalId), contactId: first.contactId } } });
    expect(outbox?.properties).toMatchObject({
      [APP_PROPERTIES.status]: 'registered',
      [APP_PROPERTIES.registeredDomain]: held.domain,
      [APP_PROPERTIES.registeredAt]: registration!.registeredAt.toISOString(),
    });
    // The next in line still waits, now first; serving again changes nothing.
    expect((await getWaitlistStanding(rig.db, { portalId: second.portalId, domain: held.domain })).waiting?.position).toBe(1);
    expect(await serve()).toMatchObject({ assigned: 0 });
    expect(await rig.db.registration.count({ where: { domain: held.domain, status: 'active' } })).toBe(1);
  });

  it('skips a partner without room (it keeps its place, told on its contact) and serves the next', async () => {
    const held = await holder();
    const full = await waiter(held.domain, { limitOverride: 0 });
    const next = await waiter(held.domain);
    await release(held);
    expect(await serve()).toMatchObject({ assigned: 1, skipped: 1 });
    expect(await rig.db.registration.count({ where: { portalId: BigInt(next.portalId), domain: held.domain, channel: 'waitlist' } })).toBe(1);
    expect(await rig.db.waitlistEntry.findFirst({ where: { portalId: BigInt(full.portalId) } })).toMatchObject({ status: 'waiting', skipCount: 1 });
    expect(await audit(full.portalId, 'waitlist_skipped')).toHaveLength(1);
    const told = await rig.db.contactWriteBack.findUnique({ where: { portalId_contactId: { portalId: BigInt(full.portalId), contactId: full.contactId } } });
    expect(told?.properties).toMatchObject({ [APP_PROPERTIES.status]: 'refused' });
    const properties = told!.properties as Record<string, string>;
    expect(properties[APP_PROPERTIES.refusalReason]).toContain('You keep your place');
    // The Capacity Manager's status bar says so too (GET /api/capacity, waitlistSkips).
    expect(await getWaitlistSkips(rig.db, { portalId: full.portalId })).toMatchObject({ count: 1, recent: [{ domain: held.domain }] });
    expect(await getWaitlistSkips(rig.db, { portalId: next.portalId })).toEqual({ count: 0, recent: [] });
  });

  it('skips a partner without room once per release: serving again (a retried run, the sweeper) neither counts nor tells it twice', async () => {
    const held = await holder();
    const full = await waiter(held.domain, { limitOverride: 0 });
    await release(held);
    expect(await serve()).toMatchObject({ assigned: 0, skipped: 1 });
    expect(await serve()).toMatchObject({ assigned: 0, skipped: 0 });
    expect(await rig.db.waitlistEntry.findFirst({ where: { portalId: BigInt(full.portalId) } })).toMatchObject({ status: 'waiting', skipCount: 1 });
    expect(await audit(full.portalId, 'waitlist_skipped')).toHaveLength(1);

    // The next release counts again: another partner registers the domain, then lets it go.
    const other = await rig.portalWithRegistrations(0);
    const [again] = await registerContacts(rig.db, {
      portalId: other.portalId,
      contacts: [{ contact: { contactId: 'again', website: `https://${held.domain}` }, registeredBy: 'x@other.example', channel: 'card' }],
    });
    expect(again?.ok).toBe(true);
    await deregisterRegistrations(rig.db, { portalId: other.portalId, registrationIds: [again!.ok ? again!.registration.id : ''], deregisteredBy: 'x@other.example' });
    expect(await serve()).toMatchObject({ skipped: 1 });
    expect(await rig.db.waitlistEntry.findFirst({ where: { portalId: BigInt(full.portalId) } })).toMatchObject({ skipCount: 2 });
    expect(await audit(full.portalId, 'waitlist_skipped')).toHaveLength(2);
  });

  it('a partner that left the waitlist a moment before the hand-over is not registered: the registration rolls back', async () => {
    const held = await holder();
    const leaving = await waiter(held.domain);
    const entry = await rig.db.waitlistEntry.findFirstOrThrow({ where: { portalId: BigInt(leaving.portalId) } });
    await release(held);
    // The serve read the entry as waiting; the partner leaves before the registration commits.
    await leaveWaitlist(rig.db, { portalId: leaving.portalId, domain: held.domain, leftBy: 'me@x.example' });
    const handOver = registerContacts(rig.db, {
      portalId: leaving.portalId,
      contacts: [
        { contact: { contactId: leaving.contactId, website: `https://${held.domain}/` }, registeredBy: 'me@x.example', channel: 'waitlist', waitlistEntryId: entry.id.toString() },
      ],
    });
    await expect(handOver).rejects.toBeInstanceOf(WaitlistEntryEndedError);
    expect(await rig.db.registration.count({ where: { portalId: BigInt(leaving.portalId) } })).toBe(0);
    expect(await audit(leaving.portalId, 'registration_created')).toEqual([]);
    expect(await serve()).toMatchObject({ assigned: 0 });
  });

  it('a partner that registered the domain itself meanwhile waits no more, so a later release never hands it back', async () => {
    const held = await holder();
    const self = await waiter(held.domain);
    await release(held);
    // The partner registers it on the card before the serve runs.
    const { registerContact } = await import('../registrations/register-contact.js');
    expect(
      await registerContact(rig.db, {
        portalId: self.portalId,
        contact: { contactId: self.contactId, website: `https://${held.domain}/` },
        registeredBy: 'me@x.example',
        channel: 'card',
      }),
    ).toMatchObject({ ok: true });
    expect(await rig.db.waitlistEntry.findFirst({ where: { portalId: BigInt(self.portalId) } })).toMatchObject({ status: 'assigned' });
    expect(await serve()).toMatchObject({ assigned: 0 });
  });
});
