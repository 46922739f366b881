// Writing the app's outcome back to contacts in HubSpot, coalesced and in batches per portal.
//
// Outcomes are first written to PostgreSQL (contact_write_backs: one row per contact, where a
// newer value of a property replaces the older), then a flush job for the portal is queued.
// The flush sends up to 100 contacts per batch update, within the portal's rate limit, and
// deletes exactly what it sent: a value changed again meanwhile stays for the next round. A
// Redis outage delays the flush (a sweeper queues it again) but loses nothing.
//
// A contact HubSpot no longer has (deleted, merged away) never holds up the others: the batch
// update reports the ids HubSpot names as missing, having already sent the rest (hubspot-api.ts
// handles both answers HubSpot may give), and their rows stay with `not_in_hubspot_at` set — the
// record that the value could not be written — and are not sent again unless a new value is
// queued for the contact.
import type { Database } from '../db/client.js';
import type { Logger } from '../observability/logger.js';
import { addedWithin, type AppQueues } from '../queue/queues.js';
import { APP_PROPERTIES, type RegistrationStatusValue } from './app-properties.js';
import { HubSpotDisconnectedError, HubSpotRequestError } from './hubspot-errors.js';
import { MAX_BATCH_INPUTS, type HubSpotApi } from './hubspot-api.js';

export interface ContactWriteBack {
  contactId: string;
  properties: Record<string, string>;
}

/** What a write-back row says when HubSpot did not have its contact. */
export const NOT_IN_HUBSPOT = 'Not in HubSpot: the contact was deleted or merged away before this value could be written.';

/** Gives up on a contact HubSpot keeps refusing after this many flushes (logged). */
const MAX_ATTEMPTS = 5;

/** The properties that say a contact's domain is registered. */
export function registeredProperties(domain: string, registeredAt: string): Record<string, string> {
  return {
    [APP_PROPERTIES.status]: 'registered' satisfies RegistrationStatusValue,
    [APP_PROPERTIES.registeredDomain]: domain,
    [APP_PROPERTIES.registeredAt]: registeredAt,
    [APP_PROPERTIES.refusalReason]: '',
  };
}

/** The properties that say why a registration was refused. */
export function refusedProperties(message: string): Record<string, string> {
  return { [APP_PROPERTIES.status]: 'refused' satisfies RegistrationStatusValue, [APP_PROPERTIES.refusalReason]: message };
}

/** Queues a flush of the portal's write-backs; at most one runs and one waits per portal. */
export async function enqueueWriteBackFlush(queues: Pick<AppQueues, 'contactWriteBack'>, portalId: number): Promise<boolean> {
  return addedWithin(queues.contactWriteBack.add('flush', { portalId }, { deduplication: { id: `flush-${portalId}`, keepLastIfActive: true } }));
}

/** Records outcomes to write back (newest value per property wins) and queues the flush. */
export async function queueContactWriteBacks(
  deps: { db: Pick<Database, 'pool'>; queues: Pick<AppQueues, 'contactWriteBack' | 'prefix'> },
  portalId: number,
  writeBacks: ContactWriteBack[],
): Promise<void> {
  if (writeBacks.length === 0) return;
  await deps.db.pool.query(
    `INSERT INTO contact_write_backs (portal_id, contact_id, properties, updated_at, queue_prefix)
     SELECT $1, item.contact_id, item.properties, now(), $3
     FROM jsonb_to_recordset($2::jsonb) AS item(contact_id text, properties jsonb)
     ON CONFLICT (portal_id, contact_id) DO UPDATE
       SET properties = contact_write_backs.properties || EXCLUDED.properties, updated_at = now(), attempts = 0, last_error = NULL,
           not_in_hubspot_at = NULL, queue_prefix = EXCLUDED.queue_prefix`,
    [portalId, JSON.stringify(writeBacks.map((item) => ({ contact_id: item.contactId, properties: item.properties }))), deps.queues.prefix],
  );
  await enqueueWriteBackFlush(deps.queues, portalId);
}

/** The single-contact form, for the card. */
export function queueContactWriteBack(
  deps: { db: Pick<Database, 'pool'>; queues: Pick<AppQueues, 'contactWriteBack' | 'prefix'> },
  input: { portalId: number; contactId: string; properties: Record<string, string> },
): Promise<void> {
  return queueContactWriteBacks(deps, input.portalId, [{ contactId: input.contactId, properties: input.properties }]);
}

interface PendingRow {
  contact_id: string;
  properties: Record<string, string>;
  attempts: number;
}

export interface FlushReport {
  sent: number;
  missing: number;
  batches: number;
}

/** Sends the portal's pending write-backs until none is left. Throws (for a retry) when HubSpot is unavailable. */
export async function flushContactWriteBacks(deps: { db: Pick<Database, 'pool'>; api: HubSpotApi; logger: Logger }, portalId: number): Promise<FlushReport> {
  const api = deps.api.forPortal(portalId, 'sync');
  const report: FlushReport = { sent: 0, missing: 0, batches: 0 };
  for (;;) {
    const { rows } = await deps.db.pool.query<PendingRow>(
      `SELECT contact_id, properties, attempts FROM contact_write_backs WHERE portal_id = $1 AND not_in_hubspot_at IS NULL
       ORDER BY updated_at, contact_id LIMIT ${MAX_BATCH_INPUTS}`,
      [portalId],
    );
    if (rows.length === 0) return report;
    let missing: string[];
    try {
      const outcome = await api.batchUpdateContacts(rows.map((row) => ({ id: row.contact_id, properties: row.properties })));
      report.batches += 1;
      report.sent += outcome.updated.length;
      report.missing += outcome.missing.length;
      missing = outcome.missing;
      if (missing.length) deps.logger.info({ portalId, contacts: missing }, 'write-back: HubSpot no longer has these contacts');
    } catch (error) {
      if (error instanceof HubSpotDisconnectedError) {
        deps.logger.warn({ portalId }, 'write-back dropped: the portal is disconnected');
        await deps.db.pool.query('DELETE FROM contact_write_backs WHERE portal_id = $1', [portalId]);
        return report;
      }
      if (error instanceof HubSpotRequestError) {
        await recordRefusal(deps, portalId, rows, error.message);
        continue;
      }
      throw error;
    }
    // Exactly what was sent: a row whose properties changed since stays for the next round. A
    // row HubSpot named missing stays too, marked as not in HubSpot.
    await deps.db.pool.query(
      `WITH sent AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS sent(contact_id text, properties jsonb)
       ), gone AS (
         UPDATE contact_write_backs AS pending SET not_in_hubspot_at = now(), last_error = $4
         FROM sent
         WHERE pending.portal_id = $1 AND pending.contact_id = sent.contact_id AND pending.properties = sent.properties
           AND sent.contact_id = ANY($3::text[])
       )
       DELETE FROM contact_write_backs AS pending
       USING sent
       WHERE pending.portal_id = $1 AND pending.contact_id = sent.contact_id AND pending.properties = sent.properties
         AND NOT (sent.contact_id = ANY($3::text[]))`,
      [portalId, JSON.stringify(rows.map((row) => ({ contact_id: row.contact_id, properties: row.properties }))), missing, NOT_IN_HUBSPOT],
    );
  }
}

async function recordRefusal(deps: { db: Pick<Database, 'pool'>; logger: Logger }, portalId: number, rows: PendingRow[], message: string): Promise<void> {
  deps.logger.error({ portalId, contacts: rows.map((row) => row.contact_id), message }, 'hubspot refused a write-back batch');
  const ids = rows.map((row) => row.contact_id);
  await deps.db.pool.query(`UPDATE contact_write_backs SET attempts = attempts + 1, last_error = $3 WHERE portal_id = $1 AND contact_id = ANY($2::text[])`, [
    portalId,
    ids,
    message,
  ]);
  await deps.db.pool.query(`DELETE FROM contact_write_backs WHERE portal_id = $1 AND contact_id = ANY($2::text[]) AND attempts >= $3`, [portalId, ids, MAX_ATTEMPTS]);
}
