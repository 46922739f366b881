// Registers a contact's domain to a portal: the one way a registration is ever made, whether
// from the card, an automatic rule or the operator.
//
// The limit must hold under any concurrency, from any number of processes. Each registration
// takes its portal's row lock (FOR NO KEY UPDATE) before counting, so registrations of one
// portal are serialised in the database while different portals never wait for each other.
// The count is a separate statement after the lock on purpose: in READ COMMITTED a statement
// that waited for a lock still reads with the snapshot it started with, so counting in the
// locking statement could miss a registration committed while it waited.
// The partial unique index (one active registration per portal and domain) backs up the rule
// that a domain is registered once, whatever path writes.
import type { Capacity } from '../domain/capacity.js';
import { capacityOf, hasRoomForOneMore, type PartnerTier } from '../domain/capacity.js';
import { registrableDomainOf } from '../domain/registrable-domain.js';
import { snapshotOf, type ContactAtRegistration } from '../domain/registration-snapshot.js';
import {
  alreadyRegistered,
  capacityFull,
  invalidWebsite,
  noWebsite,
  portalNotFound,
  type RegistrationRefusal,
} from '../domain/refusals.js';
import type { Database, Transaction } from '../db/client.js';
import type { RegistrationChannel } from '../db/generated/client.js';
import { registrationView, type RegistrationView } from './registration-view.js';

export interface RegisterContactInput {
  portalId: number;
  /** The contact as it is now (for the card: read from HubSpot at the moment of the click). */
  contact: ContactAtRegistration;
  /** Who registers: a HubSpot user's email, an automatic rule's name, or the operator. */
  registeredBy: string;
  channel: RegistrationChannel;
}

export type RegisterContactResult =
  | { ok: true; registration: RegistrationView; capacity: Capacity }
  | { ok: false; refusal: RegistrationRefusal; capacity: Capacity | null };

interface LockedPortal {
  tier: PartnerTier;
  limit_override: number | null;
}

interface PortalState {
  used: number;
  id: bigint | null;
  registered_at: Date | null;
  contact_id: string | null;
  contact_name: string | null;
}

export async function registerContact(db: Database, input: RegisterContactInput): Promise<RegisterContactResult> {
  const portalId = BigInt(input.portalId);
  const website = registrableDomainOf(input.contact.website);

  return db.$transaction(async (tx) => {
    const [portal] = await tx.$queryRaw<LockedPortal[]>`
      SELECT tier::text AS tier, limit_override FROM portals WHERE id = ${portalId} FOR NO KEY UPDATE`;
    if (!portal) return { ok: false, refusal: portalNotFound(input.portalId), capacity: null };

    const domain = website.ok ? website.domain : '';
    const [state] = await tx.$queryRaw<PortalState[]>`
      SELECT (SELECT count(*)::int FROM registrations WHERE portal_id = ${portalId} AND status = 'active') AS used,
             r.id, r.registered_at, r.contact_id, r.contact_name
      FROM (SELECT 1) AS one
      LEFT JOIN registrations r ON r.portal_id = ${portalId} AND r.domain = ${domain} AND r.status = 'active'`;
    const capacity = capacityOf({ tier: portal.tier, limitOverride: portal.limit_override }, state!.used);

    let refusal: RegistrationRefusal | null = null;
    if (!website.ok) {
      refusal =
        website.code === 'NO_WEBSITE'
          ? noWebsite(input.contact.contactId)
          : invalidWebsite(input.contact.contactId, (input.contact.website ?? '').trim(), website.reason);
    } else if (state!.id !== null) {
      refusal = alreadyRegistered(input.contact.contactId, {
        domain,
        registrationId: state!.id.toString(),
        registeredAt: state!.registered_at!,
        contactId: state!.contact_id!,
        contactName: state!.contact_name,
      });
    } else if (!hasRoomForOneMore(capacity)) {
      refusal = capacityFull(capacity);
    }
    if (refusal) {
      await recordRefusal(tx, input, refusal, website.ok ? domain : null);
      return { ok: false, refusal, capacity };
    }

    const snapshot = snapshotOf(input.contact, domain);
    const registration = await tx.registration.create({
      data: { portalId, ...snapshot, registeredBy: input.registeredBy, channel: input.channel },
    });
    await tx.auditEvent.create({
      data: {
        portalId,
        action: 'registration_created',
        actor: input.registeredBy,
        channel: input.channel,
        registrationId: registration.id,
        domain,
        contactId: snapshot.contactId,
        details: { website: snapshot.website },
      },
    });
    return {
      ok: true,
      registration: registrationView(registration),
      capacity: { ...capacity, used: capacity.used + 1, remaining: Math.max(0, capacity.remaining - 1) },
    };
  });
}

async function recordRefusal(tx: Transaction, input: RegisterContactInput, refusal: RegistrationRefusal, domain: string | null) {
  await tx.auditEvent.create({
    data: {
      portalId: BigInt(input.portalId),
      action: 'registration_refused',
      actor: input.registeredBy,
      channel: input.channel,
      domain,
      contactId: input.contact.contactId,
      details: { code: refusal.code, message: refusal.message, ...refusal.details },
    },
  });
}
