// Serving the waitlists: a released domain goes to the first waiting partner with room.
//
// Driven by state, not by events: the domains to serve are those with partners waiting (this
// deployment's entries) and no active holder, whatever released them — a deregistration chunk,
// an expiry, an operator's resolution, or a join that raced a release. A job (waitlist-queue.ts)
// is queued after each release commits, and the sweeper queues one while such domains remain,
// so a worker that dies mid-serve loses nothing: the next run finds the domain still free.
//
// Each domain is served on its own, under a session advisory lock of its own (try-lock: a
// domain another worker serves is left to it; the lock goes with the connection if the process
// dies), in line order:
// - the partner's contact is read from HubSpot at that moment (batch read, the 'sync' lane) and
//   registered through registerContacts, channel `waitlist`, in its own call (the lock order:
//   never a portal lock under domain locks). That transaction marks the entry assigned, audits
//   it and queues the contact's write-back; exclusive claims make a second hand-over of the same
//   domain impossible (it is refused DOMAIN_HELD or ALREADY_REGISTERED and stops there);
// - a partner without room is skipped: skip count and time, audit `waitlist_skipped` and the
//   write-back that tells its contact, in one statement; it keeps its place, the next is tried.
//   Once per release: a partner already skipped since the domain was last released is passed
//   over without counting or telling it again (a run retried after a crash, the sweeper's next
//   run, the serve queued by another release elsewhere);
// - an entry that can no longer be served (its contact is gone from HubSpot, its website points
//   elsewhere now, the domain became unregistrable) ends, audited and told on the contact.
import type { Database } from '../db/client.js';
import { hasRoomForOneMore } from '../domain/capacity.js';
import { displayDomain, registrableDomainOf } from '../domain/registrable-domain.js';
import { CONTACT_PROPERTIES_READ } from '../hubspot/app-properties.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import type { HubSpotContactRecord } from '../hubspot/hubspot-api.js';
import { HubSpotDisconnectedError } from '../hubspot/hubspot-errors.js';
import { contactAtRegistration } from '../hubspot/read-contact.js';
import { enqueueWriteBackFlush, refusedProperties } from '../hubspot/write-back.js';
import type { Logger } from '../observability/logger.js';
import { countRegistrationOutcomes } from '../observability/metrics.js';
import type { AppQueues } from '../queue/queues.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { registerContacts, WaitlistEntryEndedError, type RegisterContactResult } from '../registrations/register-contacts.js';
import { enqueueWaitlistServe } from './waitlist-queue.js';

export interface ServeWaitlistsDeps {
  db: Database;
  hubspot: Pick<HubSpot, 'api'>;
  queues: Pick<AppQueues, 'contactWriteBack' | 'waitlist' | 'prefix'>;
  logger: Logger;
}

export interface ServeReport {
  /** Domains looked at. */
  domains: number;
  assigned: number;
  skipped: number;
  /** Entries ended because they can no longer be served. */
  ended: number;
  /** Domains another worker was serving. */
  busy: number;
}

/** Domains one run serves; more are left to the job it queues next. */
const DOMAINS_PER_RUN = 200;

/** The advisory lock space of serving a domain (two-key form): "PCws". Not the claim locks' space. */
const SERVE_LOCK_SPACE = 0x50437773;

/** Whether this deployment has released domains with partners waiting: what the sweeper asks. */
export async function hasWaitlistsToServe(db: Pick<Database, 'pool'>, queuePrefix: string): Promise<boolean> {
  return (await domainsToServe(db, queuePrefix, 1)).length > 0;
}

async function domainsToServe(db: Pick<Database, 'pool'>, queuePrefix: string, limit: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ domain: string }>(
    `SELECT entry.domain FROM waitlist_entries entry
     WHERE entry.status = 'waiting' AND entry.queue_prefix = $1
       AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.domain = entry.domain AND r.status = 'active')
     GROUP BY entry.domain ORDER BY min(entry.joined_at), entry.domain LIMIT $2`,
    [queuePrefix, limit],
  );
  return rows.map((row) => row.domain);
}

export async function serveWaitlists(deps: ServeWaitlistsDeps): Promise<ServeReport> {
  const report: ServeReport = { domains: 0, assigned: 0, skipped: 0, ended: 0, busy: 0 };
  const domains = await domainsToServe(deps.db, deps.queues.prefix, DOMAINS_PER_RUN + 1);
  for (const domain of domains.slice(0, DOMAINS_PER_RUN)) {
    report.domains += 1;
    await serveDomain(deps, domain, report);
  }
  if (domains.length > DOMAINS_PER_RUN) await enqueueWaitlistServe(deps.queues);
  if (report.assigned || report.skipped || report.ended) deps.logger.info(report, 'waitlists served');
  return report;
}

interface WaitingEntry {
  id: string;
  portal_id: string;
  contact_id: string;
  joined_by: string;
  disconnected: boolean;
  held: boolean;
}

/** `passed`: skipped already for this release, so not counted or told again. */
type Offer = 'assigned' | 'skipped' | 'passed' | 'ended' | 'held';

/** Serves one domain under its serve lock; a domain locked by another worker is counted busy. */
async function serveDomain(deps: ServeWaitlistsDeps, domain: string, report: ServeReport): Promise<void> {
  const lock = await deps.db.pool.connect();
  let broken = false;
  try {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [SERVE_LOCK_SPACE, domain]);
    if (!rows[0]!.locked) {
      report.busy += 1;
      return;
    }
    try {
      // Each partner is offered the domain at most once per run, in line order.
      const offered = new Set<string>();
      for (;;) {
        const entries = await waitingEntries(deps, domain);
        if (entries.length === 0 || entries[0]!.held) return;
        const next = entries.find((entry) => !offered.has(entry.id));
        if (!next) return;
        offered.add(next.id);
        const offer = await offerDomain(deps, domain, next);
        if (offer === 'assigned' || offer === 'held') {
          if (offer === 'assigned') report.assigned += 1;
          return;
        }
        if (offer !== 'passed') report[offer] += 1;
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [SERVE_LOCK_SPACE, domain]).catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A connection whose unlock failed is closed, which releases the lock with its session.
    lock.release(broken);
  }
}

async function waitingEntries(deps: ServeWaitlistsDeps, domain: string): Promise<WaitingEntry[]> {
  const { rows } = await deps.db.pool.query<WaitingEntry>(
    `SELECT entry.id::text, entry.portal_id::text, entry.contact_id, entry.joined_by, portal.install_state = 'disconnected' AS disconnected,
            EXISTS (SELECT 1 FROM registrations r WHERE r.domain = $1 AND r.status = 'active') AS held
     FROM waitlist_entries entry JOIN portals portal ON portal.id = entry.portal_id
     WHERE entry.domain = $1 AND entry.status = 'waiting' AND entry.queue_prefix = $2
     ORDER BY entry.joined_at, entry.id`,
    [domain, deps.queues.prefix],
  );
  return rows;
}

/** Offers the domain to one waiting partner. */
async function offerDomain(deps: ServeWaitlistsDeps, domain: string, entry: WaitingEntry): Promise<Offer> {
  const portalId = Number(entry.portal_id);
  const shown = displayDomain(domain);
  if (entry.disconnected) return skip(deps, entry, 'The app is disconnected from this HubSpot account.');
  const capacity = await getCapacity(deps.db, { portalId });
  if (!capacity) return endEntry(deps, entry, 'The partner no longer has Partner Capacity installed.', null);
  if (!hasRoomForOneMore(capacity)) return skip(deps, entry, noRoom(shown, capacity.used, capacity.limit));

  let records: HubSpotContactRecord[];
  try {
    records = await deps.hubspot.api.forPortal(portalId, 'sync').batchReadContacts([entry.contact_id], CONTACT_PROPERTIES_READ);
  } catch (error) {
    if (error instanceof HubSpotDisconnectedError) return skip(deps, entry, 'The app is disconnected from this HubSpot account.');
    throw error;
  }
  const record = records[0];
  if (!record) return endEntry(deps, entry, `The contact that waited for ${shown} is no longer in HubSpot.`, null);
  // A contact merged into another waits on as the surviving record.
  const contact = contactAtRegistration({ ...record, id: record.mergedIntoId ?? record.id });
  const current = registrableDomainOf(contact.website);
  if (!current.ok || current.domain !== domain) {
    const message = `${shown} was released, but this contact's website no longer points to it, so it was not registered and the contact left the waitlist. Register the right contact of ${shown} on its card if it is still free.`;
    return endEntry(deps, entry, message, contact.contactId);
  }

  let result: RegisterContactResult | undefined;
  try {
    [result] = await registerContacts(deps.db, {
      portalId,
      contacts: [{ contact, registeredBy: entry.joined_by, channel: 'waitlist', waitlistEntryId: entry.id }],
    });
  } catch (error) {
    // The partner left the waitlist a moment before: the registration was rolled back.
    if (error instanceof WaitlistEntryEndedError) return 'ended';
    throw error;
  }
  countRegistrationOutcomes('waitlist', [result!]);
  if (result!.ok) {
    // The write-back row was queued in the registration's transaction; this only hurries it.
    await enqueueWriteBackFlush(deps.queues, portalId);
    return 'assigned';
  }
  const { refusal } = result!;
  switch (refusal.code) {
    case 'CAPACITY_FULL':
      return skip(deps, entry, noRoom(shown, refusal.details.used, refusal.details.limit));
    case 'DOMAIN_HELD':
    case 'ALREADY_REGISTERED':
      // Someone registered it between the scan and this offer: it is held again, the line waits on.
      return 'held';
    default:
      return endEntry(deps, entry, refusal.message, contact.contactId);
  }
}

function noRoom(domain: string, used: number, limit: number): string {
  return `${domain} was released and offered to you from the waitlist, but your capacity was full (${used} of ${limit} domains registered). You keep your place in line; deregister domains you no longer work on to get it next time it is released.`;
}

/**
 * Skipped for want of room (or a connection): counted, audited and told on the contact in one
 * statement; the place is kept. Not again for the same release: an entry skipped after the
 * domain's last release (registrations_released_domain_idx) is passed over unchanged.
 */
async function skip(deps: ServeWaitlistsDeps, entry: WaitingEntry, reason: string): Promise<Offer> {
  const { rowCount } = await deps.db.pool.query(
    `WITH skipped AS (
       UPDATE waitlist_entries AS entry SET skip_count = skip_count + 1, skipped_at = now()
       WHERE entry.id = $1 AND entry.status = 'waiting'
         AND (entry.skipped_at IS NULL OR entry.skipped_at < coalesce(
               (SELECT max(r.deregistered_at) FROM registrations r WHERE r.domain = entry.domain AND r.status = 'deregistered'), '-infinity'))
       RETURNING entry.*
     ), audit AS (
       INSERT INTO audit_events (portal_id, action, actor, channel, domain, contact_id, details)
       SELECT portal_id, 'waitlist_skipped', 'waitlist', 'waitlist', domain, contact_id,
              jsonb_build_object('waitlistEntryId', id::text, 'skipCount', skip_count, 'reason', $2::text)
       FROM skipped
     )
     ${WRITE_BACK_FROM('skipped')}`,
    [entry.id, reason, JSON.stringify(refusedProperties(reason))],
  );
  if (rowCount === 0) return 'passed';
  await enqueueWriteBackFlush(deps.queues, Number(entry.portal_id));
  return 'skipped';
}

/** Ends an entry that can no longer be served, audited (`waitlist_left`, actor waitlist) and told on the contact when it has one. */
async function endEntry(deps: ServeWaitlistsDeps, entry: WaitingEntry, reason: string, contactId: string | null): Promise<Offer> {
  await deps.db.pool.query(
    `WITH ended AS (
       UPDATE waitlist_entries SET status = 'left', ended_at = now()
       WHERE id = $1 AND status = 'waiting'
       RETURNING id, portal_id, domain, coalesce($4::text, contact_id) AS contact_id, joined_at, queue_prefix, $4::text IS NOT NULL AS told
     ), audit AS (
       INSERT INTO audit_events (portal_id, action, actor, channel, domain, contact_id, details)
       SELECT portal_id, 'waitlist_left', 'waitlist', 'waitlist', domain, contact_id,
              jsonb_build_object('waitlistEntryId', id::text, 'joinedAt', joined_at, 'reason', $2::text)
       FROM ended
     )
     ${WRITE_BACK_FROM('(SELECT * FROM ended WHERE told) AS ended')}`,
    [entry.id, reason, JSON.stringify(refusedProperties(reason)), contactId],
  );
  if (contactId) await enqueueWriteBackFlush(deps.queues, Number(entry.portal_id));
  return 'ended';
}

/** The write-back (outbox) of properties $3 to the contacts of `source`, coalesced as write-back.ts does. */
const WRITE_BACK_FROM = (source: string) => `
  INSERT INTO contact_write_backs (portal_id, contact_id, properties, updated_at, queue_prefix)
  SELECT portal_id, contact_id, $3::jsonb, now(), queue_prefix FROM ${source}
  ON CONFLICT (portal_id, contact_id) DO UPDATE
    SET properties = contact_write_backs.properties || EXCLUDED.properties, updated_at = now(), attempts = 0, last_error = NULL,
        not_in_hubspot_at = NULL, queue_prefix = EXCLUDED.queue_prefix`;
