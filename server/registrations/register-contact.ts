// Registers a contact's domain to a portal: the one way a registration is ever made, whether
// from the card, an automatic rule or the operator.
//
// The limit must hold under any concurrency, from any number of processes: each registration
// runs under its portal's lock (portal-lock.ts) and counts after taking it. The count is a
// separate statement after the lock on purpose: in READ COMMITTED a statement
// that waited for a lock still reads with the snapshot it started with, so counting in the
// locking statement could miss a registration committed while it waited.
// The partial unique index (one active registration per portal and domain) backs up the rule
// that a domain is registered once, whatever path writes. Refusals are audited in the same
// transaction as the facts they were decided on.
import type { Capacity } from '../domain/capacity.js';
import { capacityLimit, capacityOf, hasRoomForOneMore } from '../domain/capacity.js';
import { registrableDomainOf, type RegistrableDomainResult } from '../domain/registrable-domain.js';
import { snapshotOf, type ContactAtRegistration } from '../domain/registration-snapshot.js';
import {
  alreadyRegistered,
  capacityFull,
  invalidWebsite,
  noWebsite,
  portalNotFound,
  type RegistrationRefusal,
} from '../domain/refusals.js';
import type { Database } from '../db/client.js';
import type { RegistrationChannel } from '../db/generated/client.js';
import { withPortalLock } from './portal-lock.js';
import { registrationRowColumns, registrationView, type RegistrationRow, type RegistrationView } from './registration-view.js';

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

interface PortalState {
  used: number;
  existing_id: string | null;
  existing_registered_at: Date | null;
  existing_contact_id: string | null;
  existing_contact_name: string | null;
}

export async function registerContact(db: Database, input: RegisterContactInput): Promise<RegisterContactResult> {
  const website = registrableDomainOf(input.contact.website);
  const snapshot = snapshotOf(input.contact, website.ok ? website.domain : '');

  // Hand-written SQL on the shared pool, three round trips in all (BEGIN with the lock; the
  // guarded insert; COMMIT): Prisma's interactive transactions cost several times this path's
  // database time, and registration is the app's hottest write.
  return withPortalLock(db, input.portalId, async (sql, portal) => {
    if (!portal) return { ok: false, refusal: portalNotFound(input.portalId), capacity: null };
    const limit = capacityLimit({ tier: portal.tier, limitOverride: portal.limit_override });

    // Reads the portal's state and inserts only when refusalFor() below would find nothing to
    // refuse (a usable website, no active registration of the domain, room under the limit),
    // so that the common case is one statement. This statement's snapshot is taken after the lock.
    const { rows } = await sql.query<PortalState & Partial<RegistrationRow>>({
      // Prepared once per connection: parsing and planning this statement costs as much as running it.
      name: 'register-contact',
      text: `WITH state AS (
         SELECT (SELECT count(*)::int FROM registrations WHERE portal_id = $1 AND status = 'active') AS used,
                r.id::text AS existing_id, r.registered_at AS existing_registered_at,
                r.contact_id AS existing_contact_id, r.contact_name AS existing_contact_name
         FROM (SELECT 1) AS one
         LEFT JOIN registrations r ON r.portal_id = $1 AND r.domain = $2 AND r.status = 'active'
       ), registration AS (
         INSERT INTO registrations (portal_id, domain, website, company_name, contact_name, country, contact_id, search_text, registered_by, channel)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM state
         WHERE $12::boolean AND state.existing_id IS NULL AND state.used < $11
         RETURNING *
       ), audit AS (
         INSERT INTO audit_events (portal_id, action, actor, channel, registration_id, domain, contact_id, details)
         SELECT portal_id, 'registration_created', registered_by, channel, id, domain, contact_id, jsonb_build_object('website', website)
         FROM registration
       )
       SELECT state.*, ${registrationRowColumns('registration')}
       FROM state LEFT JOIN registration ON true`,
      values: [
        input.portalId, snapshot.domain, snapshot.website, snapshot.companyName, snapshot.contactName, snapshot.country,
        snapshot.contactId, snapshot.searchText, input.registeredBy, input.channel, limit, website.ok,
      ],
    });
    const state = rows[0]!;
    const capacity = capacityOf({ tier: portal.tier, limitOverride: portal.limit_override }, state.used);
    if (state.id) {
      return { ok: true, registration: registrationView(state as RegistrationRow), capacity: capacityOf({ tier: portal.tier, limitOverride: portal.limit_override }, state.used + 1) };
    }

    const refusal = refusalFor(input, website, state, capacity);
    if (!refusal) throw new Error(`Registration of ${snapshot.domain} was neither made nor refused; the insert guard and refusalFor disagree.`);
    await sql.query(
      `INSERT INTO audit_events (portal_id, action, actor, channel, domain, contact_id, details)
       VALUES ($1, 'registration_refused', $2, $3, $4, $5, $6)`,
      [input.portalId, input.registeredBy, input.channel, website.ok ? snapshot.domain : null, input.contact.contactId, { code: refusal.code, message: refusal.message, ...refusal.details }],
    );
    return { ok: false, refusal, capacity };
  });
}

function refusalFor(input: RegisterContactInput, website: RegistrableDomainResult, state: PortalState, capacity: Capacity): RegistrationRefusal | null {
  if (!website.ok) {
    return website.code === 'NO_WEBSITE'
      ? noWebsite(input.contact.contactId)
      : invalidWebsite(input.contact.contactId, (input.contact.website ?? '').trim(), website.reason);
  }
  if (state.existing_id !== null) {
    return alreadyRegistered(input.contact.contactId, {
      domain: website.domain,
      registrationId: state.existing_id,
      registeredAt: state.existing_registered_at!,
      contactId: state.existing_contact_id!,
      contactName: state.existing_contact_name,
    });
  }
  return hasRoomForOneMore(capacity) ? null : capacityFull(capacity);
}
