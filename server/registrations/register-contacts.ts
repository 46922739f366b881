// Registers contacts' domains to a portal: the one way registrations are ever made, whether one
// from the card or many at once from a webhook job.
//
// The limit must hold under any concurrency, from any number of processes: every batch runs
// under its portal's lock (portal-lock.ts) and reads the count after taking it. That read is a
// statement of its own on purpose: in READ COMMITTED a statement that waited for a lock still
// reads with the snapshot it started with, so counting in the locking statement could miss a
// registration committed while it waited (the read travels in the lock's round trip, as a
// statement of its own). Then the rules are applied in memory, contact by
// contact in the order given (a usable website; not a free-mail or internet provider's domain,
// unless the operator allowed it; one active registration per domain, also within the batch;
// room under the limit), and everything accepted is inserted with its audit
// rows in one statement; refusals are audited in the same transaction. Two round trips for a
// batch of any size (BEGIN with the locks and reads; the writes with COMMIT), every statement
// prepared once per connection (db/session-statements.ts): registration is the app's hottest
// write, and Prisma's interactive transactions would cost several times the database's own
// time, so this is hand-written SQL.
// The partial unique index (one active registration per portal and domain) backs the rule up
// whatever path writes.
import { capacityOf, hasRoomForOneMore, type Capacity } from '../domain/capacity.js';
import { registrableDomainOf } from '../domain/registrable-domain.js';
import { snapshotOf, type ContactAtRegistration, type RegistrationSnapshot } from '../domain/registration-snapshot.js';
import { isFreeMailDomain, refusedAsFreeMail } from '../domain/free-mail-domains.js';
import { alreadyRegistered, capacityFull, domainHeld, freeMailDomain, invalidWebsite, noWebsite, portalNotFound, type RegistrationRefusal } from '../domain/refusals.js';
import { claimPeriodFor } from '../domain/claims.js';
import type pg from 'pg';
import { asResults, type Database } from '../db/client.js';
import { executeSql, type SessionStatement } from '../db/session-statements.js';
import type { RegistrationChannel } from '../db/generated/client.js';
import { AppError } from '../errors/app-error.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { withPortalLock } from './portal-lock.js';
import { CLAIM_STATE, LOCK_DOMAINS, readClaimState, type ClaimState } from './program-claims.js';
import { registrationRowColumns, registrationView, type RegistrationRow, type RegistrationView } from './registration-view.js';

export interface ContactToRegister {
  /** The contact as it is now (for the card: read from HubSpot at the moment of the click). */
  contact: ContactAtRegistration;
  /** Who registers: a HubSpot user's email, an automatic rule's name, or the operator. */
  registeredBy: string;
  channel: RegistrationChannel;
  /** The waitlist entry this registration serves (channel waitlist): marked assigned in the same transaction. */
  waitlistEntryId?: string;
}

export type RegisterContactResult = { ok: true; registration: RegistrationView; capacity: Capacity } | { ok: false; refusal: RegistrationRefusal; capacity: Capacity | null };

interface ActiveRegistration {
  domain: string;
  id: string;
  registered_at: string;
  contact_id: string;
  contact_name: string | null;
}

type Decision =
  | { kind: 'refused'; refusal: RegistrationRefusal; used: number }
  | { kind: 'accepted'; snapshot: RegistrationSnapshot; used: number }
  | { kind: 'duplicate'; domain: string; used: number };

/** Registers each contact if the rules allow; one result per contact, in the order given. */
export interface RegisterContactsInput {
  portalId: number;
  /** In the order to register them while capacity lasts. */
  contacts: ContactToRegister[];
}

/** The portal's count, its active registrations of these domains ($2) and which free-mail domains ($3) the operator allowed. */
const REGISTRATION_STATE: SessionStatement = {
  name: 'pc_registration_state',
  types: ['bigint', 'text[]', 'text[]'],
  text: `SELECT (SELECT count(*)::int FROM registrations WHERE portal_id = $1 AND status = 'active') AS used,
      coalesce((SELECT json_agg(json_build_object('domain', domain, 'id', id::text, 'registered_at', registered_at,
                  'contact_id', contact_id, 'contact_name', contact_name))
                FROM registrations WHERE portal_id = $1 AND status = 'active' AND domain = ANY($2::text[])), '[]') AS active,
      coalesce((SELECT json_agg(domain) FROM allowed_free_mail_domains WHERE domain = ANY($3::text[])), '[]') AS allowed_free_mail`,
};

/** The accepted registrations ($2, a JSON array of snapshots) with their audit rows, claimed for $3 days (NULL: no end). */
const REGISTRATION_INSERT: SessionStatement = {
  name: 'pc_registration_insert',
  types: ['bigint', 'jsonb', 'int'],
  text: `WITH registration AS (
           INSERT INTO registrations (portal_id, domain, website, company_name, contact_name, country, contact_id, search_text, registered_by, channel, expires_at)
           SELECT $1, r.domain, r.website, r.company_name, r.contact_name, r.country, r.contact_id, r.search_text, r.registered_by, r.channel::registration_channel,
                  now() + make_interval(days => $3)
           FROM jsonb_to_recordset($2) AS r(domain text, website text, company_name text, contact_name text, country text,
                                            contact_id text, search_text text, registered_by text, channel text)
           RETURNING *
         ), audit AS (
           INSERT INTO audit_events (portal_id, action, actor, channel, registration_id, domain, contact_id, details)
           SELECT portal_id, 'registration_created', registered_by, channel, id, domain, contact_id, jsonb_build_object('website', website)
           FROM registration
         ), fulfilled AS (
           -- A partner waiting for a domain that it now registers otherwise (the card, a rule,
           -- once the domain is free) waits no more: else a later release would hand the
           -- domain back to it after it let it go. Entries the waitlist serves end below.
           UPDATE waitlist_entries AS entry SET status = 'assigned', ended_at = now(), registration_id = registration.id
           FROM registration
           WHERE entry.domain = registration.domain AND entry.portal_id = registration.portal_id AND entry.status = 'waiting'
             AND registration.channel <> 'waitlist'
           RETURNING entry.*, registration.registered_by, registration.channel
         ), fulfilled_audit AS (
           INSERT INTO audit_events (portal_id, action, actor, channel, registration_id, domain, contact_id, details)
           SELECT portal_id, 'waitlist_assigned', registered_by, channel, registration_id, domain, contact_id,
                  jsonb_build_object('waitlistEntryId', id::text, 'joinedAt', joined_at, 'joinedBy', joined_by)
           FROM fulfilled
         )
         SELECT ${registrationRowColumns()} FROM registration`,
};

/** The refusals' audit rows ($2, a JSON array). */
const REFUSAL_AUDIT: SessionStatement = {
  name: 'pc_registration_refusal_audit',
  types: ['bigint', 'jsonb'],
  text: `INSERT INTO audit_events (portal_id, action, actor, channel, domain, contact_id, details)
         SELECT $1, 'registration_refused', r.actor, r.channel::registration_channel, r.domain, r.contact_id, r.details
         FROM jsonb_to_recordset($2) AS r(actor text, channel text, domain text, contact_id text, details jsonb)`,
};

export async function registerContacts(db: Pick<Database, 'pool'>, { portalId, contacts }: RegisterContactsInput): Promise<RegisterContactResult[]> {
  if (contacts.length === 0) return [];
  const domains = contacts.map(({ contact }) => registrableDomainOf(contact.website));
  const validDomains = domains.flatMap((domain) => (domain.ok ? [domain.domain] : []));
  const freeMail = validDomains.filter((domain) => isFreeMailDomain(domain));

  return withPortalLock(
    db,
    portalId,
    async (sql, portal, [, claimRows, stateRows], end) => {
      if (!portal) return contacts.map(() => ({ ok: false as const, refusal: portalNotFound(portalId), capacity: null }));
      const state = stateRows![0] as { used: number; active: ActiveRegistration[]; allowed_free_mail: string[] };
      const claims = readClaimState(claimRows![0] as ClaimState);
      const settings = { tier: portal.tier, limitOverride: portal.limit_override };
      const active = new Map(state.active.map((registration) => [registration.domain, registration]));
      const allowedFreeMail = new Set(state.allowed_free_mail);
      const periodDays = claimPeriodFor(claims.settings, portal.tier);

      // The rules, contact by contact; a domain accepted earlier in the batch counts as registered.
      let used = state.used;
      const acceptedDomains = new Set<string>();
      const decisions: Decision[] = contacts.map(({ contact }, index) => {
        const website = domains[index]!;
        if (!website.ok) {
          const refusal = website.code === 'NO_WEBSITE' ? noWebsite(contact.contactId) : invalidWebsite(contact.contactId, (contact.website ?? '').trim(), website.reason);
          return { kind: 'refused', refusal, used };
        }
        if (refusedAsFreeMail(website.domain, allowedFreeMail)) return { kind: 'refused', refusal: freeMailDomain(contact.contactId, website.domain), used };
        const existing = active.get(website.domain);
        if (existing) {
          const refusal = alreadyRegistered(contact.contactId, {
            domain: website.domain,
            registrationId: existing.id,
            registeredAt: new Date(existing.registered_at),
            contactId: existing.contact_id,
            contactName: existing.contact_name,
          });
          return { kind: 'refused', refusal, used };
        }
        const held = claims.heldElsewhere.get(website.domain);
        if (held) return { kind: 'refused', refusal: domainHeld(contact.contactId, { domain: website.domain, ...held }), used };
        if (acceptedDomains.has(website.domain)) return { kind: 'duplicate', domain: website.domain, used };
        const capacity = capacityOf(settings, used);
        if (!hasRoomForOneMore(capacity)) return { kind: 'refused', refusal: capacityFull(capacity), used };
        acceptedDomains.add(website.domain);
        used += 1;
        return { kind: 'accepted', snapshot: snapshotOf(contact, website.domain), used };
      });

      // The writes: the accepted registrations, then the refusals' audit rows. Usually they
      // travel with the COMMIT, in one round trip. A batch that names a domain twice (its
      // refusal names the registration just made) or that serves waitlist entries (marked with
      // the new registrations' ids, and checked before the commit) needs the registrations back
      // first, so it writes the rest in a further round trip and commits after.
      const accepted = decisions.flatMap((decision, index) => (decision.kind === 'accepted' ? [{ ...decision.snapshot, ...contacts[index]! }] : []));
      const refusedIndexes = decisions.flatMap((decision, index) => (decision.kind === 'refused' ? [index] : []));
      const duplicateIndexes = decisions.flatMap((decision, index) => (decision.kind === 'duplicate' ? [index] : []));
      const servesWaitlist = accepted.some((row) => row.waitlistEntryId);
      const writes: string[] = [];
      if (accepted.length > 0) writes.push(executeSql(REGISTRATION_INSERT, [portalId, JSON.stringify(accepted.map(insertedRow)), periodDays]));
      const refusalAudit = (indexes: number[], refusalAt: (index: number) => RegistrationRefusal) =>
        executeSql(REFUSAL_AUDIT, [portalId, JSON.stringify(indexes.map((index) => refusalAuditRow(contacts[index]!, domains[index]!, refusalAt(index))))]);
      const refusalOf = (index: number) => (decisions[index] as Extract<Decision, { kind: 'refused' }>).refusal;
      if (refusedIndexes.length > 0) writes.push(refusalAudit(refusedIndexes, refusalOf));

      const lastWrites = duplicateIndexes.length === 0 && !servesWaitlist;
      const written = lastWrites ? await end.commitWith(writes) : writes.length > 0 ? asResults(await sql.query(writes.join('; '))) : [];
      const inserted = new Map<string, RegistrationRow>();
      if (accepted.length > 0) for (const row of written[0]!.rows as RegistrationRow[]) inserted.set(row.domain, row);

      // A domain named twice in the batch: the refusal names the registration its first mention made.
      const duplicateOf = (index: number) => {
        const first = inserted.get((decisions[index] as Extract<Decision, { kind: 'duplicate' }>).domain)!;
        return alreadyRegistered(contacts[index]!.contact.contactId, {
          domain: first.domain,
          registrationId: String(first.id),
          registeredAt: first.registeredAt,
          contactId: first.contactId,
          contactName: first.contactName,
        });
      };
      if (!lastWrites) {
        const served = accepted.flatMap((row) => (row.waitlistEntryId ? [{ entry_id: row.waitlistEntryId, registration_id: String(inserted.get(row.domain)!.id) }] : []));
        if (served.length > 0) await markWaitlistEntriesAssigned(sql, portalId, served);
        if (duplicateIndexes.length > 0) await sql.query(refusalAudit(duplicateIndexes, duplicateOf));
      }

      return decisions.map((decision, index): RegisterContactResult => {
        const capacity = capacityOf(settings, decision.used);
        if (decision.kind === 'accepted') return { ok: true, registration: registrationView(inserted.get(decision.snapshot.domain)!), capacity };
        if (decision.kind === 'refused') return { ok: false, refusal: decision.refusal, capacity };
        return { ok: false, refusal: duplicateOf(index), capacity };
      });
    },
    {
      thenRead: [executeSql(LOCK_DOMAINS, [validDomains]), executeSql(CLAIM_STATE, [portalId, validDomains]), executeSql(REGISTRATION_STATE, [portalId, validDomains, freeMail])],
      prepare: [LOCK_DOMAINS, CLAIM_STATE, REGISTRATION_STATE, REGISTRATION_INSERT, REFUSAL_AUDIT],
    },
  );
}

function insertedRow(row: RegistrationSnapshot & ContactToRegister) {
  return {
    domain: row.domain,
    website: row.website,
    company_name: row.companyName,
    contact_name: row.contactName,
    country: row.country,
    contact_id: row.contactId,
    search_text: row.searchText,
    registered_by: row.registeredBy,
    channel: row.channel,
  };
}

function refusalAuditRow(request: ContactToRegister, domain: ReturnType<typeof registrableDomainOf>, refusal: RegistrationRefusal) {
  return {
    actor: request.registeredBy,
    channel: request.channel,
    domain: domain.ok ? domain.domain : null,
    contact_id: request.contact.contactId,
    details: { code: refusal.code, message: refusal.message, ...refusal.details },
  };
}

/**
 * The waitlist entries a registration served end, with their audit rows and the write-back that
 * tells each contact it is registered, in the registration's transaction: a worker killed after
 * the commit leaves nothing of the hand-over undone (the outbox row is flushed by the sweeper if
 * no flush was queued). An entry that is no longer waiting (the partner left the waitlist
 * meanwhile; the row lock orders the two) rolls the whole registration back.
 */
async function markWaitlistEntriesAssigned(sql: pg.PoolClient, portalId: number, served: Array<{ entry_id: string; registration_id: string }>): Promise<void> {
  const { rowCount } = await sql.query(
    `WITH assigned AS (
       UPDATE waitlist_entries AS entry SET status = 'assigned', ended_at = now(), registration_id = served.registration_id
       FROM jsonb_to_recordset($2::jsonb) AS served(entry_id bigint, registration_id bigint)
       WHERE entry.id = served.entry_id AND entry.portal_id = $1 AND entry.status = 'waiting'
       RETURNING entry.*
     ), told AS (
       INSERT INTO contact_write_backs (portal_id, contact_id, properties, updated_at, queue_prefix)
       SELECT r.portal_id, r.contact_id,
              jsonb_build_object($3::text, 'registered', $4::text, r.domain,
                                 $5::text, to_char(r.registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), $6::text, ''),
              now(), assigned.queue_prefix
       FROM assigned JOIN registrations r ON r.id = assigned.registration_id
       ON CONFLICT (portal_id, contact_id) DO UPDATE
         SET properties = contact_write_backs.properties || EXCLUDED.properties, updated_at = now(), attempts = 0, last_error = NULL,
             not_in_hubspot_at = NULL, queue_prefix = EXCLUDED.queue_prefix
     )
     INSERT INTO audit_events (portal_id, action, actor, channel, registration_id, domain, contact_id, details)
     SELECT portal_id, 'waitlist_assigned', 'waitlist', 'waitlist', registration_id, domain, contact_id,
            jsonb_build_object('waitlistEntryId', id::text, 'joinedAt', joined_at, 'joinedBy', joined_by)
     FROM assigned`,
    [portalId, JSON.stringify(served), APP_PROPERTIES.status, APP_PROPERTIES.registeredDomain, APP_PROPERTIES.registeredAt, APP_PROPERTIES.refusalReason],
  );
  if (rowCount !== served.length) throw new WaitlistEntryEndedError();
}

/** The waitlist entry a hand-over served is no longer waiting: its registration was rolled back. */
export class WaitlistEntryEndedError extends AppError {
  constructor() {
    super({
      kind: 'conflict',
      code: 'WAITLIST_ENTRY_ENDED',
      message: 'The partner left the waitlist before the domain could be registered to it; the next partner in line is served instead.',
    });
  }
}
